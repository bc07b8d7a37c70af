import path from 'node:path';

/**
 * Who the agent works for (issue 20, machine scope). `user`: one person's home and stores — the tray app, the per-user
 * daemon, the CLI. `machine`: the system-wide daemon (systemd system unit, Windows task as SYSTEM, launchd daemon)
 * with a system home and the machine stores (Linux /etc/pki/nssdb + the system file store, LocalMachine\My, the
 * System keychain), where `store-to-system` certificates belong. Decided here and nowhere else: `--system` on the
 * command line, else `KEYTALK_AGENT_SCOPE=machine`, else user.
 */
export type AgentScope = 'user' | 'machine';

export const SCOPE_ENV = 'KEYTALK_AGENT_SCOPE';

export class ScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScopeError';
  }
}

export function resolveScope(systemFlag: boolean, env: NodeJS.ProcessEnv = process.env): AgentScope {
  if (systemFlag) return 'machine';
  const v = env[SCOPE_ENV]?.trim().toLowerCase();
  if (!v || v === 'user') return 'user';
  if (v === 'machine' || v === 'system') return 'machine';
  // A typo must not silently run a machine's daemon in some user's home (or the other way round).
  throw new ScopeError(
    `${SCOPE_ENV}=${JSON.stringify(env[SCOPE_ENV])} is not a scope; set it to "machine" (the system-wide daemon) or "user", or unset it`,
  );
}

/**
 * The machine scope's home, per OS. On Windows and macOS it is the folder the administrator's policy and RCCDs
 * already live in (app/policy/load-policy.ts), so the home there must stay readable (ensurePrivateHome `shared`).
 */
export function systemHome(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'KeyTalk Agent');
  if (platform === 'darwin') return '/Library/Application Support/KeyTalk Agent';
  return '/var/lib/keytalk-agent';
}
