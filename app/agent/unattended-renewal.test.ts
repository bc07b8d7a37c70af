import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import type { EventChannel } from '../ipc/contract';
import { credentialSecretKey } from '../engine/state';
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
const secretStore = new MemorySecretStore();

beforeAll(async () => {
  kt = await startTempSimulator('kt-unattended-', {
    providers: [
      {
        name: 'Acme',
        // Eight-second certificates renewed six seconds before expiry: the first renewal is due about two
        // seconds after issue, in real time (the core's scheduler runs on the wall clock).
        services: [
          { name: 'SHORT', credentials: ['USERID', 'PASSWD'], cert: { lifetime: '8s', certExpirationMargin: 6 } },
          // Three strikes: a renewal that resent a rejected password would use them up.
          {
            name: 'STRICT',
            credentials: ['USERID', 'PASSWD'],
            lockAfterFailures: 3,
            cert: { lifetime: '8s', certExpirationMargin: 6 },
          },
        ],
        users: [
          { id: 'erin', password: 'pw' },
          { id: 'faye', password: 'pw' },
        ],
      },
    ],
  });
  agent = createAgent({
    home: path.join(kt.dir, 'home'),
    userHome: path.join(kt.dir, 'user'),
    secretStore,
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
    const list = await agent.handlers['certs:list']({});
    expect(list.filter((c) => !c.replacedBy).map((c) => c.sha256Fingerprint)).not.toContain(first.sha256Fingerprint);
    // Still listed, as the previous certificate the renewal replaced.
    expect(list.find((c) => c.sha256Fingerprint === first.sha256Fingerprint)).toMatchObject({
      replacedBy: renewed.sha256Fingerprint,
      stores: [],
    });
  }, 60_000);

  // RCDP 2.6.3: a DELAY rejects the attempt; an unattended run must not spend the account's lockout budget.
  it('a remembered password the server rejects: one attempt, the old certificate kept, the sign-in popup, the password forgotten', async () => {
    const first = await enrollWithPassword(agent, {
      provider: 'Acme',
      service: 'STRICT',
      user: 'faye',
      password: 'pw',
      remember: true,
    });
    expect(first.status).toBe('issued');
    if (first.status !== 'issued') return;
    // The password was changed elsewhere: the remembered one is now wrong.
    await fetch(`${kt.sim.control}/users/faye/password`, { method: 'POST', body: JSON.stringify({ password: 'changed' }) });
    await fetch(`${kt.sim.control}/log`, { method: 'DELETE' });

    const popup = await nextEvent(agent, 'popup:open', (p) => p.popup === 'unattended-renewal' && p.data.service === 'STRICT');
    expect(popup.data).toMatchObject({ kind: 'sign-in-needed', provider: 'Acme' });
    const log = (await (await fetch(`${kt.sim.control}/log`)).json()) as Array<{
      action?: string;
      fields: Record<string, string>;
    }>;
    expect(log.filter((e) => e.action === 'authentication' && e.fields.USERID === 'faye')).toHaveLength(1);
    expect(await secretStore.get(credentialSecretKey('Acme', 'STRICT'))).toBeUndefined();
    const fps = (await agent.handlers['certs:list']({})).map((c) => c.sha256Fingerprint);
    expect(fps).toContain(first.sha256Fingerprint);
    // The card says why in the user's language (issue 19): waiting for the user, because only the user can sign in now.
    await vi.waitFor(async () => {
      const card = (await agent.handlers['certs:list']({})).find((c) => c.sha256Fingerprint === first.sha256Fingerprint);
      expect(card?.renewReasonText).toMatchObject({ code: 'renewal.waiting-for-user', params: { reminder: 1 } });
      expect(card?.renewErrorText).toMatchObject({
        code: 'renewal.needs-user',
        // The refusal itself or, once the password is forgotten, the sign-in only the user can do: coded either way.
        params: { why: { code: expect.stringMatching(/^(auth\.rejected-remembered|renewal\.needs-sign-in)$/) } },
      });
    });
  }, 60_000);
});
