import { PassThrough, Readable } from 'node:stream';
import { runCli } from './run';

export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run keytalk-agent in this process without a terminal (what scripts see), capturing its output. For tests:
 * spawning the CLI costs seconds each, and the exit-code and --json checks need many runs.
 */
export async function runCliCaptured(
  args: string[],
  opts: { home: string; input?: string; env?: Record<string, string> },
): Promise<CapturedRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const stdin = Readable.from([opts.input ?? '']);
  const code = await runCli(args, {
    stdout,
    stderr,
    stdin,
    env: { KEYTALK_AGENT_HOME: opts.home, ...opts.env },
    interactive: false,
  });
  return { code, stdout: out, stderr: err };
}
