import type { CoreText } from '../../app/model/core-text';
import { coreMessage } from '../i18n/core-text';
import { strings } from '../strings';
import { useApp } from '../state/context';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
/** A popup's data is open-ended: a coded text is used only when it has the shape one has. */
const coded = (v: unknown): CoreText | undefined => {
  const t = v as CoreText | undefined;
  return t && typeof t === 'object' && typeof t.code === 'string' && typeof t.message === 'string' ? t : undefined;
};

/**
 * A popup request from the core (`popup:open`). In Electron, main also opens a small window for it
 * (main/windows/window-manager.ts) that renders this same view; in the browser host it shows in the page.
 * Known data fields: message (English: the server's template or the core's sentence), text (the same coded,
 * app/model/core-text.ts), subject, sha256Fingerprint (what to renew).
 */
export function PopupBanner() {
  const popup = useApp((s) => s.popup);
  const dismiss = useApp((s) => s.dismissPopup);
  const setPage = useApp((s) => s.setPage);
  const renew = useApp((s) => s.renew);
  if (!popup) return null;
  // The core's sentence in the user's language (the server's template framed as the server's words), else its English.
  const message = coreMessage(coded(popup.data.text), str(popup.data.message)) || undefined;
  const subject = str(popup.data.subject);
  const fingerprint = str(popup.data.sha256Fingerprint);
  const later = () => {
    dismiss();
    // In a popup window "later" closes it; the scheduler raises it again at its next reminder.
    if (window.location.hash.includes('popup=')) window.close();
  };
  return (
    <section className="card popup-banner" aria-labelledby="popup-title" data-testid="popup">
      <h2 id="popup-title">{strings.popup[popup.popup]}</h2>
      {/* Server template text: shown as text, never as HTML. It comes before the subject: in a small popup
          window at 125% the first lines are all that shows above the buttons, and they should say what to do. */}
      {message ? <p className="message-text">{message}</p> : null}
      {subject ? <p className="mono">{subject}</p> : null}
      <div className="actions">
        {popup.popup === 'unattended-renewal' && fingerprint ? (
          <button
            type="button"
            className="primary"
            onClick={() => {
              dismiss();
              void renew(fingerprint);
            }}
          >
            {strings.popup.renewNow}
          </button>
        ) : null}
        {popup.popup === 'login' || popup.popup === 'mfa' ? (
          <button type="button" className="primary" onClick={() => setPage('enroll')}>
            {strings.common.continue}
          </button>
        ) : null}
        <button type="button" onClick={later}>
          {popup.popup === 'unattended-renewal' ? strings.popup.later : strings.common.close}
        </button>
      </div>
    </section>
  );
}
