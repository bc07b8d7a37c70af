import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeytalkSimulator, type KeytalkSimulator } from '../../simulators/keytalk/index';
import type { EventChannel } from '../ipc/contract';
import { MemorySecretStore } from '../system/secret-store';
import { createAgent, type AgentRuntime } from './index';
import { nextEvent } from './testing';

/**
 * The scheduler renews without a flow the UI started (no flow:done), so the core reports it as certs:renewed:
 * that event is what the tray turns into the "Certificate renewed" notification.
 */
let tmp: string;
let sim: KeytalkSimulator;
let agent: AgentRuntime;
const seen: EventChannel[] = [];

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-unattended-'));
  sim = await startKeytalkSimulator({
    stateDir: path.join(tmp, 'sim'),
    fixture: {
      providers: [
        {
          name: 'Acme',
          // Eight-second certificates renewed six seconds before expiry: the first renewal is due about two
          // seconds after issue, in real time (the core's scheduler runs on the wall clock).
          services: [{ name: 'SHORT', credentials: ['USERID', 'PASSWD'], cert: { lifetime: '8s', certExpirationMargin: 6 } }],
          users: [{ id: 'erin', password: 'pw' }],
        },
      ],
    },
  });
  agent = createAgent({ home: path.join(tmp, 'home'), secretStore: new MemorySecretStore(), mail: false, engine: { sleep: async () => {} } });
  agent.onEvent((channel) => seen.push(channel));
  await agent.start();
});
afterAll(async () => {
  await agent?.stop();
  await sim?.stop();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('unattended renewal reported to the UI', () => {
  it('a certificate renewed by the scheduler with remembered credentials is announced with certs:renewed', async () => {
    const rccd = await fs.readFile(sim.rccds.Acme!);
    await agent.handlers['providers:import-rccd']({ fileName: 'Acme.rccd', dataBase64: rccd.toString('base64') });
    const prompt = nextEvent(agent, 'flow:prompt');
    const { flowId } = await agent.handlers['enroll:start']({ provider: 'Acme', service: 'SHORT' });
    const done = nextEvent(agent, 'flow:done', (p) => p.flowId === flowId);
    await prompt;
    // "Remember on this computer": what lets the scheduler renew without asking.
    await agent.handlers['flow:answer']({ flowId, answer: { kind: 'credentials', values: { USERID: 'erin', PASSWD: 'pw' }, remember: true } });
    const first = (await done).outcome;
    expect(first.status).toBe('issued');
    if (first.status !== 'issued') return;
    const flowDoneBefore = seen.filter((c) => c === 'flow:done').length;

    const renewed = await nextEvent(agent, 'certs:renewed', (r) => r.sha256Fingerprint !== first.sha256Fingerprint);
    expect(renewed).toMatchObject({ provider: 'Acme', service: 'SHORT', subject: first.subject });
    expect(Date.parse(renewed.notAfter)).toBeGreaterThan(Date.parse(first.notAfter));
    // No flow:done for it: without certs:renewed the tray would not know a renewal happened.
    expect(seen.filter((c) => c === 'flow:done').length).toBe(flowDoneBefore);
    const fps = (await agent.handlers['certs:list']({})).map((c) => c.sha256Fingerprint);
    expect(fps).not.toContain(first.sha256Fingerprint);
  }, 60_000);
});
