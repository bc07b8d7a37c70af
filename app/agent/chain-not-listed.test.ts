import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { enrollWithPassword, importRccdFile, nextEvent } from '../../test-support/agent/agent-helpers';
import { MemorySecretStore } from '../system/secret-store';
import { createAgent, type AgentRuntime } from './index';

/**
 * Issue 19, "Certificates people recognise": the NSS store imports the issuing CAs beside the leaf (a real NSS
 * database through certutil/pk12util), and its listing holds them; the Certificates page and `certs` show only the
 * user's own certificate, never the chain's CAs as cards of their own.
 */
let kt: TempSimulator;
let agent: AgentRuntime;
let userHome: string;

beforeAll(async () => {
  kt = await startTempSimulator('kt-chain-not-listed-', {
    providers: [
      {
        name: 'Acme',
        services: [{ name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} }],
        users: [{ id: 'alice', password: 'a-pass' }],
      },
    ],
  });
  userHome = path.join(kt.dir, 'user');
  agent = createAgent({
    home: path.join(kt.dir, 'home'),
    userHome,
    secretStore: new MemorySecretStore(),
    engine: { sleep: async () => {} },
  });
  await importRccdFile(agent, kt.sim.rccds.Acme!);
  await agent.handlers['settings:set']({ stores: ['file', 'nss'] });
});
afterAll(async () => {
  await agent?.stop();
  await kt?.stop();
});

describe('certs:list after an enrollment into file + NSS', () => {
  it('lists exactly the issued leaf, in both stores, while the NSS database also holds the chain CAs', async () => {
    const prompt = nextEvent(agent, 'flow:prompt');
    const out = await enrollWithPassword(agent, { provider: 'Acme', service: 'PASSWD', user: 'alice', password: 'a-pass' });
    expect(out.status).toBe('issued');
    if (out.status !== 'issued') return;
    // The sign-in prompt names whom it is for, so the UI's form (and a popup) can say "Sign in to Acme — PASSWD".
    expect(await prompt).toMatchObject({ provider: 'Acme', service: 'PASSWD', prompt: { kind: 'credentials' } });

    // The premise: the NSS database really holds more than the leaf (the chain was imported with it).
    const db = `sql:${path.join(userHome, '.pki', 'nssdb')}`;
    const nicknames = execFileSync('certutil', ['-L', '-d', db], { encoding: 'utf8' }).split('\n').slice(4).filter(Boolean);
    expect(nicknames.length).toBeGreaterThan(1);

    const list = await agent.handlers['certs:list']({});
    expect(list.map((c) => c.sha256Fingerprint)).toEqual([out.sha256Fingerprint.toUpperCase()]);
    expect(list[0]!.stores.sort()).toEqual(['file', 'nss']);
    expect(list[0]).toMatchObject({ provider: 'Acme', service: 'PASSWD' });
  });
});
