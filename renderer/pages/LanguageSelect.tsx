import { languageNames, languages, type LanguageSetting } from '../../app/model/languages';
import { applyLanguageSetting, systemLanguage } from '../i18n/i18n';
import { strings } from '../strings';
import { useApp } from '../state/context';

/**
 * The language override: "System default (<the OS's language>)" or one of the languages, each named in its own words
 * so a user stuck in a language they cannot read still finds theirs. Saved as the `language` setting.
 */
export function LanguageSelect() {
  const language = useApp((st) => st.settings?.language ?? 'system');
  const save = useApp((st) => st.saveSettings);
  // Switch first, so the "Settings saved" notice already speaks the language just chosen (useLanguage follows the
  // saved setting from then on).
  const choose = (next: LanguageSetting) => {
    applyLanguageSetting(next);
    void save({ language: next });
  };
  return (
    <div className="row">
      <label htmlFor="language">{strings.settings.language}</label>
      <select id="language" value={language} onChange={(e) => choose(e.target.value as LanguageSetting)}>
        <option value="system">{strings.settings.languageSystem(languageNames[systemLanguage()])}</option>
        {languages.map((l) => (
          <option key={l} value={l} lang={l}>
            {languageNames[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
