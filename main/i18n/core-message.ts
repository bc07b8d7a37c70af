import type { CoreText } from '../../app/model/core-text';
import { renderCoreText } from '../../app/model/core-text-render';
import type { MainTexts } from './main-i18n';

/** The core's error or warning in main's language (notifications), by the window's rule (renderCoreText). */
export function coreMessage(texts: MainTexts, text: CoreText | undefined, fallback = ''): string {
  return renderCoreText(
    {
      language: texts.language,
      sentence: (code, values) => texts.coreSentence(code, values),
      dateTime: (iso) => texts.formatDate(iso, true),
    },
    text,
    fallback,
  );
}
