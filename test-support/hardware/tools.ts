import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Runs a tool without a shell; rejects with its stderr so a failed set-up step names itself. */
export function run(
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { env: { ...process.env, ...opts.env }, cwd: opts.cwd, timeout: 20_000, maxBuffer: 8 << 20 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
        else resolve({ stdout, stderr });
      },
    );
    child.stdin?.on('error', () => undefined); // the tool may exit before reading its input
    child.stdin?.end(opts.input ?? '');
  });
}

/** The first of `tools` not found on PATH (or in /usr/sbin, where Debian puts the KDC), or undefined. */
export async function missingTool(tools: string[]): Promise<string | undefined> {
  for (const t of tools) {
    const found = await run('sh', ['-c', 'command -v "$0"', t], { env: { PATH: `${process.env.PATH}:/usr/sbin:/sbin` } })
      .then(() => true)
      .catch(() => false);
    if (!found) return t;
  }
  return undefined;
}

/** A loopback TCP port free right now (and, with `pair`, the one after it too: swtpm's control port). */
export async function freePort(pair = false): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const p = await listenOnce(0);
    if (
      !pair ||
      (await listenOnce(p + 1).then(
        () => true,
        () => false,
      ))
    )
      return p;
  }
  throw new Error('no free loopback port pair found');
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => {
      const addr = srv.address();
      const p = typeof addr === 'object' && addr ? addr.port : port;
      srv.close(() => resolve(p));
    });
  });
}

/** Starts a long-running daemon and waits until `ready` succeeds (polled), or fails with its output. */
export async function startDaemon(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: () => Promise<unknown>,
): Promise<ChildProcess> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));
  let lastError = '';
  for (let i = 0; i < 100; i++) {
    if (exited) break;
    try {
      await ready();
      return child;
    } catch (e) {
      lastError = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`${command} did not become ready: ${lastError} (its output: ${output.trim() || 'none'})`);
}

/** Stops a daemon started by startDaemon and waits for it to be gone. */
export function stopDaemon(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  });
}
