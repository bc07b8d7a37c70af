import { strings } from '../strings';
import { useApp } from '../state/context';

/** Errors without a place of their own are announced assertively, confirmations politely; both stay until the next one. */
export function Alerts() {
  // An error with a place (errorAt) is shown beside its control by InlineError, not here.
  const error = useApp((s) => (s.errorAt ? undefined : s.error));
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
