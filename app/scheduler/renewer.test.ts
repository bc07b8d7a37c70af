import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FlowOutcome } from '../model/flow-types';
import { FileStore } from '../stores/file-store';
import type { CertificateStore } from '../stores/store';
import { TestPki } from '../../test-support/stores/test-pki';
import { describeCertificate, type CertInfo } from '../crypto/cert-info';
import { replaceInStores } from './replace-certificate';
import { renewalJobId, RENEWAL_KIND, trackCertificate, type RenewalJobData } from './renewal-job';
import { createRenewalHandler, reminderDelay, type RenewalNotice, type RenewalNotifier } from './renewer';
import { Scheduler } from './scheduler';
import { seededRandom, SleepyClock } from '../../test-support/scheduler/scheduler-harness';

// Real file stores and real certificates with lifetimes of seconds; the engine's silent renewal is the seam
// (its own tests cover RCDP), played here by a function that issues from a test PKI and stores like the engine.
let pki: TestPki;
beforeAll(() => {
  pki = new TestPki('Renewal Test');
});

type Script = (job: RenewalJobData) => Promise<FlowOutcome> | FlowOutcome;

interface World {
  clock: SleepyClock;
  stores: CertificateStore[];
  scheduler: Scheduler;
  events: string[];
  /** The notices as the notifier got them (with their coded texts). */
  notices: RenewalNotice[];
  calls: number;
  oldFp: string;
  script: Script;
  stateFile: string;
  restart(): Promise<void>;
}

const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.scheduler.stop();
});

async function issueInto(stores: CertificateStore[], w: { clock: SleepyClock }, lifetimeSec: number, cn = 'alice') {
  const leaf = pki.leaf(cn, {}, { notBefore: new Date(w.clock.now()), days: lifetimeSec / 86_400 });
  for (const s of stores) {
    await s.add(
      {
        certPem: leaf.pem,
        keyPem: pki.leafKey.keyPem,
        chainPem: [pki.intermediate.pem],
        label: cn,
        origin: { provider: 'P', service: 'S' },
      },
      { replace: true },
    );
  }
  return describeCertificate(leaf.pem);
}

/** What the engine reports for a certificate it issued into `stores` (P/S: the test's provider and service). */
function issued(info: CertInfo, stores: string[]): FlowOutcome {
  return {
    status: 'issued',
    provider: 'P',
    service: 'S',
    subject: info.subject,
    serialNumber: info.serialNumber,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    sha256Fingerprint: info.sha256Fingerprint,
    stores,
  };
}

