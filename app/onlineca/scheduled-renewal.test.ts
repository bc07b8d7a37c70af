import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOnlineCaSimulator, type OnlineCaSimulator } from '../../simulators/onlineca/index';
import { createProviderWiring } from '../agent/provider-wiring';
import type { EngineDeps } from '../engine/enroll';
import type { FlowAnswer, FlowPrompt } from '../model/flow-types';
import type { FlowFrontEnd } from '../engine/front-end';
import { enrollments } from '../engine/state';
import { withAgentScheduler } from '../../test-support/scheduler/scheduler-harness';
import { FileStore } from '../stores/file-store';
import { MemorySecretStore } from '../system/secret-store';
import { addOnlineCaProvider, bootstrapTrust, enrollOnlineCa } from './index';

// The scheduler watches what the engine records (enrollments.json): an Online CA certificate must be recorded too,
// renewed by the provider's lifetime percentage (no Public API margin), silently with the remembered password,
// and must not start KeyTalk-only jobs (keep-alive, messages) against a server that has no such API.

const tmp = mkdtempSync(path.join(os.tmpdir(), 'onlineca-sched-'));
let sim: OnlineCaSimulator;
beforeAll(async () => {
  sim = await startOnlineCaSimulator({
    fixture: { users: [{ username: 'shorty', password: 'shorty-pw', lifetimeSeconds: 100 }] },
    stateDir: path.join(tmp, 'sim'),
  });
});
afterAll(async () => {
  await sim.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const answering = (answers: Array<(p: FlowPrompt) => FlowAnswer>): FlowFrontEnd => ({
  prompt: async (p) => {
    const next = answers.shift();
    if (!next) throw new Error(`unexpected prompt ${p.kind}`);
    return next(p);
  },
  progress: () => undefined,
});

it('records the Online CA certificate, schedules it at the provider percentage and renews it unattended', async () => {
  const home = path.join(tmp, 'home');
  const store = new FileStore(path.join(home, 'certs'));
  const secretStore = new MemorySecretStore();
  await addOnlineCaProvider(home, 'ca', sim.url, { renewPercent: 50 });
  await bootstrapTrust(home, 'ca', { frontEnd: answering([() => ({ kind: 'confirm-trust', accept: true })]) });
  const first = await enrollOnlineCa({
    home,
    name: 'ca',
    stores: [store],
    secretStore,
    frontEnd: answering([() => ({ kind: 'credentials', values: { USERID: 'shorty', PASSWD: 'shorty-pw' }, remember: true })]),
  });
  const record = await enrollments.get(home, first.outcome.sha256Fingerprint);
  expect(record).toMatchObject({
    provider: 'ca',
    service: 'onlineca',
    providerKind: 'onlineca',
    credentialsRemembered: true,
    stores: ['file'],
  });
  expect(record?.userId).toBeUndefined();

  const engine: EngineDeps = {
    home,
    // What the agent core wires up: the scheduler renews through the registered provider kinds.
    providerKinds: createProviderWiring(home).kinds,
    secretStore,
    stores: () => [store],
    openProvider: async (name) => {
      throw new Error(`${name} is not a KeyTalk provider`);
    },
  };
  await withAgentScheduler({ home }, engine, 7, async ({ agent }) => {
    const status = await agent.status();
    expect(status.certificates).toHaveLength(1);
    const scheduled = status.certificates[0]!;
    const halfLife = Date.parse(first.outcome.notBefore) + 50_000;
    // Due at 50 % of the lifetime plus at most the renewal jitter (1 % of the lifetime).
    expect(Date.parse(scheduled.renewAt)).toBeGreaterThanOrEqual(halfLife);
    expect(Date.parse(scheduled.renewAt)).toBeLessThanOrEqual(halfLife + 1_000);
    expect(scheduled.reason).toMatch(/50/);
    // Only the renewal and the scheduler's own sync: no keep-alive or messages job for an Online CA.
    expect(status.keepAlive).toEqual([]);

    const [result] = await agent.renew({ force: true });
    expect(result).toMatchObject({ ran: true, outcome: 'renewed' });
    const listed = await store.list();
    expect(listed.map((c) => c.sha256Fingerprint)).not.toContain(first.outcome.sha256Fingerprint);
    expect(listed).toHaveLength(1);
    const renewed = await enrollments.get(home, listed[0]!.sha256Fingerprint);
    expect(renewed?.providerKind).toBe('onlineca');
    expect(await enrollments.get(home, first.outcome.sha256Fingerprint)).toBeUndefined();
  });
});
