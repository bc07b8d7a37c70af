import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import type { EventChannel } from '../ipc/contract';
import { MemorySecretStore } from '../system/secret-store';
import { createAgent, type AgentRuntime } from './index';
import { enrollWithPassword, importRccdFile, nextEvent } from '../../test-support/agent/agent-helpers';

/**
 * The scheduler renews without a flow the UI started (no flow:done), so the core reports it as certs:renewed:
 * that event is what the tray turns into the "Certificate renewed" notification.
 */
let kt: TempSimulator;
let agent: AgentRuntime;
const seen: EventChannel[] = [];

beforeAll(async () => {
  kt = await startTempSimulator('kt-unattended-', {
    providers: [
      {
        name: 'Acme',
        // Eight-second certificates renewed six seconds before expiry: the first renewal is due about two
        // seconds after issue, in real time (the core's scheduler runs on the wall clock).
        services: [{ name: 'SHORT', credentials: ['USERID', 'PASSWD'], cert: { lifetime: '8s', certExpirationMargin: 6 } }],
        users: [{ id: 'erin', password: 'pw' }],
      },
    ],
  });
  agent = createAgent({
    home: path.join(kt.dir, 'home'),
    secretStore: new MemorySecretStore(),
    mail: false,
    engine: { sleep: async () => {} },
  });
  agent.onEvent((channel) => seen.push(channel));
  await agent.start();
});
afterAll(async () => {
  await agent?.stop();
  await kt?.stop();
});

describe('unattended renewal reported to the UI', () => {
  it('a certificate renewed by the scheduler with remembered credentials is announced with certs:renewed', async () => {
    await importRccdFile(agent, kt.sim.rccds.Acme!);
    // "Remember on this computer": what lets the scheduler renew without asking.
    const first = await enrollWithPassword(agent, {
      provider: 'Acme',
      service: 'SHORT',
      user: 'erin',
      password: 'pw',
      remember: true,
    });
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
