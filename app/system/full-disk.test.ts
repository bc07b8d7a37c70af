import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { EXIT } from '../cli/exit-codes';
import { Scheduler } from '../scheduler/scheduler';
import { seededRandom, SleepyClock } from '../../test-support/scheduler/scheduler-harness';
import { mountSmallDisk, type SmallDisk } from '../../test-support/system/small-disk';
import { writeFileAtomic } from './atomic-write';

/**
 * Issue 22, "full disk and read-only homes", on a real tmpfs (ENOSPC and EROFS from the kernel). Skipped, with
 * the reason printed, where the test cannot mount one.
 */
const disk = mountSmallDisk('2m');
if (typeof disk === 'string') console.warn(`full-disk tests skipped: ${disk}`);
const d = disk as SmallDisk;
const temps = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe.skipIf(typeof disk === 'string')('on a full or read-only disk', () => {
  afterAll(() => d.unmount());

  it('writeFileAtomic fails with ENOSPC, keeps the old content and leaves no temp file', async () => {
    const file = path.join(d.dir, 'a', 'state.json');
    await writeFileAtomic(file, 'old');
    d.fill();
    try {
      await expect(writeFileAtomic(file, 'x'.repeat(64 * 1024))).rejects.toMatchObject({ code: 'ENOSPC' });
      expect(readFileSync(file, 'utf8')).toBe('old');
      expect(temps(path.dirname(file))).toEqual([]);
    } finally {
      d.free();
    }
  });

  it('writeFileAtomic on a read-only file system fails with EROFS and keeps the old content', async () => {
    const file = path.join(d.dir, 'b', 'state.json');
    await writeFileAtomic(file, 'old');
    d.readOnly(true);
    try {
      await expect(writeFileAtomic(file, 'new')).rejects.toMatchObject({ code: 'EROFS' });
      expect(readFileSync(file, 'utf8')).toBe('old');
    } finally {
      d.readOnly(false);
    }
  });

  describe('the scheduler', () => {
    let stateFile: string;
    beforeAll(() => {
      stateFile = path.join(d.dir, 'sched', 'schedule.json');
      mkdirSync(path.dirname(stateFile), { recursive: true });
    });

    it('backs off when its state writes fail instead of hot-looping on the still-due job', async () => {
      const clock = new SleepyClock();
      const crashes: string[] = [];
      let runs = 0;
      const s = new Scheduler({
        stateFile,
        clock,
        monotonicNow: clock.monotonic,
        random: seededRandom(7),
        startupJitterMs: 0,
        log: (level, msg) => {
          if (msg === 'job-crashed') crashes.push(level);
        },
      });
      s.handle('tick', async (_job, ctx) => {
        runs++;
        return { status: 'done', nextDueAt: ctx.now + 1000 };
      });
      await s.start();
      await s.set({ id: 'due', kind: 'tick', dueAt: clock.now() + 1000 });
      d.fill();
      try {
        // Ten simulated minutes, one second at a time: before the fix, one failed write (and one temp file) per step.
        for (let i = 0; i < 600; i++) {
          await clock.advance(1000);
          await s.idle();
        }
        expect(crashes.length).toBeGreaterThan(0);
        expect(crashes.length).toBeLessThan(12);
        expect(runs).toBe(0);
        expect(temps(path.dirname(stateFile))).toEqual([]);
        expect(s.get('due')!.failures).toBe(crashes.length);
      } finally {
        d.free();
      }
      // Space again: the next attempt runs the job and the schedule is written.
      await clock.advance(s.get('due')!.dueAt - clock.now());
      await s.idle();
      expect(runs).toBe(1);
      await s.stop();
      expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({ version: 1 });
    });
  });

  describe('keytalk-agent with its home on the small disk', () => {
    let kt: TempSimulator;
    let home: string;
    const cli = (args: string[], env: Record<string, string> = {}) => runCliCaptured(args, { home, env });
    const enroll = () =>
      cli(['enroll', '--provider', 'Demo', '--service', 'PASSWD', '--user', 'DemoUser', '--json'], {
        KEYTALK_PASSWORD: 'secret',
      });
    beforeAll(async () => {
      kt = await startTempSimulator('kt-full-disk-', {
        providers: [
          {
            name: 'Demo',
            services: [{ name: 'PASSWD', credentials: ['USERID', 'PASSWD'] }],
            users: [{ id: 'DemoUser', password: 'secret' }],
          },
        ],
      });
      home = path.join(d.dir, 'home');
    });
    afterAll(async () => {
      await kt?.stop();
    });

    it('enroll on a full disk exits 10 naming the disk, keeps the enrolled certificate and leaves no temp file', async () => {
      expect((await cli(['rccd', 'import', kt.sim.rccds.Demo!])).code).toBe(EXIT.ok);
      const first = await enroll();
      expect(first.code, first.stderr).toBe(EXIT.ok);
      const before = (await cli(['certs', '--json'])).stdout;
      d.fill();
      try {
        const full = await enroll();
        expect(full.code, full.stderr).toBe(EXIT.storeFailed);
        expect(full.stdout + full.stderr).toMatch(/disk\b.*\bfull/);
        // A read-only command still answers on a full disk.
        const certs = await cli(['certs', '--json']);
        expect(certs.code, certs.stderr).toBe(EXIT.ok);
        expect(certs.stdout).toBe(before);
        for (const sub of ['state', 'certs']) expect(temps(path.join(home, sub))).toEqual([]);
      } finally {
        d.free();
      }
    });

    it('on a read-only home: enroll exits 10 naming it, certs and status still answer', async () => {
      const before = (await cli(['certs', '--json'])).stdout;
      // A stale index: certs must rebuild it in memory, not fail because it cannot save it.
      rmSync(path.join(home, 'certs', 'index.json'), { force: true });
      d.readOnly(true);
      try {
        const ro = await enroll();
        expect(ro.code, ro.stderr).toBe(EXIT.storeFailed);
        expect(ro.stdout + ro.stderr).toMatch(/read-only/);
        const certs = await cli(['certs', '--json']);
        expect(certs.code, certs.stderr).toBe(EXIT.ok);
        expect(certs.stdout).toBe(before);
        expect((await cli(['status'])).code).toBe(EXIT.ok);
      } finally {
        d.readOnly(false);
      }
    });
  });
});
