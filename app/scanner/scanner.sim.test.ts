import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';
import { credentialSecretKey } from '../engine/state';
import { RcdpClient } from '../rcdp/client';
import { MemorySecretStore } from '../system/secret-store';
import { processRunner } from '../system/command-runner';
import { inspectCertificate } from './classify';
import { FolderSource } from './folder-source';
import type { ScanSource } from './found';
import { runCertScraping, type ScrapingClient } from './scanner';
import { scanWithSilentSession } from './session';
import { ScannerLocalSettings } from './settings';
import { readScannerState } from './state';
import { LinuxSystemCaSource, NssSource } from './store-sources';
import { makeKey, purposeMix, type TestKey } from '../../test-support/scanner/test-certs';

const ALL = {
  schedule: 'on-successful-authentication',
  certPurposes: ['smime', 'client-auth', 'server-auth'],
  certStoreTypes: ['personal', 'system'],
};
const fixture = {
  server: { maxRcdpVersion: '2.8.3' },
  providers: [
    {
      name: 'Scan',
      services: [
        { name: 'ALL', credentials: ['USERID', 'PASSWD'], certScraping: ALL },
        {
          name: 'CLIENT1',
          credentials: ['USERID', 'PASSWD'],
          certScraping: { schedule: 'one-shot', certPurposes: ['client-auth'], certStoreTypes: ['personal'] },
        },
        {
          name: 'SYSTEM',
          credentials: ['USERID', 'PASSWD'],
          certScraping: { schedule: 'on-successful-authentication', certPurposes: ['server-auth'], certStoreTypes: ['system'] },
        },
        {
          name: 'NEVER',
          credentials: ['USERID', 'PASSWD'],
          certScraping: { schedule: 'never', certPurposes: ['client-auth'], certStoreTypes: ['personal'] },
        },
        { name: 'KEYS', credentials: ['USERID', 'PASSWD'], certScraping: { ...ALL, certStoreTypes: ['personal'] } },
      ],
      users: [
        { id: 'DemoUser', password: 'secret' },
        { id: 'OtherUser', password: 'secret' },
      ],
    },
  ],
};

let h: SimHarness;
let key: TestKey;
let mix: ReturnType<typeof purposeMix>;
let sysMix: ReturnType<typeof purposeMix>;
let sources: ScanSource[];
const secrets = new MemorySecretStore();
const fp = (der: Buffer) => inspectCertificate(der).sha256;
const sha1 = (der: Buffer) => inspectCertificate(der).sha1;

/** Wraps the real RCDP client to record exactly what store-certs carried. */
class SpyClient implements ScrapingClient {
  readonly uploads: string[] = [];
  constructor(private readonly inner: RcdpClient) {}
  get version() {
    return this.inner.version;
  }
  certScrapingSettings() {
    return this.inner.certScrapingSettings();
  }
  storeCerts(text: string) {
    this.uploads.push(text);
    return this.inner.storeCerts(text);
  }
}

async function session(service: string, user = 'DemoUser'): Promise<{ spy: SpyClient; client: RcdpClient }> {
  const client = new RcdpClient({ server: h.server, agent: h.agent, retry: { retries: 0, baseMs: 1, maxMs: 1 } });
  await client.connect();
  await client.authRequirements({ service });
  const r = await client.authenticate({ service, USERID: user, PASSWD: 'secret', 'caller-hw-description': 'scanner test' });
  expect(r['auth-status']).toBe('OK');
  return { spy: new SpyClient(client), client };
}

const storeCertsCalls = async () =>
  ((await h.control('/log')) as { action?: string; status: number }[]).filter((e) => e.action === 'store-certs');

