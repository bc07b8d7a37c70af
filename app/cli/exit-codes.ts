/**
 * keytalk-agent exit codes. Stable: scripts depend on them (documented in app/cli/README.md).
 */
export const EXIT = {
  ok: 0,
  internal: 1,
  badInput: 2,
  authFailed: 3,
  locked: 4,
  network: 5,
  tls: 6,
  serverError: 7,
  pending: 8,
  cancelled: 9,
  storeFailed: 10,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** FlowOutcome failure code → exit code. */
export function exitCodeFor(code: string): ExitCode {
  switch (code) {
    case 'bad-input':
    case 'needs-input':
    case 'unsupported':
      return EXIT.badInput;
    case 'auth-failed':
      return EXIT.authFailed;
    case 'locked':
      return EXIT.locked;
    case 'network':
      return EXIT.network;
    case 'tls':
      return EXIT.tls;
    case 'server-error':
    case 'protocol':
    case 'incompatible-version':
    case 'time-out-of-sync':
      return EXIT.serverError;
    case 'cancelled':
      return EXIT.cancelled;
    case 'store-failed':
      return EXIT.storeFailed;
    default:
      return EXIT.internal;
  }
}