async function makeWorld(opts: { lifetimeSec: number; marginSec?: number; template?: string }): Promise<World> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-renew-'));
  mkdirSync(path.join(dir, 'state'), { recursive: true });
  const clock = new SleepyClock(Date.UTC(2026, 5, 1, 12, 0, 0));
  const stores: CertificateStore[] = [
    new FileStore(path.join(dir, 'a'), { id: 'file' }),
    new FileStore(path.join(dir, 'b'), { id: 'file2' }),
  ];
  const stateFile = path.join(dir, 'state', 'schedule.json');
  const old = await issueInto(stores, { clock }, opts.lifetimeSec);
  const w: World = {
    clock,
    stores,
    scheduler: undefined as unknown as Scheduler,
    events: [],
    notices: [],
    calls: 0,
    oldFp: old.sha256Fingerprint,
    stateFile,
    script: async () => {
      const info = await issueInto(stores, w, opts.lifetimeSec);
      return issued(info, ['file', 'file2']);
    },
    restart: async () => {
      await w.scheduler.stop();
      w.scheduler = build();
      await w.scheduler.start();
    },
  };
  const notifier: RenewalNotifier = {
    userActionNeeded: (n) => w.events.push(`popup#${n.reminder}:${n.message}`) && w.notices.push(n),
    locked: (n) => w.events.push(`locked:${n.message}`) && w.notices.push(n),
    renewed: (n) => w.events.push(`renewed:${n.newSha256Fingerprint}`),
  };
  const inputs = { serverMarginSeconds: opts.marginSec };
  const build = () => {
    const s = new Scheduler({
      stateFile,
      clock,
      monotonicNow: clock.monotonic,
      random: seededRandom(3),
      startupJitterMs: 0,
      tickMs: 60_000,
    });
    s.handle(
      RENEWAL_KIND,
      createRenewalHandler({
        scheduler: s,
        runSilentRenewal: async (job) => {
          w.calls++;
          return w.script(job);
        },
        replaceCertificate: (old, issued) => replaceInStores(stores, old, issued.sha256Fingerprint),
        certificateExists: async (fp) => (await stores[0]!.find({ sha256Fingerprint: fp })).length > 0,
        policyInputs: async () => inputs,
        popupTemplate: async () => opts.template,
        notifier,
        random: seededRandom(4),
      }),
    );
    return s;
  };
  w.scheduler = build();
  await w.scheduler.start();
  await trackCertificate(
    w.scheduler,
    {
      sha256Fingerprint: old.sha256Fingerprint,
      provider: 'P',
      service: 'S',
      subject: old.subject,
      notBefore: old.notBefore,
      notAfter: old.notAfter,
      stores: ['file', 'file2'],
    },
    inputs,
    seededRandom(5),
  );
  worlds.push(w);
  return w;
}

async function step(w: World, ms: number) {
  await w.clock.advance(ms);
  await w.scheduler.idle();
}

/** Advance exactly to the renewal job's due time (it includes jitter) and let it run. */
async function toDue(w: World) {
  const job = w.scheduler.get(renewalJobId(w.oldFp))!;
  await step(w, job.dueAt - w.clock.now());
}

async function fingerprints(store: CertificateStore) {
  return (await store.list()).map((c) => c.sha256Fingerprint);
}

