import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../app/cli/run';

export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CapturedRunOptions {
  home: string;
  /** Piped stdin (what a script feeds in); ignored when `tty` is given. */
  input?: string;
  env?: Record<string, string>;
  /**
   * Lines typed at a terminal, each ended with Enter. stdin and stderr then say they are terminals, so the
   * CLI's own detection makes the run interactive (prompts, typed "yes"), and stdin stays open after the
   * lines as a terminal does: a question the lines do not answer waits, it does not see end-of-input.
   */
  tty?: string[];
}

/** A stream that says it is a terminal (`isTTY`), as process.stdin/stderr do when attached to one. */
function terminal(): PassThrough & { isTTY: true } {
  return Object.assign(new PassThrough(), { isTTY: true as const });
}

/**
 * Run keytalk-agent in this process, capturing its output: without a terminal (what scripts see) by default,
 * or on a scripted terminal with `tty`. For tests: spawning the CLI costs seconds each, and the exit-code and
 * --json checks need many runs.
 */
export async function runCliCaptured(args: string[], opts: CapturedRunOptions): Promise<CapturedRun> {
  const stdout = new PassThrough();
  const stderr = opts.tty ? terminal() : new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  let stdin: Readable;
  if (opts.tty) {
    const keyboard = terminal();
    for (const line of opts.tty) keyboard.write(`${line}\n`);
    stdin = keyboard;
  } else {
    stdin = Readable.from([opts.input ?? '']);
  }
  try {
    const code = await runCli(args, {
      stdout,
      stderr,
      stdin,
      env: { KEYTALK_AGENT_HOME: opts.home, ...opts.env },
      // The user's home (~/.pki/nssdb, Firefox profiles): the test's HOME if it gave one, else a folder beside the
      // agent home — never the real one, now that NSS is a default store on Linux.
      userHome: opts.env?.HOME ?? `${opts.home}.user`,
      // Unset on a terminal: runCli decides from isTTY, as it does for a real one.
      interactive: opts.tty ? undefined : false,
    });
    return { code, stdout: out, stderr: err };
  } finally {
    // The user closes the terminal: a readline the command left open must not keep the test process alive.
    if (opts.tty) stdin.destroy();
  }
}
