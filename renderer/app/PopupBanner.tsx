import { strings } from '../strings';
import { useApp } from '../state/context';

/**
 * In the browser host there are no separate popup windows: a popup request from the core shows here.
 * In Electron main opens a small window for it (main/windows/window-manager.ts) and this stays too, so
 * the request is never lost when the popup is closed.
 */
export function PopupBanner() {
  const popup = useApp((s) => s.popup);
  const dismiss = useApp((s) => s.dismissPopup);
  const setPage = useApp((s) => s.setPage);
  if (!popup) return null;
  const text = typeof popup.data.message === 'string' ? popup.data.message : undefined;
  return (
    <section className="card popup-banner" aria-labelledby="popup-title">
      <h2 id="popup-title">{strings.popup[popup.popup]}</h2>
      {text ? <p>{text}</p> : null}
      <div className="actions">
        {popup.popup === 'login' || popup.popup === 'mfa' ? (
          <button type="button" onClick={() => setPage('enroll')}>
            {strings.common.continue}
          </button>
        ) : null}
        <button type="button" onClick={dismiss}>
          {strings.common.close}
        </button>
      </div>
    </section>
  );
}