beforeAll(async () => {
  h = await startSimHarness(fixture as never);
  key = makeKey();
  mix = purposeMix(key, 'sim');
  sysMix = purposeMix(key, 'sys');
  // Folders: the mix, a duplicate of the server cert, a broken file, the client cert with its key.
  const dir = path.join(h.tmp, 'certs-folder');
  mkdirSync(path.join(dir, 'sub'), { recursive: true });
  for (const [name, c] of Object.entries(mix)) writeFileSync(path.join(dir, `${name}.pem`), c.pem);
  writeFileSync(path.join(dir, 'sub', 'server-copy.crt'), mix.server.der);
  writeFileSync(path.join(dir, 'sub', 'client-with-key.pem'), mix.client.pem + key.keyPem);
  writeFileSync(path.join(dir, 'broken.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  // A real NSS database holding the smime cert again (duplicate across stores) and an extra client cert.
  const db = path.join(h.tmp, 'nssdb');
  mkdirSync(db);
  execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
  const nssOnly = purposeMix(key, 'nss');
  execFileSync('certutil', ['-A', '-d', `sql:${db}`, '-n', 'smime', '-t', ',,', '-a'], { input: mix.smime.pem });
  execFileSync('certutil', ['-A', '-d', `sql:${db}`, '-n', 'nss-client', '-t', ',,', '-a'], { input: nssOnly.client.pem });
  // System CA bundle with a CA and a server certificate.
  const root = path.join(h.tmp, 'root');
  mkdirSync(path.join(root, 'etc/ssl/certs'), { recursive: true });
  writeFileSync(path.join(root, 'etc/ssl/certs/ca-certificates.crt'), sysMix.ca.pem + sysMix.server.pem);
  sources = [
    new FolderSource({ folders: [dir] }),
    new NssSource({ dbDir: db, runner: processRunner }),
    new LinuxSystemCaSource({ rootPrefix: root }),
  ];
  for (const s of ['ALL', 'CLIENT1', 'SYSTEM', 'NEVER', 'KEYS'])
    await secrets.set(credentialSecretKey('Scan', s), JSON.stringify({ USERID: 'DemoUser', PASSWD: 'secret' }));
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

const local = (over: Partial<ScannerLocalSettings> = {}) => ScannerLocalSettings.parse(over);
/** One scan of this home's sources for `target`: manual, default local settings, unless `over` says otherwise. */
const scrape = (client: ScrapingClient, target: string, over: Partial<Parameters<typeof runCertScraping>[0]> = {}) =>
  runCertScraping({ client, home: h.home, target, trigger: 'manual', sources, local: local(), ...over });

describe('cert scraping against the KeyTalk simulator', () => {
  it('dry run: selects by purpose and store type, dedupes, skips expired and broken, sends nothing', async () => {
    await h.control('/log', undefined, 'DELETE');
    const { spy, client } = await session('ALL');
    const r = await scrape(spy, 'Scan/ALL', { dryRun: true });
    await client.eoc();
    expect(r.status).toBe('dry-run');
    const got = r.items.map((i) => i.sha256).sort();
    expect(got).toContain(fp(mix.server.der));
    expect(got).toContain(fp(mix.client.der));
    expect(got).toContain(fp(mix.smime.der));
    expect(got).toContain(fp(sysMix.server.der));
    expect(got).not.toContain(fp(mix.ca.der));
    expect(got).not.toContain(fp(mix.expiredClient.der));
    expect(got).not.toContain(fp(mix.signOnly.der));
    expect(r.items).toHaveLength(5); // folder server/client/smime + NSS-only client + system server
    expect(r.items.every((i) => i.outcome === 'would-send')).toBe(true);
    expect(r.items.find((i) => i.sha256 === fp(mix.smime.der))!.locations).toHaveLength(2); // folder and NSS
    expect(r.excluded).toMatchObject({ expired: 1, unreadable: 1 });
    expect(r.skippedItems.some((s) => s.location.endsWith('broken.pem'))).toBe(true);
    expect(spy.uploads).toEqual([]);
    expect(await storeCertsCalls()).toEqual([]);
    expect((await readScannerState(h.home)).sent['Scan/ALL']).toBeUndefined();
  });

  it('uploads certificates only (no consent for keys), records the reply, and sends nothing the second time', async () => {
    await h.control('/log', undefined, 'DELETE');
    const { spy, client } = await session('ALL');
    const r = await scrape(spy, 'Scan/ALL', { local: local({ maxBatchCerts: 2 }) });
    expect(r.status).toBe('done');
    expect(r.keysIncluded).toBe(false);
    expect(spy.uploads).toHaveLength(3); // 5 certificates, 2 per batch
    expect(spy.uploads.join('')).not.toMatch(/PRIVATE KEY/);
    expect(await storeCertsCalls()).toHaveLength(3);
    // The simulator stores a certificate only with its key: all were skipped, and that is recorded.
    expect(r.items.every((i) => i.outcome === 'skipped-by-server')).toBe(true);
    const st = await readScannerState(h.home);
    expect(Object.keys(st.sent['Scan/ALL']!).sort()).toEqual(r.items.map((i) => i.sha256).sort());
    expect(st.sent['Scan/ALL']![fp(mix.client.der)]).toMatchObject({
      result: 'skipped',
      withKey: false,
      sha1: sha1(mix.client.der),
    });
    expect(st.lastScans[0]).toMatchObject({ target: 'Scan/ALL', status: 'done', matched: 5, sent: 5, skippedByServer: 5 });

    const again = await scrape(spy, 'Scan/ALL', { trigger: 'authentication' });
    await client.eoc();
    expect(again.items.every((i) => i.outcome === 'already-sent')).toBe(true);
    expect(spy.uploads).toHaveLength(3);
  });

  it('sends private keys only when the user agreed; the server then stores them', async () => {
    const { spy, client } = await session('KEYS');
    const r = await scrape(spy, 'Scan/KEYS', { local: local({ sendPrivateKeys: true }) });
    await client.eoc();
    expect(r.keysIncluded).toBe(true);
    const clientItem = r.items.find((i) => i.sha256 === fp(mix.client.der))!;
    expect(clientItem).toMatchObject({ outcome: 'stored', withKey: true });
    // certificates without a readable key still go, without one (the test certificates share one key pair, so the
    // simulator, which matches keys by public key across the request, stores them too)
    expect(r.items.find((i) => i.sha256 === fp(mix.server.der))!.withKey).toBe(false);
    expect(spy.uploads.join('').match(/BEGIN PRIVATE KEY/g)).toHaveLength(1);
    expect(r.items.some((i) => i.sha256 === fp(sysMix.server.der))).toBe(false); // personal only
  });

  it('one-shot: scans once (client-auth from personal stores only), then not again', async () => {
    const { spy, client } = await session('CLIENT1');
    const first = await scrape(spy, 'Scan/CLIENT1', { trigger: 'authentication' });
    expect(first.status).toBe('done');
    expect(first.items.every((i) => i.purposes.join() === 'client-auth')).toBe(true);
    expect(first.items).toHaveLength(2);
    const second = await scrape(spy, 'Scan/CLIENT1', { trigger: 'authentication' });
    await client.eoc();
    expect(second.status).toBe('already-done');
    expect(second.sources).toEqual([]);
    expect((await readScannerState(h.home)).oneShotDone['Scan/CLIENT1']).toBeTruthy();
  });

  it('store type system only scans the system CA store; never scans nothing', async () => {
    const sys = await session('SYSTEM');
    const r = await scrape(sys.spy, 'Scan/SYSTEM', { dryRun: true });
    await sys.client.eoc();
    expect(r.sources.map((s) => s.source)).toEqual(['linux-system-ca']);
    expect(r.items.map((i) => i.sha256)).toEqual([fp(sysMix.server.der)]);
    const nv = await session('NEVER');
    const n = await scrape(nv.spy, 'Scan/NEVER');
    await nv.client.eoc();
    expect(n.status).toBe('disabled');
    expect(n.sources).toEqual([]);
    expect(nv.spy.uploads).toEqual([]);
  });

  it('includes expired certificates when asked', async () => {
    const { spy, client } = await session('ALL', 'OtherUser');
    const r = await scrape(spy, 'Scan/ALL-expired', { local: local({ includeExpired: true }), dryRun: true });
    await client.eoc();
    expect(r.items.map((i) => i.sha256)).toContain(fp(mix.expiredClient.der));
  });

  it('on a failed upload nothing of that batch is marked sent; the next scan sends it', async () => {
    const target = 'Scan/ALL-fail';
    await h.control('/faults', { route: 'store-certs', kind: 'status', status: 503, times: 1 });
    const { spy, client } = await session('ALL', 'OtherUser');
    const failed = await scrape(spy, target);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/503/);
    expect(failed.items.every((i) => i.outcome === 'not-sent')).toBe(true);
    expect((await readScannerState(h.home)).sent[target]).toBeUndefined();
    const retry = await scrape(spy, target);
    await client.eoc();
    expect(retry.status).toBe('done');
    expect(Object.keys((await readScannerState(h.home)).sent[target]!)).toHaveLength(5);
  });

  it('scanWithSilentSession signs in with remembered credentials, scans and ends the session', async () => {
    await h.control('/log', undefined, 'DELETE');
    const engine = h.deps({ secretStore: secrets });
    const r = await scanWithSilentSession(engine, {
      provider: 'Scan',
      service: 'SYSTEM',
      trigger: 'manual',
      sources,
      local: { includeExpired: false },
    });
    expect(r.status).toBe('done');
    expect(r.items.map((i) => i.outcome)).toEqual(['skipped-by-server']);
    const actions = ((await h.control('/log')) as { action?: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['authentication', 'cert-scraping-settings', 'store-certs', 'eoc']));
  });
});
