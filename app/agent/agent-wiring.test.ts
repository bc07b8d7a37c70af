import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeytalkSimulator, type KeytalkSimulator } from '../../simulators/keytalk/index';
import { startOnlineCaSimulator, type OnlineCaSimulator } from '../../simulators/onlineca/index';
import { addOnlineCaProvider } from '../onlineca/index';
import { MemorySecretStore } from '../system/secret-store';
import { createAgent, type AgentRuntime } from './index';
import { enrollWithPassword, importRccdFile } from '../../test-support/agent/agent-helpers';
import { defaultStoreIds } from '../stores/default-stores';

/**
 * The core as the tray app runs it: the scheduler started with the core (renewal times in certs:list and the
 * state), and an Online CA provider enrolled through the same enroll:start flow as a KeyTalk one.
 */
let tmp: string;
let ks: KeytalkSimulator;
let oca: OnlineCaSimulator;
let agent: AgentRuntime;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-wiring-'));
  [ks, oca] = await Promise.all([
    startKeytalkSimulator({
      stateDir: path.join(tmp, 'ks'),
      fixture: {
        providers: [
          {
            name: 'Acme',
            rccd: { certValidPercent: 50 },
            services: [
              { name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: { lifetime: '1h' } },
              {
                name: 'SMIME',
                credentials: ['USERID', 'PASSWD'],
                cert: { applySmimeSettings: true },
                certScraping: { schedule: 'on-successful-authentication', certPurposes: ['smime'], certStoreTypes: ['personal'] },
              },
            ],
            users: [{ id: 'alice', password: 's3cret', email: 'alice@acme.test', sharedMailboxes: ['sales@acme.test'] }],
          },
        ],
      },
    }),
    startOnlineCaSimulator({ stateDir: path.join(tmp, 'oca'), fixture: { users: [{ username: 'bob', password: 'bob-pw' }] } }),
  ]);
  agent = createAgent({
    home: path.join(tmp, 'home'),
    userHome: path.join(tmp, 'user'),
    secretStore: new MemorySecretStore(),
    engine: { sleep: async () => {} },
  });
  await agent.start();
});
afterAll(async () => {
  await agent?.stop();
  await Promise.all([ks?.stop(), oca?.stop()]);
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('agent core wiring', () => {
  it('schedules a KeyTalk certificate for renewal as soon as it is issued and explains when and why', async () => {
    await importRccdFile(agent, ks.rccds.Acme!);
    const outcome = await enrollWithPassword(agent, { provider: 'Acme', service: 'PASSWD', user: 'alice', password: 's3cret' });
    expect(outcome.status).toBe('issued');
    if (outcome.status !== 'issued') return;
    // The core hands a new certificate to the scheduler when the flow ends (a sync in the background).
    let cert;
    for (let i = 0; i < 50 && !cert?.renewAt; i++) {
      cert = (await agent.handlers['certs:list']({})).find((c) => c.sha256Fingerprint === outcome.sha256Fingerprint);
      if (!cert?.renewAt) await new Promise((r) => setTimeout(r, 100));
    }
    expect(cert?.renewAt).toBeDefined();
    const lifetime = Date.parse(outcome.notAfter) - Date.parse(outcome.notBefore);
    const renewAt = Date.parse(cert!.renewAt!);
    // Renewal falls inside the certificate's life, not before its first half (CertValidPercent 50 or the server margin).
    expect(renewAt).toBeGreaterThan(Date.parse(outcome.notBefore) + lifetime * 0.4);
    expect(renewAt).toBeLessThan(Date.parse(outcome.notAfter));
    expect(cert?.renewReason).toMatch(/\w/);
    // One subject format across the UI list and the flow outcome (RFC 4514 order).
    expect(cert?.subject).toBe(outcome.subject);
    expect((await agent.handlers['agent:get-state']({})).nextRenewal).toBe(cert!.renewAt);
    // alice's seat has a shared mailbox: its certificate came with this enrollment and is renewed with it, so it has
    // no renewal of its own (adopting it as an orphan scheduled a second enrollment of PASSWD).
    const mailbox = (await agent.handlers['certs:list']({})).find((c) => c.subject.includes('sales@acme.test'));
    expect(mailbox).toBeDefined();
    expect(mailbox?.renewAt).toBeUndefined();
  });

  it('lists an Online CA provider beside the KeyTalk one and enrolls from it through enroll:start', async () => {
    await addOnlineCaProvider(agent.home, 'Campus', oca.url, { pinnedFingerprint: oca.caFingerprints.root });
    const state = await agent.handlers['agent:get-state']({});
    expect(state.providers.map((p) => [p.name, p.kind])).toEqual(
      expect.arrayContaining([
        ['Acme', 'keytalk'],
        ['Campus', 'onlineca'],
      ]),
    );
    const outcome = await enrollWithPassword(agent, { provider: 'Campus', service: 'onlineca', user: 'bob', password: 'bob-pw' });
    expect(outcome).toMatchObject({ status: 'issued', provider: 'Campus', service: 'onlineca', stores: defaultStoreIds() });
    const certs = await agent.handlers['certs:list']({});
    expect(certs.map((c) => c.provider)).toEqual(expect.arrayContaining(['Acme', 'Campus']));
  });

  it("after an S/MIME enrollment installs the seat's shared-mailbox certificates and runs the cert scraping the server asks for", async () => {
    const outcome = await enrollWithPassword(agent, { provider: 'Acme', service: 'SMIME', user: 'alice', password: 's3cret' });
    expect(outcome.status).toBe('issued');
    const subjects = (await agent.handlers['certs:list']({})).map((c) => c.subject);
    expect(subjects.some((s) => s.includes('sales@acme.test'))).toBe(true);
    const scanner = JSON.parse(await fs.readFile(path.join(agent.home, 'state', 'scanner.json'), 'utf8')) as {
      lastScans?: unknown[];
    };
    expect(scanner.lastScans?.length).toBeGreaterThan(0);
  });

  it('stores:list says where certificates go: every store of this platform, which are enabled, where they are', async () => {
    const stores = await agent.handlers['stores:list']({});
    const file = stores.find((st) => st.id === 'file');
    expect(file).toMatchObject({ enabled: true, available: true, location: expect.stringContaining(agent.home) });
    // On by default where certutil is installed (defaultStoreIds); off once the user says so.
    const nss = stores.find((st) => st.id === 'nss');
    expect(nss).toMatchObject({ enabled: defaultStoreIds().includes('nss'), location: expect.stringContaining('.pki') });
    await agent.handlers['settings:set']({ stores: ['file'] });
    expect((await agent.handlers['stores:list']({})).find((st) => st.id === 'nss')?.enabled).toBe(false);
  });
});
