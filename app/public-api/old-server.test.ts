import { promises as fs } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startKeytalkSimulator, type KeytalkSimulator } from '../../simulators/keytalk/index';
import { decodeOne } from '../engine/certificate';
import { RcdpClient } from '../rcdp/client';
import { inviteSmimeRecipients } from '../smime/self-service';
import { PublicApiClient } from './client';

/**
 * An older KeyTalk server: no versionless Public API paths (keytalk-api-2.3.2 documents only /public/<version>/…),
 * Public API 1.6.6 at most, and Self-Service API 1.1.0 at most (spec 5.1). The agent always asks the newest path
 * first (3.2 "Latest API version", 5.2 /ssapi/1.1.1) and falls back when the server refuses it. The Self-Service
 * part is here too because it needs the same old server.
 */

let sim: KeytalkSimulator;
let tmp: string;
let agent: https.Agent;
let ca: string;

type Entry = { api: string; path: string; status: number };
const log = async (): Promise<Entry[]> => (await (await fetch(`${sim.control}/log`)).json()) as Entry[];

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-old-server-'));
  const demo = parse(await fs.readFile(path.resolve('simulators/keytalk/fixtures/demo.yaml'), 'utf8')) as {
    server: Record<string, unknown>;
  };
  demo.server = { ...demo.server, publicApiVersionless: false, publicApiVersion: '1.6.6', ssapiVersion: '1.1.0' };
  sim = await startKeytalkSimulator({ fixture: demo as never, stateDir: path.join(tmp, 'sim'), port: 0, controlPort: 0 });
  ca = await fs.readFile(sim.caFile, 'utf8');
  agent = new https.Agent({ ca, keepAlive: true });
}, 60_000);
afterAll(async () => {
  agent.destroy();
  await sim?.stop();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('Public API on a server that refuses the versionless path (spec 3.2 "Specific API version")', () => {
  it('falls back to the newest versioned path the server serves, then goes there directly', async () => {
    const before = (await log()).length;
    const client = new PublicApiClient({ baseUrl: sim.url, agent });
    expect(await client.shouldCertGoToSystemStore('PASSWD')).toBe(false);
    const first = (await log()).slice(before).filter((e) => e.api === 'public');
    expect(first.map((e) => [e.path, e.status])).toEqual([
      ['/public/should-cert-go-to-system-store', 404],
      ['/public/1.6.9/should-cert-go-to-system-store', 404],
      ['/public/1.6.8/should-cert-go-to-system-store', 404],
      ['/public/1.6.7/should-cert-go-to-system-store', 404],
      ['/public/1.6.6/should-cert-go-to-system-store', 200],
    ]);

    const mark = (await log()).length;
    // A new client for the same server reuses what was learned: one request, on the versioned path.
    const again = new PublicApiClient({ baseUrl: sim.url, agent });
    expect(await again.cnCustomizationPolicy({ service: 'PASSWD', user: 'DemoUser', computerName: 'pc' })).toBe('ALLOWED');
    expect((await log()).slice(mark).map((e) => e.path)).toEqual(['/public/1.6.6/cn-customization-policy']);
  });

  it('an endpoint the old server lacks on every path still fails with the 404 explanation', async () => {
    const client = new PublicApiClient({ baseUrl: sim.url, agent });
    // is-cert-tpm-attested is Public API 1.6.8; this server serves 1.6.6.
    await expect(client.isCertTpmAttested('0'.repeat(40))).rejects.toMatchObject({ httpStatus: 404 });
  });
});

describe('Self-Service API on a 1.1.0 server (spec 5.1)', () => {
  it('asks /ssapi/1.1.1 first, then enrolls on /ssapi/1.1.0', async () => {
    const client = new RcdpClient({ server: new URL(sim.url).host, agent, retry: { retries: 0, baseMs: 1, maxMs: 1 } });
    await client.connect();
    await client.authRequirements({ service: 'SMIME' });
    await client.authenticate({ service: 'SMIME', USERID: 'DemoUser', PASSWD: 'secret', 'caller-hw-description': 'old' });
    const r = await client.cert({ service: 'SMIME', format: 'P12v2' });
    if (r.status !== 'cert') throw new Error(`no cert: ${JSON.stringify(r)}`);
    const me = decodeOne(r.cert!, 'P12v2', client.keyPassword);
    await client.eoc();

    const mark = (await log()).length;
    const result = await inviteSmimeRecipients({
      publicApi: new PublicApiClient({ baseUrl: sim.url, agent }),
      ssapiBaseUrl: sim.ssapiUrl,
      client: { certPem: me.certPem, keyPem: me.keyPem!, chainPem: me.chainPem },
      trustedCas: [ca],
      recipients: [{ email: 'guest@partner.test', mobile: '+31612345678' }],
    });
    expect(result.succeeded).toEqual([{ email: 'guest@partner.test' }]);
    const ssapi = (await log()).slice(mark).filter((e) => e.api === 'ssapi');
    expect(ssapi.map((e) => [e.path, e.status])).toEqual([
      ['/ssapi/1.1.1/smime-cert-enrollment', 404],
      ['/ssapi/1.1.0/smime-cert-enrollment', 200],
    ]);
  });
});
