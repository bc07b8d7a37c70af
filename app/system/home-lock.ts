import { AsyncLocalStorage } from 'node:async_hooks';
import { withText } from '../model/core-text';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { mkdirInheritingPrivacy } from './atomic-write';

/**
 * Inter-process locks for one agent home. The tray app's core, `keytalk-agent daemon` and CLI commands may run at
 * once on the same home; without a lock two of them read a state file, change it in memory and write it back, and
 * the second write silently drops the first one's change (a lost schedule entry, a lost enrollment record).
 *
 * - `withStateLock(stateDir, fn)`: one lock per home (`<home>/state/home.lock`) around every read-modify-write of
 *   persisted state. Held for milliseconds: never across a network request.
 * - `withRenewalLock(stateDir, fingerprint, fn)`: one lock per certificate (`<home>/state/locks/renew-<fp>.lock`),
 *   held for a whole renewal, so one certificate is never renewed twice at once; the second process waits, then
 *   re-reads the state (the first one may already have renewed it).
 *
 * proper-lockfile takes a lock by mkdir (atomic on every filesystem we run on) and refreshes the folder's mtime every
 * `stale / 2`. A holder killed with SIGKILL stops refreshing, so its lock counts as stale — and is taken over — at
 * most lockStaleMs() (20 s) after its last refresh: a crashed process blocks the others for seconds, never forever.
 * A normal exit (also SIGINT/SIGTERM) removes the lock at once (proper-lockfile's exit hook).
 *
 * In one process the locks are re-entrant along one async call chain (AsyncLocalStorage), so a helper that takes
 * the state lock may be called from code that already holds it; unrelated callers in the same process queue up in
 * order. Every wait is bounded (lockWaitMs(), 2 min): a process that cannot get the lock fails with HomeBusyError (CLI
 * exit 11) rather than hang, which also turns a would-be deadlock into a clear error.
 */

/**
 * A lock whose folder was not refreshed for this long belongs to a dead (or frozen) process and is taken over
 * (KEYTALK_AGENT_LOCK_STALE_MS, at least 2 s, overrides it: the crash tests use 2 s). Read when a lock is taken.
 */
export const lockStaleMs = () => envMs('KEYTALK_AGENT_LOCK_STALE_MS', 20_000);
/** The longest a process waits for a lock before it gives up with HomeBusyError (KEYTALK_AGENT_LOCK_WAIT_MS). */
export const lockWaitMs = () => envMs('KEYTALK_AGENT_LOCK_WAIT_MS', 120_000);
const POLL_MS = 100;
/** A wait is announced (onLockWait) once it has lasted this long. */
const ANNOUNCE_AFTER_MS = 500;

