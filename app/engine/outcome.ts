import type { FlowOutcome } from '../model/flow-types';
import { coreText, textOf } from '../model/core-text';
import { describeDiskError, diskErrorCode } from '../system/disk-errors';
import { retryAfterOf } from '../system/retry-after';
import { FlowCancelledError, FlowFailure, MissingInputError } from './front-end';

export type FailedOutcome = Extract<FlowOutcome, { status: 'failed' }>;

/**
 * The FlowOutcome for an error that ended a flow, shared by every provider kind: cancelled (also when the signal
 * fired), the FlowFailure's own code, needs-input for a front-end that could not answer. `classify` maps a kind's
 * own protocol errors (RCDP's for KeyTalk); a full or read-only disk is store-failed; anything left is `internal`.
 */
export function failureOutcome(
  err: unknown,
  signal?: AbortSignal,
  classify?: (err: unknown) => FailedOutcome | undefined,
): FailedOutcome {
  const classified = classifyFailure(err, signal, classify);
  // The sentence's code, when the error carries one, so the UI can say it in the user's language.
  const text = classified.text ?? (classified.message === (err as Error)?.message ? textOf(err) : undefined);
  const outcome = text ? { ...classified, text } : classified;
  const wait = outcome.code === 'cancelled' ? undefined : retryAfterOf(err);
  return wait === undefined ? outcome : { ...outcome, retryAfterSeconds: Math.ceil(wait / 1000) };
}

function classifyFailure(
  err: unknown,
  signal?: AbortSignal,
  classify?: (err: unknown) => FailedOutcome | undefined,
): FailedOutcome {
  if (err instanceof FlowCancelledError || signal?.aborted || (err as Error)?.name === 'AbortError') {
    const message = 'enrollment cancelled';
    return { status: 'failed', code: 'cancelled', message, text: coreText('flow.cancelled', message) };
  }
  if (err instanceof FlowFailure) return { status: 'failed', code: err.code, message: err.message };
  if (err instanceof MissingInputError) return { status: 'failed', code: 'needs-input', message: err.message };
  const cause = (err as { cause?: unknown })?.cause;
  const disk = describeDiskError(err) ?? describeDiskError(cause);
  const diskCode = diskErrorCode(err) ?? diskErrorCode(cause);
  if (disk)
    return { status: 'failed', code: 'store-failed', message: disk, ...(diskCode ? { text: coreText(diskCode, disk) } : {}) };
  return classify?.(err) ?? { status: 'failed', code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
