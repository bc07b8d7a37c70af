import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../system/atomic-write';
import type { CommandRunner, CommandSpec } from '../system/command-runner';
import {
  LAUNCHD_LABEL,
  SERVICE_NAME,
  WINDOWS_TASK_NAME,
  launchdPlist,
  systemdUnit,
  windowsTaskXml,
  type ServiceDefinition,
} from './unit-files';

/** Where and how: everything that differs per machine is injected, so tests assert files and commands exactly. */
export interface ServiceEnv {
  platform: NodeJS.Platform;
  runner: CommandRunner;
  /** The folder the definition goes in (default per OS and scope; tests give a temp folder). */
  dir?: string;
  userHome?: string;
  env?: NodeJS.ProcessEnv;
  /** launchd's GUI domain (gui/<uid>) and the Windows task's user. */
  uid?: number;
  userName?: string;
}

export interface ServiceStatus {
  manager: 'systemd' | 'launchd' | 'task-scheduler';
  scope: 'user' | 'system';
  file: string;
  installed: boolean;
  enabled: boolean;
  running: boolean;
  /** What the service manager said, in one line. */
  detail: string;
}

export class ServiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceError';
  }
}

function definitionFile(e: ServiceEnv, system: boolean): string {
  const home = e.userHome ?? os.homedir();
  if (e.platform === 'linux') {
    const dir =
      e.dir ??
      (system ? '/etc/systemd/system' : path.join(e.env?.XDG_CONFIG_HOME || path.join(home, '.config'), 'systemd', 'user'));
    return path.join(dir, `${SERVICE_NAME}.service`);
  }
  if (e.platform === 'darwin') {
    const dir = e.dir ?? (system ? '/Library/LaunchDaemons' : path.join(home, 'Library', 'LaunchAgents'));
    return path.join(dir, `${LAUNCHD_LABEL}.plist`);
  }
  if (e.platform === 'win32')
    return path.join(e.dir ?? path.join(home, 'AppData', 'Local', 'KeyTalk Agent'), 'keytalk-agent-task.xml');
  throw new ServiceError(
    `daemon install is not supported on ${e.platform}; run \`keytalk-agent daemon\` from your own service manager`,
  );
}

const systemctl = (system: boolean, ...args: string[]): CommandSpec => ({
  command: 'systemctl',
  args: system ? args : ['--user', ...args],
});
const launchDomain = (e: ServiceEnv, system: boolean) => (system ? 'system' : `gui/${e.uid ?? process.getuid?.() ?? 0}`);
const schtasks = (...args: string[]): CommandSpec => ({ command: 'schtasks', args });

async function must(e: ServiceEnv, spec: CommandSpec, fix: string): Promise<string> {
  let r;
  try {
    r = await e.runner.run(spec);
  } catch (err) {
    throw new ServiceError(`${(err as Error).message}; ${fix}`);
  }
  if (r.code !== 0) {
    const said = (r.stderr.trim() || r.stdout.trim()).split('\n')[0] ?? '';
    throw new ServiceError(
      `\`${spec.command} ${spec.args.join(' ')}\` failed (exit ${r.code}${said ? `: ${said}` : ''}); ${fix}`,
    );
  }
  return r.stdout;
}

/** Writes the definition (atomically) and registers, enables and starts it; running it again updates it. */
export async function installService(d: ServiceDefinition, e: ServiceEnv): Promise<{ file: string; commands: CommandSpec[] }> {
  const file = definitionFile(e, d.system);
  const fix = d.system ? 'run it as root / administrator' : 'check that your session has a service manager';
  await fs.mkdir(path.dirname(file), { recursive: true });
  const done: CommandSpec[] = [];
  const run = async (spec: CommandSpec) => (done.push(spec), must(e, spec, fix));
  if (e.platform === 'linux') {
    await writeFileAtomic(file, systemdUnit(d), { mode: 0o644 });
    await run(systemctl(d.system, 'daemon-reload'));
    await run(systemctl(d.system, 'enable', '--now', `${SERVICE_NAME}.service`));
  } else if (e.platform === 'darwin') {
    await writeFileAtomic(file, launchdPlist(d), { mode: 0o644 });
    // bootstrap refuses a label that is already loaded: take the old one out first (absent is fine).
    await e.runner
      .run({ command: 'launchctl', args: ['bootout', `${launchDomain(e, d.system)}/${LAUNCHD_LABEL}`] })
      .catch(() => undefined);
    await run({ command: 'launchctl', args: ['bootstrap', launchDomain(e, d.system), file] });
  } else {
    // schtasks reads a task XML that declares UTF-16 only in UTF-16 (little-endian, with a byte-order mark).
    const text = windowsTaskXml(d, d.system ? undefined : (e.userName ?? os.userInfo().username));
    await writeFileAtomic(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), { mode: 0o600 });
    await run(schtasks('/Create', '/TN', WINDOWS_TASK_NAME, '/XML', file, '/F'));
    await run(schtasks('/Run', '/TN', WINDOWS_TASK_NAME));
  }
  return { file, commands: done };
}

