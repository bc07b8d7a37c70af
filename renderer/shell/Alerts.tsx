import { strings } from '../strings';
import { useApp } from '../state/context';

/** Errors are announced assertively, confirmations politely; both stay until the next one. */
export function Alerts() {
  const error = useApp((s) => s.error);
  const notice = useApp((s) => s.notice);
  const clearError = useApp((s) => s.clearError);
  return (
    <>
      <div role="alert" className={error ? 'alert alert-error' : 'visually-hidden'}>
        {error ? (
          <>
            <span data-testid="error-text">{error}</span>{' '}
            <button type="button" onClick={clearError}>
              {strings.common.dismiss}
            </button>
          </>
        ) : null}
      </div>
      <div aria-live="polite" className={notice ? 'notice' : 'visually-hidden'} data-testid="notice">
        {notice}
      </div>
    </>
  );
}
