import { describeDiskError } from '../system/disk-errors';
import { describeFileError } from '../system/file-errors';
import { EXIT, exitCodeFor, type ExitCode } from './exit-codes';

/**
 * Exit code for an error that escaped a command, decided by the error's type — never by its wording, which
 * changes with every better message. Types are recognised by their `name` (every typed error in app/ sets it)
 * rather than `instanceof`: importing the classes would load the RCCD parser, YAML and zod into every CLI run,
 * the idle daemon included (see docs/architecture.md, "The CLI bundle").
 */
const BY_NAME: Record<string, { exit: ExitCode; kind: string }> = {
  UsageError: { exit: EXIT.badInput, kind: 'bad-input' },
  RccdFormatError: { exit: EXIT.badInput, kind: 'bad-input' },
  RccdLimitError: { exit: EXIT.badInput, kind: 'bad-input' },
  UnsafeZipError: { exit: EXIT.badInput, kind: 'bad-input' },
  LibconfigError: { exit: EXIT.badInput, kind: 'bad-input' },
  RccdVersionError: { exit: EXIT.badInput, kind: 'bad-input' },
  RccdTrustError: { exit: EXIT.badInput, kind: 'bad-input' },
  ProviderNotFoundError: { exit: EXIT.badInput, kind: 'bad-input' },
  MissingInputError: { exit: EXIT.badInput, kind: 'bad-input' },
  // A setting the organisation's policy locks (app/policy): the message names the policy key.
  PolicyLockedError: { exit: EXIT.badInput, kind: 'policy-locked' },
  TrustRootsError: { exit: EXIT.serverError, kind: 'server-error' },
  DisclaimerZipError: { exit: EXIT.serverError, kind: 'server-error' },
  ChainError: { exit: EXIT.serverError, kind: 'server-error' },
  TlsTrustError: { exit: EXIT.tls, kind: 'tls' },
  StoreError: { exit: EXIT.storeFailed, kind: 'store-failed' },
  ReplaceError: { exit: EXIT.storeFailed, kind: 'store-failed' },
  FlowCancelledError: { exit: EXIT.cancelled, kind: 'cancelled' },
  // Another process held the home's state lock or a certificate's renewal lock past the wait bound (home-lock.ts).
  HomeBusyError: { exit: EXIT.busy, kind: 'busy' },
};

const PUBLIC_API_KIND: Record<string, { exit: ExitCode; kind: string }> = {
  network: { exit: EXIT.network, kind: 'network' },
  tls: { exit: EXIT.tls, kind: 'tls' },
  http: { exit: EXIT.serverError, kind: 'server-error' },
  'server-error': { exit: EXIT.serverError, kind: 'server-error' },
  'bad-reply': { exit: EXIT.serverError, kind: 'server-error' },
};

export function classifyError(err: unknown): { exit: ExitCode; kind: string } {
  if (!(err instanceof Error)) return { exit: EXIT.internal, kind: 'internal' };
  const known = BY_NAME[err.name];
  if (known) return known;
  const code = (err as { code?: unknown }).code;
  // FlowFailure and every RcdpError carry a FlowOutcome-style code.
  if ((err.name === 'FlowFailure' || err.name.startsWith('Rcdp')) && typeof code === 'string') {
    const exit = exitCodeFor(code);
    return { exit, kind: exit === EXIT.internal ? 'internal' : code };
  }
  if (describeDiskError(err)) return { exit: EXIT.storeFailed, kind: 'store-failed' };
  // A missing file, a folder where a file was meant, no permission: the user fixes the path (run.ts says how).
  if (describeFileError(err)) return { exit: EXIT.badInput, kind: 'bad-input' };
  if (err.name === 'PublicApiError')
    return PUBLIC_API_KIND[String((err as { kind?: unknown }).kind)] ?? { exit: EXIT.internal, kind: 'internal' };
  return { exit: EXIT.internal, kind: 'internal' };
}
