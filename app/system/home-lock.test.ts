import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HomeBusyError, onLockWait, withStateLock, type LockWait } from './home-lock';

// Issue 22, one home shared by several processes: the lock itself, with real processes (test-support/system/lock-child.ts).
// A killed holder's lock goes stale after 2 s here (20 s in real use): the child reads the same variable.
process.env.KEYTALK_AGENT_LOCK_STALE_MS = '2000';
const root = mkdtempSync(path.join(os.tmpdir(), 'kt-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const stateDir = () => path.join(root, `home${n++}`, 'state');

function child(args: string[]): ChildProcess & { exited: Promise<number | null> } {
  const c = spawn(process.execPath, ['--import', 'tsx', 'test-support/system/lock-child.ts', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return Object.assign(c, { exited: new Promise<number | null>((r) => c.on('exit', (code) => r(code))) });
}

/** Resolves once the child printed "locked" (it holds the state lock). */
function holding(c: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    c.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    c.on('exit', (code) => reject(new Error(`lock holder exited (${code})`)));
  });
}

describe('home lock', () => {
  it('two processes doing read-modify-write on one file under the lock lose no update', async () => {
    const dir = stateDir();
    await fs.mkdir(dir, { recursive: true });
    const a = child(['increment', dir, '40']);
    const b = child(['increment', dir, '40']);
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'counter.json'), 'utf8'))).toBe(80);
  }, 60_000);

  it('a live holder makes a bounded wait fail naming it; once SIGKILLed, its lock is taken over when stale', async () => {
    const dir = stateDir();
    const holder = child(['hold', dir]);
    await holding(holder);
    const waits: LockWait[] = [];
    const off = onLockWait((w) => waits.push(w));
    try {
      let ran = false;
      const busy = await withStateLock(
        dir,
        async () => {
          ran = true;
        },
        { waitMs: 1500 },
      ).catch((e: unknown) => e);
      expect(busy).toBeInstanceOf(HomeBusyError);
      expect((busy as HomeBusyError).holder).toMatchObject({ pid: holder.pid, role: 'test hold' });
      expect((busy as Error).message).toContain(`pid ${holder.pid}`);
      expect(ran).toBe(false);
      expect(waits[0]).toMatchObject({ holder: { pid: holder.pid } });

      holder.kill('SIGKILL');
      await holder.exited;
      // No cleanup ran in the killed process: its lock folder is still there, and it stops being refreshed.
      await expect(fs.stat(path.join(dir, 'home.lock'))).resolves.toBeTruthy();
      const got = await withStateLock(dir, async () => 'taken over');
      expect(got).toBe('taken over');
      // Released again: the next caller gets it without waiting.
      waits.length = 0;
      await withStateLock(dir, async () => undefined);
      expect(waits).toEqual([]);
    } finally {
      off();
      holder.kill('SIGKILL');
    }
  }, 60_000);

  it('is re-entrant along one call chain and queues unrelated callers of the same process', async () => {
    const dir = stateDir();
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, 'counter.json');
    await fs.writeFile(file, '0');
    const nested = await withStateLock(dir, () => withStateLock(dir, async () => 'inner'), { waitMs: 1000 });
    expect(nested).toBe('inner');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withStateLock(dir, async () => {
          const v = JSON.parse(await fs.readFile(file, 'utf8')) as number;
          await new Promise((r) => setImmediate(r));
          await fs.writeFile(file, JSON.stringify(v + 1));
        }),
      ),
    );
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toBe(20);
  });
});
