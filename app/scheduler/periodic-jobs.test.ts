import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeytalkSimulator, type KeytalkSimulator } from '../../simulators/keytalk';
import { PublicApiClient } from '../public-api/client';
import { importRccd } from '../rccd/provider-store';
import type { ProviderRecord } from '../rccd/types';
import { createProviderAgent, providerOrigin } from '../tls';
import {
  createDisclaimerHandler,
  createKeepAliveHandler,
  createSeatTemplatesHandler,
  DisclaimerState,
  DISCLAIMER_KIND,
  disclaimerJobId,
  KEEP_ALIVE_KIND,
  PERIODIC_RETRY,
  keepAliveJobId,
  seatAutoRenewDecision,
  SEAT_TEMPLATES_KIND,
  seatTemplatesJobId,
  type DisclaimerChange,
} from './periodic-jobs';
import { Scheduler } from './scheduler';
import { seededRandom, SleepyClock } from '../../test-support/scheduler/scheduler-harness';

// The real KeyTalk simulator (its Public API), reached through the real provider TLS agent built from its RCCD.
let sim: KeytalkSimulator;
let provider: ProviderRecord;
let home: string;
let api: PublicApiClient;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-periodic-'));
  home = path.join(dir, 'home');
  mkdirSync(path.join(home, 'state'), { recursive: true });
  sim = await startKeytalkSimulator({
    fixture: path.resolve('simulators/keytalk/fixtures/demo.yaml'),
    stateDir: path.join(dir, 'sim'),
  });
  provider = await importRccd(home, readFileSync(sim.rccds.Demo!));
  api = new PublicApiClient({ baseUrl: providerOrigin(provider), agent: createProviderAgent(provider, { keepAlive: false }) });
});
afterAll(async () => {
  await sim?.stop();
});

const faults = (method: 'POST' | 'DELETE', body?: unknown) =>
  fetch(`${sim.control}/faults`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });

function scheduler(clock: SleepyClock, name: string) {
  return new Scheduler({
    stateFile: path.join(home, 'state', `${name}.json`),
    clock,
    monotonicNow: clock.monotonic,
    random: seededRandom(11),
    startupJitterMs: 0,
    retry: PERIODIC_RETRY,
  });
}

