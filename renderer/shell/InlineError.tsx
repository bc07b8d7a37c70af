import { useApp } from '../state/context';
import { strings } from '../strings';

/** The id an InlineError for `at` has, for the control's aria-describedby. */
export const inlineErrorId = (at: string) => `error-${at.replace(/[^A-Za-z0-9_-]+/g, '-')}`;

/**
 * The error of the action started from one control (the store's `errorAt`), shown beside that control rather than
 * in the alert region at the top, where a user looking at the control does not see it; the action's next success
 * clears it (store.ts `attempt`).
 */
export function InlineError({ at }: { at: string }) {
  const error = useApp((s) => (s.errorAt === at ? s.error : undefined));
  const clearError = useApp((s) => s.clearError);
  if (!error) return null;
  return (
    <p role="alert" className="error-text" id={inlineErrorId(at)} data-testid="inline-error">
      {error}{' '}
      <button type="button" className="link" onClick={clearError}>
        {strings.common.dismiss}
      </button>
    </p>
  );
}
