import { strings } from '../strings';
import { useApp } from '../state/context';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * A popup request from the core (`popup:open`). In Electron, main also opens a small window for it
 * (main/windows/window-manager.ts) that renders this same view; in the browser host it shows in the page.
 * Known data fields: message (the server's template text), subject, sha256Fingerprint (what to renew).
 */
export function PopupBanner() {
  const popup = useApp((s) => s.popup);
  const dismiss = useApp((s) => s.dismissPopup);
  const setPage = useApp((s) => s.setPage);
  const renew = useApp((s) => s.renew);
  if (!popup) return null;
  const message = str(popup.data.message);
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