describe('periodic jobs against the KeyTalk simulator', () => {
  it('Public API client reads the simulator through the RCCD-pinned agent', async () => {
    expect(await api.version()).toBe('7.8.0');
    expect(await api.certExpirationMargin({ service: 'PASSWD' })).toBe(86_400);
    expect(await api.keepAliveInterval('PASSWD')).toBe(3600);
    expect(await api.healthCheck()).toEqual({ operational: true });
  });

  it('keep-alive: sends i-am-alive with the identity at the server interval, backs off while the server fails', async () => {
    const clock = new SleepyClock();
    const s = scheduler(clock, 'keepalive');
    s.handle(KEEP_ALIVE_KIND, createKeepAliveHandler({ publicApi: async () => api }));
    await s.start();
    const data = { provider: 'Demo', templateName: 'PASSWD', user: 'DemoUser', computerName: 'demo-pc' };
    const id = keepAliveJobId(data);
    await s.set({ id, kind: KEEP_ALIVE_KIND, dueAt: clock.now(), data });
    await clock.advance(0);
    await s.idle();
    let job = s.get(id)!;
    expect(job.lastSuccessAt).toBe(clock.now());
    expect(job.reason).toBe('keep-alive every 60 min (server setting for PASSWD)');
    // Next one in [1 h, 1 h + 6 min] (10% jitter bound).
    expect(job.dueAt - clock.now()).toBeGreaterThanOrEqual(3_600_000);
    expect(job.dueAt - clock.now()).toBeLessThanOrEqual(3_960_000);
    const log = (await (await fetch(`${sim.control}/log`)).json()) as { path?: string; url?: string }[];
    expect(JSON.stringify(log)).toContain('i-am-alive');

    // Server failing: the job backs off (periodic policy: full jitter over two periods, U(0, 2 h)), keeps its data, then recovers.
    let wait = 0;
    await faults('POST', { route: '/public/', kind: 'status', status: 503 });
    try {
      await clock.advance(job.dueAt - clock.now());
      await s.idle();
      job = s.get(id)!;
      expect(job.failures).toBe(1);
      expect(job.lastError).toMatch(/HTTP 503/);
      wait = job.dueAt - clock.now();
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThanOrEqual(2 * 3_600_000);
    } finally {
      await faults('DELETE');
    }
    await clock.advance(wait);
    await s.idle();
    job = s.get(id)!;
    expect(job.failures).toBe(0);
    // Recovering: re-spread over [P/2, P] so a fleet recovering together does not stay together.
    expect(job.dueAt - clock.now()).toBeGreaterThanOrEqual(1_800_000);
    expect(job.dueAt - clock.now()).toBeLessThanOrEqual(3_600_000);
    await s.stop();
  });

  it('disclaimer: applies a new one through the hook, keeps it, and does not re-apply an unchanged one', async () => {
    const clock = new SleepyClock();
    const s = scheduler(clock, 'disclaimer');
    const state = new DisclaimerState(path.join(home, 'state'));
    const applied: DisclaimerChange[] = [];
    s.handle(
      DISCLAIMER_KIND,
      createDisclaimerHandler({ publicApi: async () => api, state, applyDisclaimer: async (c) => void applied.push(c) }),
    );
    await s.start();
    const data = { provider: 'Demo', service: 'SMIME', email: 'demo@keytalk.test' };
    await s.set({ id: disclaimerJobId(data), kind: DISCLAIMER_KIND, dueAt: clock.now(), data });
    await clock.advance(0);
    await s.idle();
    expect(applied).toHaveLength(1);
    expect(applied[0]!.disclaimer!.name).toBe('Demo disclaimer');
    expect(Buffer.from(applied[0]!.disclaimer!.zipBase64, 'base64').subarray(0, 2).toString()).toBe('PK');
    const kept = await state.list();
    expect(kept).toEqual([expect.objectContaining({ name: 'Demo disclaimer', appliedAt: new Date(clock.now()).toISOString() })]);
    const job = s.get(disclaimerJobId(data))!;
    await clock.advance(job.dueAt - clock.now());
    await s.idle();
    expect(applied).toHaveLength(1);
    expect((await state.list())[0]!.checkedAt).toBe(new Date(clock.now()).toISOString());
    await s.stop();
  });

  it('disclaimer: a change on the server is applied, recorded, then reported; a withdrawn one is removed', async () => {
    const clock = new SleepyClock();
    const s = scheduler(clock, 'disclaimer-change');
    const state = new DisclaimerState(path.join(home, 'state', 'change'));
    mkdirSync(path.dirname(state.file), { recursive: true });
    const applied: DisclaimerChange[] = [];
    // What the state held when the change was reported: a listener re-reading the list must see the new one.
    const seen: Promise<string[]>[] = [];
    s.handle(
      DISCLAIMER_KIND,
      createDisclaimerHandler({
        publicApi: async () => api,
        state,
        applyDisclaimer: async (c) => void applied.push(c),
        onChanged: () => void seen.push(state.list().then((l) => l.map((d) => d.name))),
      }),
    );
    await s.start();
    const control = (method: string, body?: object) =>
      fetch(`${sim.control}/services/SMIME/disclaimer`, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
    const original = (await (await control('GET')).json()) as object;
    try {
      const data = { provider: 'Demo', service: 'SMIME', email: 'demo@keytalk.test' };
      const id = disclaimerJobId(data);
      await s.set({ id, kind: DISCLAIMER_KIND, dueAt: clock.now(), data });
      await s.runNow(id);
      await s.runNow(id);
      expect(applied).toHaveLength(1);
      expect(await Promise.all(seen)).toEqual([['Demo disclaimer']]);

      await control('PUT', { name: 'Demo disclaimer v2', text: 'Changed text', checkInterval: 1 });
      await s.runNow(id);
      expect(applied).toHaveLength(2);
      expect(applied[1]).toMatchObject({ disclaimer: { name: 'Demo disclaimer v2' }, previous: { name: 'Demo disclaimer' } });
      expect(await Promise.all(seen)).toEqual([['Demo disclaimer'], ['Demo disclaimer v2']]);

      await control('DELETE');
      await s.runNow(id);
      expect(applied[2]).toMatchObject({ disclaimer: undefined, previous: { name: 'Demo disclaimer v2' } });
      expect(await Promise.all(seen)).toEqual([['Demo disclaimer'], ['Demo disclaimer v2'], []]);
    } finally {
      await control('PUT', original);
      await s.stop();
    }
  });

  it('seat templates: asks which templates auto-renew and decides per certificate', async () => {
    const clock = new SleepyClock();
    const s = scheduler(clock, 'seat');
    s.handle(SEAT_TEMPLATES_KIND, createSeatTemplatesHandler({ publicApi: async () => api }));
    await s.start();
    const id = seatTemplatesJobId('Demo');
    await s.set({ id, kind: SEAT_TEMPLATES_KIND, dueAt: clock.now(), data: { provider: 'Demo', templates: ['SEAT', 'PASSWD'] } });
    await clock.advance(0);
    await s.idle();
    const data = s.get(id)!.data as { provider: string; templates: string[]; autoRenew: string[] };
    expect(data.autoRenew).toEqual(['PASSWD']);
    expect(seatAutoRenewDecision(data, 'PASSWD')).toBe(true);
    expect(seatAutoRenewDecision(data, 'SEAT')).toBe(false);
    // Empty server list: the single-template fallback (first seat template).
    expect(seatAutoRenewDecision({ ...data, autoRenew: [] }, 'SEAT')).toBe(true);
    expect(seatAutoRenewDecision({ ...data, autoRenew: [] }, 'PASSWD')).toBe(false);
    await s.stop();
  });
});