function envMs(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** Who holds a lock, as the holder wrote it beside the lock (informational: for the "waiting for…" message). */
export interface LockHolder {
  pid: number;
  role: string;
  since: string;
}

export interface LockWait {
  lock: string;
  /** What the lock protects, in words ("the agent home /x", "the renewal of certificate AB12…"). */
  what: string;
  holder?: LockHolder;
}

/** Another process held a lock for longer than the caller was willing to wait. */
export class HomeBusyError extends Error {
  override name = 'HomeBusyError';
  constructor(
    message: string,
    readonly holder?: LockHolder,
  ) {
    super(message);
  }
}

let role = 'app';
/** What this process is ("daemon", "cli renew", "app"): other processes name it when they wait for it. */
export function setLockRole(r: string): void {
  role = r;
}

const waitListeners = new Set<(w: LockWait) => void>();
/** Told once per acquisition that waits for another process for more than a moment (the CLI prints it). */
export function onLockWait(listener: (w: LockWait) => void): () => void {
  waitListeners.add(listener);
  return () => waitListeners.delete(listener);
}

/** The sentence for a wait. */
export function describeLockWait(w: LockWait): string {
  const who = w.holder ? ` (pid ${w.holder.pid}, ${w.holder.role})` : '';
  return `waiting for another KeyTalk Agent process${who} to finish with ${w.what}…`;
}

/** Locks this async call chain holds (their `active` flag drops on release, so detached work cannot reuse them). */
const held = new AsyncLocalStorage<Map<string, { active: boolean }>>();
/** In-process FIFO per lock: proper-lockfile refuses a second lock on the same path from the same process. */
const queues = new Map<string, Promise<void>>();

export interface LockOptions {
  waitMs?: number;
  signal?: AbortSignal;
}

/** Run `fn` holding the home's state lock. */
export function withStateLock<T>(stateDir: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  return withLock(path.join(stateDir, 'home.lock'), `the agent home ${path.dirname(stateDir)}`, fn, opts);
}

/** Run `fn` holding the renewal lock of one certificate. */
export function withRenewalLock<T>(
  stateDir: string,
  sha256Fingerprint: string,
  fn: () => Promise<T>,
  opts: LockOptions = {},
): Promise<T> {
  const fp = sha256Fingerprint.toUpperCase().replace(/[^0-9A-F]/g, '');
  const lock = path.join(stateDir, 'locks', `renew-${fp}.lock`);
  return withLock(lock, `the renewal of certificate ${fp.slice(0, 16)}…`, fn, opts);
}

export async function withLock<T>(lock: string, what: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const mine = held.getStore();
  if (mine?.get(lock)?.active) return fn();
  const waitMs = opts.waitMs ?? lockWaitMs();
  const deadline = Date.now() + waitMs;
  const busy = (holder?: LockHolder) =>
    withText(
      new HomeBusyError(
        `another KeyTalk Agent process${holder ? ` (pid ${holder.pid}, ${holder.role})` : ''} kept ${what} busy for more than ${Math.round(waitMs / 1000)} s; try again when it has finished`,
        holder,
      ),
      'home.busy',
    );

  // Queue behind earlier callers in this process.
  const prev = queues.get(lock) ?? Promise.resolve();
  let done!: () => void;
  const mineDone = new Promise<void>((r) => (done = r));
  const tail = prev.then(() => mineDone);
  queues.set(lock, tail);
  try {
    if (!(await settlesBefore(prev, deadline, opts.signal))) throw busy(await readHolder(lock));
    const release = await acquire(lock, what, deadline, opts.signal, busy);
    const entry = { active: true };
    try {
      return await held.run(new Map([...(mine ?? []), [lock, entry]]), fn);
    } finally {
      entry.active = false;
      await fs.rm(`${lock}.owner`, { force: true }).catch(() => undefined);
      await release().catch(() => undefined);
    }
  } finally {
    done();
    if (queues.get(lock) === tail) queues.delete(lock);
  }
}

async function acquire(
  lock: string,
  what: string,
  deadline: number,
  signal: AbortSignal | undefined,
  busy: (h?: LockHolder) => Error,
): Promise<() => Promise<void>> {
  await mkdirInheritingPrivacy(path.dirname(lock));
  let told = false;
  const announceAt = Date.now() + ANNOUNCE_AFTER_MS;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const release = await lockfile.lock(lock, {
        lockfilePath: lock,
        realpath: false,
        stale: lockStaleMs(),
        // A holder frozen past the stale time lost its lock to another process; that one now owns the state. Nothing
        // to undo here (each write is atomic), and proper-lockfile's default would throw from a timer and kill us.
        onCompromised: () => undefined,
      });
      const owner: LockHolder = { pid: process.pid, role, since: new Date().toISOString() };
      // Plain write: only the "waiting for pid N" message reads it, and a torn read just omits the pid.
      await fs.writeFile(`${lock}.owner`, JSON.stringify(owner), { mode: 0o600 }).catch(() => undefined);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    }
    const holder = await readHolder(lock);
    if (Date.now() >= deadline) throw busy(holder);
    // Only a wait someone would notice is announced: the state lock changes hands in milliseconds all day.
    if (!told && Date.now() >= announceAt) {
      told = true;
      for (const l of waitListeners) l({ lock, what, holder });
    }
    await sleep(POLL_MS, signal);
  }
}

async function readHolder(lock: string): Promise<LockHolder | undefined> {
  try {
    const h = JSON.parse(await fs.readFile(`${lock}.owner`, 'utf8')) as LockHolder;
    return typeof h.pid === 'number' ? h : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves true when `p` settles before the deadline, false at the deadline. */
function settlesBefore(p: Promise<unknown>, deadline: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(false);
      },
      Math.max(0, deadline - Date.now()),
    );
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settled = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    };
    void p.then(settled, settled);
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
