import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const hostBundle = path.join(repoRoot, 'dist', 'browser-host', 'index.mjs');

export interface RunningHost {
  url: string;
  origin: string;
  token: string;
  home: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Start `node dist/browser-host/index.mjs --home DIR` and wait for the URL it prints. */
export async function startHostProcess(
  home: string,
  opts: { args?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningHost> {
  if (!existsSync(hostBundle)) throw new Error(`${hostBundle} is missing: run \`npm run build\` before the e2e tests`);
  // The user's home (~/.pki/nssdb, a default store on Linux; Firefox profiles) is a throw-away folder unless the
  // spec brings its own: an e2e enrollment must never write into the real user's NSS database.
  const userHome = `${home}.user`;
  if (!opts.env?.HOME) mkdirSync(userHome, { recursive: true });
  const child = spawn(process.execPath, [hostBundle, '--home', home, ...(opts.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: userHome, ...opts.env },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Do not leave a half-started host running behind a failed setup.
      child.kill('SIGKILL');
      reject(new Error(`browser host did not print its URL within 60 s:\n${output}`));
    }, 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /KeyTalk Agent UI: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser host exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: new URLSearchParams(parsed.hash.slice(1)).get('token')!,
    home,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => (rmSync(userHome, { recursive: true, force: true }), resolve());
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}
