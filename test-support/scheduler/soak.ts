import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PublicApiClient } from '../../app/public-api/client';
import { RENEWAL_JOB_DEADLINE_MS } from '../../app/scheduler/job-deadline';
import {
  createKeepAliveHandler,
  createMessagesHandler,
  KEEP_ALIVE_KIND,
  keepAliveJobId,
  MESSAGES_KIND,
  messagesJobId,
  PERIODIC_RETRY,
} from '../../app/scheduler/periodic-jobs';
import { renewalJitterBound } from '../../app/scheduler/fleet-policy';
import { RENEWAL_KIND, trackCertificate } from '../../app/scheduler/renewal-job';
import { createRenewalHandler } from '../../app/scheduler/renewer';
import { Scheduler } from '../../app/scheduler/scheduler';
import { seededRandom, SleepyClock } from './scheduler-harness';

/**
 * Soak (issue 22): one daemon's worth of scheduled work over simulated time — the real Scheduler with its real
 * schedule file, the real renewal, keep-alive and messages handlers, the real renewal rule and jitter — for many
 * certificates over a year. Only the far side is in memory: a "server" that issues a new certificate on renewal
 * and answers keep-alives and message polls at once. Time is a manual clock
 * jumping from timer to timer, so every job runs at its own instant. Used by scheduler/soak.test.ts (lean) and `npm run bench -- soak` (full,
 * with heap samples).
 */
export interface SoakOptions {
  certificates: number;
  days: number;
  lifetimeDays: number;
  /** The server's cert-expiration-margin. */
  marginDays: number;
  /** Templates the certificates are spread over (one keep-alive job per template and user). */
  templates: number;
  keepAliveSeconds: number;
  messagesMinutes: number;
  seed: number;
  /** Called every `sampleEveryDays` of simulated time (the bench measures the heap here). */
  sample?: (s: SoakSample) => void | Promise<void>;
  sampleEveryDays?: number;
}

export interface SoakSample {
  day: number;
  /** Timers the scheduler holds on its clock (its wake-up timer plus running jobs' deadlines). */
  clockTimers: number;
  /** Node's active handles and requests (real timers, files, sockets). */
  activeResources: number;
}

export interface SoakResult {
  renewals: number;
  keepAlives: number;
  messagePolls: number;
  /** Renewals that ran before their due time, after it by more than the jitter and one tick, or after expiry. */
  offSchedule: string[];
  /** Certificates held at the end that are past their renewal time (a renewal that never ran). */
  overdueAtEnd: number;
  samples: SoakSample[];
  clockTimersAfterStop: number;
  jobsAtEnd: number;
}

const DAY = 86_400_000;
/** Allowed lateness beyond the jitter (a job runs when its timer fires, so in practice none). */
const SLACK_MS = 60_000;

