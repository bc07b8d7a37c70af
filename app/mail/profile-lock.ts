import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ProfileLock {
  inUse: boolean;
  /** Why we think so, for logs and the UI. */
  detail: string;
}

/**
 * Is a Mozilla profile open right now? Linux: `lock` is a symlink to "<ip>:+<pid>" (stale after a crash, so
 * the pid is checked when it names this host). macOS: `.parentlock` exists while running (also left behind by
 * crashes, so it only counts together with `lock`). Windows: `parent.lock` cannot be deleted while open;
 * its presence is taken as "in use" since we cannot probe the share lock from here.
 */
export async function detectProfileLock(
  profileDir: string,
  opts: { platform?: NodeJS.Platform; isAlive?: (pid: number) => boolean; hostAddresses?: string[] } = {},
): Promise<ProfileLock> {
  const platform = opts.platform ?? process.platform;
  const isAlive = opts.isAlive ?? pidAlive;
  if (platform === 'win32') {
    return (await exists(path.join(profileDir, 'parent.lock')))
      ? { inUse: true, detail: 'parent.lock present (Thunderbird running or not shut down cleanly)' }
      : { inUse: false, detail: 'no parent.lock' };
  }
  let target: string | undefined;
  try {
    target = await fs.readlink(path.join(profileDir, 'lock'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EINVAL') return { inUse: true, detail: '"lock" is a plain file (held by a running instance)' };
    if (code !== 'ENOENT') throw err;
  }
  if (target === undefined) {
    // macOS without `lock` symlink: the .parentlock alone is not proof (kept after exit).
    return { inUse: false, detail: 'no lock symlink' };
  }
  const m = /^(.*):\+(\d+)$/.exec(target);
  if (!m) return { inUse: true, detail: `lock symlink "${target}" not understood; assuming in use` };
  const local = new Set(['127.0.0.1', ...(opts.hostAddresses ?? localAddresses())]);
  if (!local.has(m[1]!)) return { inUse: true, detail: `locked by another host (${m[1]})` };
  const pid = Number(m[2]);
  return isAlive(pid)
    ? { inUse: true, detail: `locked by running process ${pid}` }
    : { inUse: false, detail: `stale lock of process ${pid} (not running)` };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function localAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((i): i is os.NetworkInterfaceInfo => !!i)
    .map((i) => i.address);
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}
