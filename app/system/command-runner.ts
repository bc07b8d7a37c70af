import { spawn } from 'node:child_process';

/** The result of running an external tool (certutil, pk12util, powershell, security, ...). */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CommandSpec {
  command: string;
  args: string[];
  /** Written to the tool's standard input, then closed. Used for passwords so they never appear in argv. */
  input?: string | Uint8Array;
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
}

/**
 * Every OS tool the agent drives goes through this interface, so Windows and macOS store code can be
 * tested on Linux by asserting the exact commands it would run (the tools themselves cannot run here).
 */
export interface CommandRunner {
  run(spec: CommandSpec): Promise<CommandResult>;
}

/** Runs commands for real. Never uses a shell: arguments are passed as an array, so nothing is interpolated. */
export const processRunner: CommandRunner = {
  run(spec) {
    return new Promise((resolve, reject) => {
      const child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: spec.env ? { ...process.env, ...spec.env } : process.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        timeout: spec.timeoutMs ?? 60_000,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('error', (e) => reject(new Error(`cannot run ${spec.command}: ${e.message}`)));
      child.on('close', (code, signal) =>
        resolve({
          code: code ?? (signal ? 128 : 1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        }),
      );
      child.stdin.on('error', () => undefined); // the tool may exit before reading its input
      child.stdin.end(spec.input ?? '');
    });
  },
};

/** A tool's failure as the caller words it: the exit code, all it said (stderr first) and its first line. */
export interface ToolFailure {
  code: number;
  /** stderr then stdout, trimmed: tools explain failures on either. */
  text: string;
  /** The first non-empty line of `text`, for a short message. */
  firstLine: string;
}

export interface ToolChecks {
  /** The tool could not be started (not installed, not executable): the caller's error for that. */
  cannotStart: (message: string) => Error;
  /** Whether the result is a failure (default: a non-zero exit code). */
  failed?: (r: CommandResult) => boolean;
  /** The caller's error for a failure, e.g. naming "access denied" or "wrong password" with the fix. */
  explain: (f: ToolFailure) => Error;
}

/**
 * Runs a tool and turns "could not start" and "failed" into the caller's own errors, so every store words its
 * failures the same way; returns the result only when the tool succeeded.
 */
export async function runChecked(runner: CommandRunner, spec: CommandSpec, checks: ToolChecks): Promise<CommandResult> {
  let r: CommandResult;
  try {
    r = await runner.run(spec);
  } catch (err) {
    throw checks.cannotStart((err as Error).message);
  }
  if (checks.failed ? checks.failed(r) : r.code !== 0) {
    const text = `${r.stderr}\n${r.stdout}`.trim();
    const firstLine =
      text
        .split(/\r?\n/)
        .find((l) => l.trim())
        ?.trim() ?? '';
    throw checks.explain({ code: r.code, text, firstLine });
  }
  return r;
}

/** A runner for tests: records every call and answers from a script. */
export class RecordingRunner implements CommandRunner {
  readonly calls: CommandSpec[] = [];
  constructor(private readonly answer: (spec: CommandSpec) => CommandResult | Promise<CommandResult>) {}
  async run(spec: CommandSpec): Promise<CommandResult> {
    this.calls.push(spec);
    return this.answer(spec);
  }
}
