import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { enrollments, type EnrollmentRecord } from '../engine/state';
import type { CertificateStore } from '../stores/store';
import { seededRandom, SleepyClock } from '../../test-support/scheduler/scheduler-harness';
import { SYNC_CONCURRENCY, syncEnrolledJobs } from './enrolled-jobs';
import { renewalJobId } from './renewal-job';
import { Scheduler } from './scheduler';

/**
 * Issue 22, "daemon start-up waits 30 s per certificate on the margin call": the sync asks for the margins
 * together, at most SYNC_CONCURRENCY at once, and still schedules every certificate.
 */
describe('start-up sync', () => {
  it('asks the margin questions concurrently and bounded, and schedules every certificate', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kt-sync-'));
    const fps = Array.from({ length: 20 }, (_, i) => i.toString(16).toUpperCase().padStart(64, '0'));
    for (const fp of fps) {
      const record: EnrollmentRecord = {
        sha256Fingerprint: fp,
        provider: 'Demo',
        service: 'PASSWD',
        csr: false,
        subject: `CN=${fp.slice(-2)}`,
        notBefore: '2026-01-01T00:00:00Z',
        notAfter: '2027-01-01T00:00:00Z',
        issuedAt: '2026-01-01T00:00:00Z',
        stores: ['file'],
        credentialsRemembered: false,
        extras: {},
        rcdpVersion: '2.8.3',
      };
      await enrollments.put(home, record);
    }
    // The store only has to say which certificates it holds.
    const store = { id: 'file', list: async () => fps.map((sha256Fingerprint) => ({ sha256Fingerprint })) };
    const clock = new SleepyClock(Date.UTC(2026, 5, 1));
    const scheduler = new Scheduler({
      stateFile: path.join(home, 'state', 'schedule.json'),
      clock,
      monotonicNow: clock.monotonic,
      random: seededRandom(3),
      startupJitterMs: 0,
    });
    await scheduler.start();
    let inFlight = 0;
    let most = 0;
    await syncEnrolledJobs({
      home,
      scheduler,
      stores: async () => [store as unknown as CertificateStore],
      policyInputs: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 10));
        inFlight--;
        return { serverMarginSeconds: 86_400 };
      },
      computerName: () => 'pc',
      now: () => clock.now(),
      disclaimers: false,
      messages: false,
    });
    expect(most).toBe(SYNC_CONCURRENCY);
    for (const fp of fps) expect(scheduler.get(renewalJobId(fp))).toBeDefined();
    await scheduler.stop();
  });
});