interface Cert {
  fp: string;
  service: string;
  notBefore: number;
  notAfter: number;
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  // Memory-backed where there is one: the soak writes schedule.json thousands of times, and on a disk each fsync
  // costs milliseconds of waiting that measure the disk, not the scheduler.
  const dir = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'kt-soak-'));
  const clock = new SleepyClock(Date.UTC(2026, 0, 1));
  const random = seededRandom(o.seed);
  const lifetime = o.lifetimeDays * DAY;
  const margin = o.marginDays * DAY;
  const store = new Map<string, Cert>();
  let serial = 0;
  const newCert = (service: string, notBefore: number): Cert => {
    const fp = (++serial).toString(16).toUpperCase().padStart(64, '0');
    const c = { fp, service, notBefore, notAfter: notBefore + lifetime };
    store.set(fp, c);
    return c;
  };
  const iso = (t: number) => new Date(t).toISOString();
  const r: SoakResult = {
    renewals: 0,
    keepAlives: 0,
    messagePolls: 0,
    offSchedule: [],
    overdueAtEnd: 0,
    samples: [],
    clockTimersAfterStop: 0,
    jobsAtEnd: 0,
  };
  const s = new Scheduler({
    stateFile: path.join(dir, 'state', 'schedule.json'),
    clock,
    monotonicNow: clock.monotonic,
    random,
    retry: PERIODIC_RETRY,
    startupJitterMs: 0,
    // Wake-ups exist to notice clock jumps (none in simulated time); hourly keeps a year at ~10 000 steps while jobs
    // still run at their own due times (the timer is armed for the earliest job).
    tickMs: 3_600_000,
    deadlines: { [RENEWAL_KIND]: RENEWAL_JOB_DEADLINE_MS },
  });
  const api = {
    keepAliveInterval: async () => o.keepAliveSeconds,
    iAmAlive: async () => (r.keepAlives++, {}),
  } as unknown as PublicApiClient;
  s.handle(
    RENEWAL_KIND,
    createRenewalHandler({
      scheduler: s,
      random,
      notifier: { userActionNeeded: () => {}, locked: () => {}, renewed: () => void r.renewals++ },
      policyInputs: async () => ({ serverMarginSeconds: margin / 1000 }),
      popupTemplate: async () => undefined,
      certificateExists: async (fp) => store.has(fp),
      runSilentRenewal: async (job) => {
        const now = clock.now();
        const old = store.get(job.sha256Fingerprint)!;
        const due = old.notAfter - margin;
        if (now < due || now > due + renewalJitterBound(lifetime) + SLACK_MS || now >= old.notAfter)
          r.offSchedule.push(`${old.fp.slice(-6)} due ${iso(due)} renewed ${iso(now)} expires ${iso(old.notAfter)}`);
        const c = newCert(old.service, now);
        return {
          status: 'issued',
          provider: 'Soak',
          service: c.service,
          subject: `CN=soak-${c.fp.slice(-6)}`,
          serialNumber: c.fp.slice(-8),
          notBefore: iso(c.notBefore),
          notAfter: iso(c.notAfter),
          sha256Fingerprint: c.fp,
          stores: ['file'],
        };
      },
      replaceCertificate: async (old) => void store.delete(old.sha256Fingerprint),
    }),
  );
  s.handle(KEEP_ALIVE_KIND, createKeepAliveHandler({ publicApi: async () => api }));
  s.handle(
    MESSAGES_KIND,
    createMessagesHandler({
      latestUtc: async () => undefined,
      fetchMessages: async () => (r.messagePolls++, []),
      addMessages: async () => 0,
      unreadCount: async () => 0,
      onNewMessages: () => {},
    }),
  );
  await s.start();
  // Certificates enrolled over the past lifetime, so renewals are spread as in a real home, not all on one day.
  for (let i = 0; i < o.certificates; i++) {
    const c = newCert(`T${i % o.templates}`, clock.now() - Math.floor(random() * (lifetime - margin)));
    await trackCertificate(
      s,
      {
        sha256Fingerprint: c.fp,
        provider: 'Soak',
        service: c.service,
        notBefore: iso(c.notBefore),
        notAfter: iso(c.notAfter),
        stores: ['file'],
        userId: 'u',
      },
      { serverMarginSeconds: margin / 1000 },
      random,
    );
  }
  for (let t = 0; t < o.templates; t++) {
    const data = { provider: 'Soak', templateName: `T${t}`, user: 'u', computerName: 'pc' };
    await s.ensure({ id: keepAliveJobId(data), kind: KEEP_ALIVE_KIND, dueAt: clock.now(), data });
  }
  await s.ensure({
    id: messagesJobId('Soak'),
    kind: MESSAGES_KIND,
    dueAt: clock.now(),
    data: { provider: 'Soak', periodMinutes: o.messagesMinutes },
  });
  const every = (o.sampleEveryDays ?? 30) * DAY;
  const end = clock.now() + o.days * DAY;
  let nextSample = clock.now();
  try {
    while (clock.now() < end) {
      if (clock.now() >= nextSample) {
        const sample = {
          day: Math.round((clock.now() - (end - o.days * DAY)) / DAY),
          clockTimers: clock.pendingTimers(),
          activeResources: process.getActiveResourcesInfo().length,
        };
        r.samples.push(sample);
        await o.sample?.(sample);
        nextSample += every;
      }
      // Straight to the next timer (the scheduler's wake-up or a job's deadline), then let the runs it started finish.
      const at = Math.min(clock.nextTimerAt() ?? end, end, nextSample);
      await clock.advance(Math.max(0, at - clock.now()));
      await s.idle();
    }
    r.overdueAtEnd = [...store.values()].filter(
      (c) => c.notAfter - margin + renewalJitterBound(lifetime) + SLACK_MS < clock.now(),
    ).length;
    r.jobsAtEnd = s.list().length;
  } finally {
    await s.stop();
    r.clockTimersAfterStop = clock.pendingTimers();
    rmSync(dir, { recursive: true, force: true });
  }
  return r;
}
