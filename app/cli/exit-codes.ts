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
  busy: 11,
} as const;
/** The exit-code table `--help` prints (the same as app/cli/README.md's), so scripts need no repo to read it. */
export const EXIT_MEANINGS: Record<ExitCode, string> = {
  0: 'success',
  1: 'unexpected internal error',
  2: 'bad input: usage, unknown provider/service/store, invalid RCCD, missing input without a terminal',
  3: 'authentication failed (never resent; the wait is named)',
  4: 'account locked on the server',
  5: 'network: server unreachable, connection broken, timeout',
  6: "TLS: the server's certificate is not issued by the RCCD's CA",
  7: 'server error, malformed reply, no common protocol version, clock out of sync',
  8: 'pending: the certificate waits for approval',
  9: 'cancelled (Ctrl-C)',
  10: 'the certificate could not be written to a store (nothing half-written)',
  11: 'busy: another KeyTalk Agent process (app, daemon, CLI) kept the home or the certificate locked too long',
};

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