/** Stops, disables and removes it; a service that is not installed is not an error (the result says so). */
export async function uninstallService(
  system: boolean,
  e: ServiceEnv,
): Promise<{ file: string; removed: boolean; commands: CommandSpec[] }> {
  const file = definitionFile(e, system);
  const existed = await fs.stat(file).then(
    () => true,
    () => false,
  );
  const done: CommandSpec[] = [];
  if (!existed) return { file, removed: false, commands: done };
  const fix = system ? 'run it as root / administrator' : 'check that your session has a service manager';
  const run = async (spec: CommandSpec) => (done.push(spec), must(e, spec, fix));
  if (e.platform === 'linux') {
    await run(systemctl(system, 'disable', '--now', `${SERVICE_NAME}.service`));
    await fs.rm(file, { force: true });
    await run(systemctl(system, 'daemon-reload'));
  } else if (e.platform === 'darwin') {
    await run({ command: 'launchctl', args: ['bootout', `${launchDomain(e, system)}/${LAUNCHD_LABEL}`] });
    await fs.rm(file, { force: true });
  } else {
    // /End fails when the task is not running, which is fine before a delete.
    await e.runner.run(schtasks('/End', '/TN', WINDOWS_TASK_NAME)).catch(() => undefined);
    await run(schtasks('/Delete', '/TN', WINDOWS_TASK_NAME, '/F'));
    await fs.rm(file, { force: true });
  }
  return { file, removed: true, commands: done };
}

/** Read-only: the definition file, and what the service manager says about it (no command when not installed). */
export async function serviceStatus(system: boolean, e: ServiceEnv): Promise<ServiceStatus> {
  const file = definitionFile(e, system);
  const scope = system ? 'system' : 'user';
  const manager = e.platform === 'linux' ? 'systemd' : e.platform === 'darwin' ? 'launchd' : 'task-scheduler';
  const base = { manager, scope, file } as const;
  const installed = await fs.stat(file).then(
    () => true,
    () => false,
  );
  if (!installed) return { ...base, installed, enabled: false, running: false, detail: 'not installed' };
  const ask = (spec: CommandSpec) => e.runner.run(spec).catch((err: Error) => ({ code: 127, stdout: '', stderr: err.message }));
  if (e.platform === 'linux') {
    const enabled = await ask(systemctl(system, 'is-enabled', `${SERVICE_NAME}.service`));
    const active = await ask(systemctl(system, 'is-active', `${SERVICE_NAME}.service`));
    const word = (r: { stdout: string; stderr: string }) => (r.stdout.trim() || r.stderr.trim()).split('\n')[0] ?? '';
    return {
      ...base,
      installed,
      enabled: enabled.code === 0,
      running: active.code === 0,
      detail: `${word(enabled)}, ${word(active)}`,
    };
  }
  if (e.platform === 'darwin') {
    const r = await ask({ command: 'launchctl', args: ['print', `${launchDomain(e, system)}/${LAUNCHD_LABEL}`] });
    const state = /^\s*state = (.+)$/m.exec(r.stdout)?.[1]?.trim();
    return { ...base, installed, enabled: r.code === 0, running: state === 'running', detail: state ?? 'not loaded' };
  }
  const r = await ask(schtasks('/Query', '/TN', WINDOWS_TASK_NAME, '/FO', 'LIST', '/V'));
  const status = /^Status:\s*(.+)$/m.exec(r.stdout)?.[1]?.trim();
  const taskState = /^Scheduled Task State:\s*(.+)$/m.exec(r.stdout)?.[1]?.trim();
  return {
    ...base,
    installed,
    enabled: r.code === 0 && taskState !== 'Disabled',
    running: status === 'Running',
    detail: r.code === 0 ? `${status ?? '?'}${taskState ? `, ${taskState}` : ''}` : 'not registered with Task Scheduler',
  };
}
