import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemHome, type AgentScope } from './scope';

/**
 * Where the agent keeps its state. One folder, so `--home DIR` / KEYTALK_AGENT_HOME can move everything
 * (tests, several agents on one machine, a daemon account). Layout under it:
 *   providers/<name>/      imported RCCD content (provider.json, CA certificates, logo)
 *   certs/                 the file store (index.json, one folder per certificate)
 *   state/                 scheduler, messages, pending approvals
 *   logs/                  structured logs
 *   secrets/               headless-daemon secrets (0700); the desktop app uses the OS secret store instead
 * The home and every folder in it are 0700, files 0600 (ensurePrivateHome; atomic writes inherit it).
 */
export function defaultHome(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') {
    return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'KeyTalk Agent');
  }
  if (platform === 'darwin') {
    return path.join(os.homedir(), 'Library', 'Application Support', 'KeyTalk Agent');
  }
  const xdg =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(xdg, 'keytalk-agent');
}

/**
 * Resolve the home: explicit option, then KEYTALK_AGENT_HOME, then the per-OS default of the scope (the user's
 * config folder, or the system home of the machine-scope daemon, app/config/scope.ts).
 */
export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env, scope: AgentScope = 'user'): string {
  const chosen = explicit ?? env.KEYTALK_AGENT_HOME;
  if (chosen) return path.resolve(chosen);
  return scope === 'machine' ? systemHome(process.platform, env) : defaultHome(process.platform, env);
}

export interface HomeLayout {
  root: string;
  providers: string;
  certs: string;
  state: string;
  logs: string;
  secrets: string;
}

export function homeLayout(root: string): HomeLayout {
  return {
    root,
    providers: path.join(root, 'providers'),
    certs: path.join(root, 'certs'),
    state: path.join(root, 'state'),
    logs: path.join(root, 'logs'),
    secrets: path.join(root, 'secrets'),
  };
}

/**
 * Create the home and its state/, logs/, providers/ and certs/ folders closed to other users (0700), and close them
 * and everything in them when an older agent left them 0755 / 0644: they hold user IDs, certificate subjects, server
 * messages and logs. Files written below a private folder are 0600 (app/system/atomic-write.ts, app/log/logger.ts).
 * No-op for modes on Windows.
 */
export async function ensurePrivateHome(root: string, o: { shared?: boolean } = {}): Promise<void> {
  const layout = homeLayout(root);
  // A machine-scope home (`shared`) is a system folder (0755, like /var/lib/*): on macOS and Windows it also holds
  // the administrator's policy and rccd/, which every user's agent reads. Its own folders are closed all the same.
  if (o.shared) await fs.mkdir(layout.root, { recursive: true, mode: 0o755 });
  const own = [layout.state, layout.logs, layout.providers, layout.certs];
  for (const dir of o.shared ? own : [layout.root, ...own]) {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    if (process.platform === 'win32') continue;
    const st = await fs.stat(dir);
    if ((st.mode & 0o077) !== 0) await fs.chmod(dir, st.mode & 0o700);
  }
  if (process.platform === 'win32') return;
  if (!o.shared) await closeTree(layout.root);
  else for (const dir of own) await closeTree(dir);
}

/**
 * Take group and other permissions off everything already in the home (0644 files → 0600, 0755 folders → 0700): an
 * agent before issue 22 wrote them open, and new files being private does not close the old ones. Symbolic links
 * are not followed (their targets are not the agent's); entries that vanish meanwhile (another process's temp file)
 * or cannot be changed (not ours) are skipped. One lstat per entry: milliseconds for a home with 100 certificates.
 */
async function closeTree(dir: string): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (e.isSymbolicLink()) continue;
    const p = path.join(dir, e.name);
    const st = await fs.lstat(p).catch(() => undefined);
    if (!st) continue;
    if ((st.mode & 0o077) !== 0) await fs.chmod(p, st.mode & 0o700).catch(() => undefined);
    if (st.isDirectory()) await closeTree(p);
  }
}
