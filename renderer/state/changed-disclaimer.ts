import type { DisclaimerSummary } from '../../app/ipc/contract';

/**
 * The first disclaimer in `after` that was re-applied or renamed compared with `before` (same address); with
 * `includeNew` also one for a new address (after "Check now"; not on the first load, when `before` is empty).
 */
export function changedDisclaimer(
  before: DisclaimerSummary[],
  after: DisclaimerSummary[],
  includeNew = false,
): DisclaimerSummary | undefined {
  return after.find((d) => {
    const old = before.find((b) => b.provider === d.provider && b.service === d.service && b.email === d.email);
    return old ? old.name !== d.name || old.appliedAt !== d.appliedAt : includeNew;
  });
}
