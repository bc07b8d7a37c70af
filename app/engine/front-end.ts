import type { FlowAnswer, FlowProgress, FlowPrompt } from '../model/flow-types';

/**
 * What the engine needs from a front-end (CLI, tray UI over IPC, the scheduler's unattended runner):
 * answer prompts and show progress. A front-end that cannot answer a prompt rejects with
 * MissingInputError (non-interactive) or FlowCancelledError (the user cancelled).
 */
export interface FlowFrontEnd {
  prompt(prompt: FlowPrompt): Promise<FlowAnswer>;
  progress(progress: FlowProgress): void;
  /**
   * After the server rejects credentials (DELAY), may the engine show the server's wait and then ask again?
   * The UI does (default); the CLI sets false and exits with the wait named once.
   */
  readonly asksAgainAfterRejection?: boolean;
}

export class FlowCancelledError extends Error {
  constructor(message = 'enrollment cancelled') {
    super(message);
    this.name = 'FlowCancelledError';
  }
}

/** A non-interactive front-end was asked for something it was not given. */
export class MissingInputError extends Error {
  constructor(
    readonly missing: string[],
    message: string,
  ) {
    super(message);
    this.name = 'MissingInputError';
  }
}

/** Check an answer has the kind the prompt asked for; front-ends over IPC are untrusted. */
export function expectAnswer<K extends FlowAnswer['kind']>(answer: FlowAnswer, kind: K): Extract<FlowAnswer, { kind: K }> {
  if (answer.kind !== kind) throw new FlowFailure('bad-input', `expected a ${kind} answer, got ${answer.kind}`);
  return answer as Extract<FlowAnswer, { kind: K }>;
}

/**
 * Stable failure codes (FlowOutcome.code, CLI exit codes): auth-failed, locked, network, tls, bad-input,
 * needs-input, server-error, protocol, incompatible-version, time-out-of-sync, cancelled, store-failed.
 */
export type FailureCode =
  | 'auth-failed'
  | 'locked'
  | 'network'
  | 'tls'
  | 'bad-input'
  | 'needs-input'
  | 'server-error'
  | 'protocol'
  | 'incompatible-version'
  | 'time-out-of-sync'
  | 'cancelled'
  | 'store-failed'
  | 'unsupported';

export class FlowFailure extends Error {
  /** A busy server's Retry-After (app/system/retry-after.ts): an unattended retry waits at least this long. */
  readonly retryAfterMs?: number;
  constructor(
    readonly code: FailureCode,
    message: string,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    this.name = 'FlowFailure';
    this.retryAfterMs = options?.retryAfterMs;
  }
}
