import { Writable } from 'node:stream';
import { EXIT_MEANINGS, type ExitCode } from './exit-codes';
import { terminalSafe } from './terminal-text';

/**
 * The CLI's output contract (app/cli/README.md, "Output and --json"):
 * - without --json: results on stdout, every error on stderr as one sentence beginning with `keytalk-agent:`;
 * - with --json: exactly one JSON document on stdout — the command's result on success, and on a non-zero exit an
 *   object with `status`, `code`, `exitCode` and `message` — and nothing on stderr (a script parsing stdout must
 *   never have to guess which stream carried the failure). Notes a command would write to stderr are gathered
 *   into the object's `warnings` instead. Only prompts on a real terminal still go to stderr.
 * `daemon` is the one exception: it streams its JSON log lines on stdout as they happen.
 */
export interface CliOutput {
  /** What commands write to (stdout as is; stderr gathered in --json mode without a terminal). */
  stdout: Writable;
  stderr: Writable;
  say(text: string): void;
  emitJson(value: object): void;
  /** Record a failure (printed at once without --json, as the one object by finish() with it). */
  fail(exit: ExitCode, kind: string, message: string): ExitCode;
  /** Print the one JSON document (--json) and return the exit code. */
  finish(exit: number): number;
}

/** The --json `code` of an exit code, for commands that return one without saying which failure it was. */
const KIND_OF_EXIT: Record<number, string> = {
  1: 'internal',
  2: 'bad-input',
  3: 'auth-failed',
  4: 'locked',
  5: 'network',
  6: 'tls',
  7: 'server-error',
  8: 'pending-approval',
  9: 'cancelled',
  10: 'store-failed',
};

const PREFIX = 'keytalk-agent: ';

/** One error sentence as printed: the prefix exactly once, whatever the message already carried. */
export function errorLine(message: string): string {
  return `${PREFIX}${message.replace(/^keytalk-agent(?: [a-z-]+)?: /, '')}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** A bare array would break the one-object contract (and lose the warnings): list commands use emitList. */
function checkedObject(value: object): object {
  if (Array.isArray(value)) throw new Error('internal: a --json result must be one object; list commands use emitList');
  return value;
}

/** What a list command prints with --json (CliContext.emitList): the list under its name, warnings beside it. */
export function listDocument(key: string, items: unknown[]): Record<string, unknown> {
  return { [key]: items, warnings: [] };
}

export function cliOutput(io: { stdout: Writable; stderr: Writable }, json: boolean, interactive: boolean): CliOutput {
  if (!json) {
    return {
      stdout: io.stdout,
      stderr: io.stderr,
      say: (text) => io.stdout.write(`${terminalSafe(text)}\n`),
      emitJson: (value) => io.stdout.write(`${JSON.stringify(checkedObject(value), null, 2)}\n`),
      fail(exit, _kind, message) {
        io.stderr.write(`${terminalSafe(errorLine(message))}\n`);
        return exit;
      },
      finish: (exit) => exit,
    };
  }
  let result: { value: unknown } | undefined;
  let failure: { exit: ExitCode; kind: string; message: string } | undefined;
  let streamed = false;
  const notes: string[] = [];
  // Without a terminal, stderr text becomes `warnings` (or the failure's message); with one, prompts need it.
  const stderr = interactive
    ? io.stderr
    : new Writable({
        write(chunk: Buffer | string, _enc, done) {
          notes.push(...String(chunk).split('\n').filter(Boolean));
          done();
        },
      });
  const stdout = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      streamed = true;
      io.stdout.write(chunk, done);
    },
  });
  // Inside `warnings` the `keytalk-agent:` and `warning:` prefixes of the text form say nothing.
  const clean = (lines: string[]) =>
    lines.map((l) =>
      errorLine(l)
        .slice(PREFIX.length)
        .replace(/^warning: /, ''),
    );
  return {
    stdout,
    stderr,
    say: () => undefined,
    emitJson: (value) => void (result = { value: checkedObject(value) }),
    fail(exit, kind, message) {
      failure = { exit, kind, message };
      return exit;
    },
    finish(exit) {
      const warnings = clean(notes);
      let doc: unknown;
      if (failure) {
        doc = { status: 'failed', code: failure.kind, exitCode: failure.exit, message: failure.message };
        if (warnings.length) (doc as Record<string, unknown>).warnings = warnings;
      } else if (exit !== 0 && !(isPlainObject(result?.value) && 'status' in result.value)) {
        // A command that returned a failure code without a failure object: build one from what it said.
        doc = {
          status: exit === 8 ? 'pending-approval' : 'failed',
          code: KIND_OF_EXIT[exit] ?? 'internal',
          exitCode: exit,
          message: warnings.join('; ') || (EXIT_MEANINGS as Record<number, string>)[exit] || `exit code ${exit}`,
          ...(result ? { result: result.value } : {}),
        };
      } else if (result) {
        const value = result.value;
        doc = value;
        if (isPlainObject(value) && (exit !== 0 || warnings.length)) {
          // Warnings the command put in its result (an import's) come first, then what it wrote to stderr.
          const earlier = Array.isArray(value.warnings) ? (value.warnings as string[]) : [];
          doc = {
            ...(exit !== 0 ? { exitCode: exit } : {}),
            ...value,
            // A command that puts its warnings in the result and also prints them (rccd import) lists each once.
            ...(warnings.length ? { warnings: [...earlier, ...warnings.filter((w) => !earlier.includes(w))] } : {}),
          };
        }
      } else if (!streamed) {
        doc = { status: 'ok', ...(warnings.length ? { warnings } : {}) };
      }
      if (doc !== undefined) io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      return exit;
    },
  };
}