describe('renewal orchestration', () => {
  it('renews at the margin, not before, and replaces the old certificate in every store', async () => {
    // 60 s certificate, server margin 20 s: due at 40 s (+ jitter ≤ 1% of the lifetime = 0.6 s).
    const w = await makeWorld({ lifetimeSec: 60, marginSec: 20 });
    const job = w.scheduler.get(renewalJobId(w.oldFp))!;
    expect(job.reason).toMatch(/expiration margin is 20 s/);
    expect(job.reasonText).toEqual({ code: 'renewal.server-margin', params: { marginSeconds: 20 } });
    for (let t = 0; t < 39; t++) await step(w, 1_000);
    expect(w.calls).toBe(0);
    expect(await fingerprints(w.stores[0]!)).toEqual([w.oldFp]);
    await step(w, 1_000);
    await step(w, 1_000);
    expect(w.calls).toBe(1);
    const newFp = w.events[0]!.replace('renewed:', '');
    for (const s of w.stores) expect(await fingerprints(s)).toEqual([newFp]);
    // The new certificate is watched; the old job is gone.
    expect(w.scheduler.get(renewalJobId(w.oldFp))).toBeUndefined();
    expect(w.scheduler.get(renewalJobId(newFp))!.dueAt).toBeGreaterThan(w.clock.now() + 35_000);
  });

  it('without a silent way, shows the server popup template and reminds at growing intervals; old cert kept', async () => {
    const w = await makeWorld({ lifetimeSec: 3 * 86_400, marginSec: 86_400, template: 'Please renew your KeyTalk certificate' });
    w.script = () => ({ status: 'failed', code: 'needs-input', message: 'a password is needed' });
    await step(w, 2 * 86_400_000 - 1000);
    expect(w.events).toEqual([]);
    await toDue(w);
    expect(w.events).toEqual(['popup#0:Please renew your KeyTalk certificate']);
    const job = w.scheduler.get(renewalJobId(w.oldFp))!;
    expect(job.dueAt - w.clock.now()).toBe(reminderDelay(0));
    expect(job.failures).toBe(0);
    expect(job.reason).toMatch(/waiting for you/);
    // Coded for the UI: the template as the server's words, the state and the last attempt.
    const template = 'Please renew your KeyTalk certificate';
    expect(w.notices[0]!.text).toEqual({ code: 'server.says', params: { text: template }, message: template });
    expect(job.reasonText).toEqual({ code: 'renewal.waiting-for-user', params: { reminder: 1, seconds: 900 } });
    expect(job.lastErrorText).toEqual({ code: 'renewal.needs-user', params: { why: 'a password is needed' } });
    await step(w, reminderDelay(0));
    await step(w, reminderDelay(1));
    await step(w, reminderDelay(2));
    expect(w.events.map((e) => e.split(':')[0])).toEqual(['popup#0', 'popup#1', 'popup#2', 'popup#3']);
    expect(reminderDelay(1)).toBe(2 * reminderDelay(0));
    for (const s of w.stores) expect(await fingerprints(s)).toEqual([w.oldFp]);
  });

  it('without a template the popup says the core’s own sentence, coded with the expiry', async () => {
    const w = await makeWorld({ lifetimeSec: 3600, marginSec: 600 });
    w.script = () => ({ status: 'failed', code: 'needs-input', message: 'a password is needed' });
    await toDue(w);
    const n = w.notices[0]!;
    expect(n.message).toMatch(/^Your S certificate from P expires .* needs you to sign in/);
    expect(n.text).toEqual({
      code: 'renewal.popup-sign-in',
      params: { service: 'S', provider: 'P', at: n.notAfter },
      message: n.message,
    });
  });

  it('LOCKED during unattended renewal: the user is told, nothing is lost, it retries later', async () => {
    const w = await makeWorld({ lifetimeSec: 3600, marginSec: 600 });
    w.script = () => ({ status: 'failed', code: 'locked', message: 'the seat is locked on the KeyTalk server' });
    await toDue(w);
    expect(w.events).toHaveLength(1);
    expect(w.events[0]).toMatch(/^locked:.*Nothing was lost/);
    const job = w.scheduler.get(renewalJobId(w.oldFp))!;
    expect(w.notices[0]!.text).toMatchObject({
      code: 'renewal.popup-locked',
      params: { service: 'S', at: w.notices[0]!.notAfter },
    });
    expect(job.reasonText).toEqual({ code: 'renewal.locked' });
    expect(job.failures).toBe(1);
    expect(job.dueAt).toBeGreaterThan(w.clock.now());
    for (const s of w.stores) expect(await fingerprints(s)).toEqual([w.oldFp]);
  });

  it('server down then up: backs off, keeps the old certificate, renews once the server answers', async () => {
    const w = await makeWorld({ lifetimeSec: 4 * 3600, marginSec: 3600 });
    const issue = w.script;
    let down = true;
    // The outcome's coded text (the UI translates it) is kept on the job beside the English.
    const text = { code: 'network.refused', params: { host: '127.0.0.1' }, message: 'ECONNREFUSED 127.0.0.1' };
    w.script = (job) => (down ? { status: 'failed', code: 'network', message: 'ECONNREFUSED 127.0.0.1', text } : issue(job));
    await step(w, 3 * 3600_000 + 1000);
    for (let i = 0; i < 10; i++) await step(w, 60_000);
    const failing = w.scheduler.get(renewalJobId(w.oldFp))!;
    expect(failing.failures).toBeGreaterThanOrEqual(3);
    expect(failing.lastError).toMatch(/network: ECONNREFUSED/);
    expect(failing.lastErrorText).toEqual({ code: 'network.refused', params: { host: '127.0.0.1' } });
    for (const s of w.stores) expect(await fingerprints(s)).toEqual([w.oldFp]);
    const callsWhileDown = w.calls;
    expect(callsWhileDown).toBeLessThanOrEqual(5); // back-off, not a retry per tick
    down = false;
    for (let i = 0; i < 40; i++) await step(w, 60_000);
    expect(w.events.filter((e) => e.startsWith('renewed:'))).toHaveLength(1);
    expect(await fingerprints(w.stores[1]!)).not.toContain(w.oldFp);
  });

  it('a new certificate missing from one store never costs the old one; the next run finishes without re-enrolling', async () => {
    const w = await makeWorld({ lifetimeSec: 600, marginSec: 100 });
    let onlyFirst = true;
    w.script = async () => {
      const targets = onlyFirst ? [w.stores[0]!] : w.stores;
      const info = await issueInto(targets, w, 600, 'alice-renewed');
      return issued(info, ['file']);
    };
    await toDue(w);
    expect(w.calls).toBe(1);
    const job = w.scheduler.get(renewalJobId(w.oldFp))!;
    expect(job.lastError).toMatch(/not in file2/);
    expect(job.lastErrorText).toMatchObject({
      code: 'renewal.not-in-every-store',
      params: { reason: expect.stringMatching(/not in file2/) },
    });
    expect(job.reasonText).toEqual({ code: 'renewal.switch-over' });
    expect(await fingerprints(w.stores[0]!)).toContain(w.oldFp);
    expect(await fingerprints(w.stores[1]!)).toEqual([w.oldFp]);
    // Someone (the stores' repair, the user) puts the new certificate into file2; the retry only switches over.
    const pendingFp = (job.data.pendingReplacement as { sha256Fingerprint: string }).sha256Fingerprint;
    const files = await (w.stores[0] as FileStore).read(pendingFp);
    await w.stores[1]!.add({ certPem: files.certPem, keyPem: files.keyPem, chainPem: [], label: 'x' });
    onlyFirst = false;
    for (let i = 0; i < 3; i++) await step(w, 60_000);
    expect(w.calls).toBe(1);
    for (const s of w.stores) expect(await fingerprints(s)).toEqual([pendingFp]);
  });

  it('restart mid-renewal: the interrupted renewal runs again after restart and completes', async () => {
    const w = await makeWorld({ lifetimeSec: 120, marginSec: 60 });
    const issue = w.script;
    let hang = true;
    w.script = (job) =>
      hang
        ? new Promise<FlowOutcome>((resolve) =>
            setTimeout(() => resolve({ status: 'failed', code: 'cancelled', message: 'stopped' }), 50),
          )
        : issue(job);
    await w.clock.advance(w.scheduler.get(renewalJobId(w.oldFp))!.dueAt - w.clock.now());
    for (let i = 0; i < 200 && w.calls === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(w.calls).toBe(1);
    await w.restart(); // SIGTERM while the engine was mid-flow
    hang = false;
    await step(w, 0);
    await step(w, 1_000);
    expect(w.calls).toBe(2);
    expect(w.events.filter((e) => e.startsWith('renewed:'))).toHaveLength(1);
    for (const s of w.stores) expect(await fingerprints(s)).not.toContain(w.oldFp);
  });

  it('sleep/resume: a renewal that fell due during sleep runs on the first wake-up', async () => {
    const w = await makeWorld({ lifetimeSec: 3 * 3600, marginSec: 3600 });
    w.clock.sleep(2.5 * 3600_000);
    await step(w, 1_000);
    expect(w.calls).toBe(1);
    expect(w.events.filter((e) => e.startsWith('renewed:'))).toHaveLength(1);
  });

  it('a removed certificate ends its renewal job without contacting the server', async () => {
    const w = await makeWorld({ lifetimeSec: 100, marginSec: 50 });
    for (const s of w.stores) await s.remove(w.oldFp);
    await step(w, 51_000);
    await step(w, 1_000);
    expect(w.calls).toBe(0);
    expect(w.scheduler.get(renewalJobId(w.oldFp))).toBeUndefined();
  });
});
