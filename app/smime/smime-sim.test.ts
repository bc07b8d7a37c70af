import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeytalkSimulator, type KeytalkSimulator } from '../../simulators/keytalk/index';
import { describeCertificate } from '../crypto/cert-info';
import { RcdpClient } from '../rcdp/client';
import { decodeOne } from '../engine/certificate';
import { createMailIntegration } from '../mail/mail-integration';
import { nssDbKey } from '../mail/nss-dbkey';
import { parsePrefs } from '../mail/prefs';
import { FileStore } from '../stores/file-store';
import { NssStore } from '../stores/nss-store';
import { processRunner } from '../system/command-runner';
import { smimePostEnrollment } from './post-enrollment';
import {
  fetchHistoricalPackage,
  fetchSharedMailboxCerts,
  installSmimeCertificates,
  syncSharedMailboxes,
} from './shared-mailboxes';

let sim: KeytalkSimulator;
let tmp: string;
let agent: https.Agent;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-smime-'));
  sim = await startKeytalkSimulator({
    fixture: path.resolve('simulators/keytalk/fixtures/demo.yaml'),
    stateDir: path.join(tmp, 'sim'),
    port: 0,
    controlPort: 0,
  });
  agent = new https.Agent({ ca: await fs.readFile(sim.caFile, 'utf8'), keepAlive: true });
}, 60_000);
afterAll(async () => {
  agent.destroy();
  await sim.stop();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function session(versions?: string[]): Promise<RcdpClient> {
  const client = new RcdpClient({
    server: new URL(sim.url).host,
    agent,
    retry: { retries: 0, baseMs: 1, maxMs: 1 },
    ...(versions ? { versions } : {}),
  });
  await client.connect();
  await client.authRequirements({ service: 'SMIME' });
  const r = await client.authenticate({
    service: 'SMIME',
    USERID: 'DemoUser',
    PASSWD: 'secret',
    'caller-hw-description': 'smime test',
  });
  expect(r.status).toBe('auth-result');
  return client;
}

describe('shared mailboxes (smbcerts) against the simulator', () => {
  it('inline P12: the mailbox certificate is fetched, decrypted and installed with its own label', async () => {
    const client = await session();
    const got = await fetchSharedMailboxCerts(client, { format: 'P12' });
    expect(got.map((m) => m.upn)).toEqual(['sales@keytalk.test']);
    expect(describeCertificate(got[0]!.bundle!.certPem).emails).toContain('sales@keytalk.test');
    expect(got[0]!.bundle!.keyPem).toMatch(/BEGIN PRIVATE KEY/);
    await client.eoc();
  });

  it('out-of-band PEM: downloaded through cert-url-templ and stored in the file store', async () => {
    const client = await session();
    const store = new FileStore(path.join(tmp, 'certs-oob'));
    const res = await syncSharedMailboxes(client, [store], {
      format: 'PEM',
      outOfBand: true,
      provider: 'Demo',
      service: 'SMIME',
    });
    expect(res[0]!.failed).toEqual([]);
    // The current certificate, and the one the previous test fetched as the mailbox's history (a GZIP package).
    const listed = await store.list();
    const current = listed.filter((c) => !c.historical);
    expect(current).toHaveLength(1);
    expect(current[0]!.label).toBe('Demo SMIME sales@keytalk.test');
    expect(current[0]!.hasPrivateKey).toBe(true);
    expect(listed.filter((c) => c.historical && c.hasPrivateKey).length).toBeGreaterThan(0);
    const log = (await fs.readFile(sim.requestLog, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { api: string; action?: string; fields?: Record<string, string> });
    const smb = log.filter((l) => l.action === 'smbcerts').at(-1)!;
    expect(smb.fields).toMatchObject({ format: 'PEM', 'out-of-band': 'true' });
    expect(log.filter((l) => l.api === 'cert').length).toBeGreaterThan(0);
    await client.eoc();
  });

  it('a new mailbox certificate supersedes the old one: kept with its key, marked historical, never current again', async () => {
    const store = new FileStore(path.join(tmp, 'certs-superseded'));
    const opts = { format: 'PEM' as const, provider: 'Demo', service: 'SMIME' };
    // As from a server that sends no history (historical-certs is optional): only the new current certificate.
    const sync = async () => {
      const client = await session();
      const [m] = await fetchSharedMailboxCerts(client, opts);
      await client.eoc();
      const res = await installSmimeCertificates(
        [store],
        { ...m!, historical: [] },
        { label: 'Demo SMIME sales@keytalk.test', origin: { ...opts, sharedMailbox: m!.upn } },
      );
      expect(res.failed).toEqual([]);
      return res.stored[0]!.sha256Fingerprint;
    };
    const first = await sync();
    const second = await sync(); // the simulator hands out a new "latest valid" certificate each time
    expect(second).not.toBe(first);
    const listed = await store.list();
    expect(listed).toHaveLength(2);
    const old = listed.find((c) => c.sha256Fingerprint === first)!;
    expect(old).toMatchObject({ historical: true, hasPrivateKey: true, origin: { sharedMailbox: 'sales@keytalk.test' } });
    expect((await store.read(first)).keyPem).toMatch(/PRIVATE KEY/);
    expect(listed.find((c) => c.sha256Fingerprint === second)!.historical).toBeUndefined();
    // The mailbox's history listing the current certificate too does not demote it.
    const current = await store.read(second);
    await installSmimeCertificates(
      [store],
      { upn: 'sales@keytalk.test', bundle: current, historical: [{ ...current, historical: true }] },
      { label: 'Demo SMIME sales@keytalk.test', origin: { ...opts, sharedMailbox: 'sales@keytalk.test' } },
    );
    expect((await store.list()).find((c) => c.sha256Fingerprint === second)!.historical).toBeUndefined();
  });

  it('servers before 2.7.7 have no shared mailboxes: nothing is asked', async () => {
    const client = await session(['2.7.6']);
    expect(await fetchSharedMailboxCerts(client, { format: 'P12' })).toEqual([]);
    await client.eoc();
  });
});

describe('historical certificates against the simulator', () => {
  it('inline and as a GZIP package (out-of-band), installed with historical: true', async () => {
    // two enrollments give the user history; the third reply carries it
    for (let i = 0; i < 2; i++) {
      const c = await session();
      const r = await c.cert({ service: 'SMIME', format: 'P12v2' });
      expect(r.status).toBe('cert');
      await c.eoc();
    }
    const c1 = await session();
    const inline = await c1.cert({ service: 'SMIME', format: 'P12v2' });
    if (inline.status !== 'cert') throw new Error('no cert');
    expect(inline['historical-certs']!.length).toBeGreaterThanOrEqual(2);
    await c1.eoc();

    const c2 = await session();
    const oob = await c2.cert({ service: 'SMIME', format: 'PEM', 'out-of-band': 'true' });
    if (oob.status !== 'cert') throw new Error('no cert');
    expect(oob['historical-certs-url-templ']).toMatch(/\$\(KEYTALK_SVR_HOST\)/);
    await c2.download(oob['cert-url-templ']!); // the current certificate (the engine's job)
    const pkg = await fetchHistoricalPackage(c2, oob['historical-certs-url-templ']!, 'PEM');
    expect(pkg.skipped).toEqual([]);
    expect(pkg.bundles.length).toBeGreaterThanOrEqual(3);
    expect(pkg.bundles.every((b) => b.historical === true && /PRIVATE KEY/.test(b.keyPem!))).toBe(true);
    const serials = new Set(pkg.bundles.map((b) => describeCertificate(b.certPem).serialNumber));
    expect(serials.size).toBe(pkg.bundles.length);
    const store = new FileStore(path.join(tmp, 'certs-hist'));
    const inst = await installSmimeCertificates(
      store ? [store] : [],
      { historical: pkg.bundles },
      { label: 'Demo SMIME', origin: { provider: 'Demo', service: 'SMIME' } },
    );
    expect(inst.failed).toEqual([]);
    for (const h of inst.historical) {
      const meta = JSON.parse(await fs.readFile(store.paths(h.sha256Fingerprint).meta, 'utf8')) as {
        historical?: boolean;
        label: string;
      };
      expect(meta.historical).toBe(true);
      expect(meta.label).toMatch(/^Demo SMIME \(historical \d\)$/);
    }
    // single use: a second download of the package fails with a clear message
    await expect(c2.download(oob['historical-certs-url-templ']!)).rejects.toThrow(/valid once/);
    await c2.eoc();
  });
});

describe('smimePostEnrollment (what the engine calls after storing an S/MIME certificate)', () => {
  it('out-of-band: historical package, shared mailbox, Thunderbird identities for the user and the mailbox', async () => {
    const userHome = path.join(tmp, 'home');
    const root = path.join(userHome, '.thunderbird');
    const profile = path.join(root, 'p.default');
    await fs.mkdir(profile, { recursive: true });
    await fs.writeFile(path.join(root, 'profiles.ini'), '[Profile0]\nName=default\nIsRelative=1\nPath=p.default\n');
    await fs.writeFile(
      path.join(profile, 'prefs.js'),
      'user_pref("mail.identity.id1.useremail", "demo@keytalk.test");\nuser_pref("mail.identity.id2.useremail", "sales@keytalk.test");\n',
    );
    execFileSync('certutil', ['-N', '-d', `sql:${profile}`, '--empty-password']);

    const client = await session();
    const reply = await client.cert({ service: 'SMIME', format: 'PEM', 'out-of-band': 'true' });
    if (reply.status !== 'cert') throw new Error('no cert');
    const store = new FileStore(path.join(tmp, 'certs-post'));
    const b = decodeOne(await client.download(reply['cert-url-templ']!), 'PEM', client.keyPassword);
    const bundle = { ...b, label: 'Demo SMIME', origin: { provider: 'Demo', service: 'SMIME' } };
    await store.add(bundle);
    const r = await smimePostEnrollment({
      client,
      stores: [store],
      provider: 'Demo',
      service: 'SMIME',
      format: 'PEM',
      outOfBand: true,
      bundle,
      extras: {
        applySmimeSettings: reply['apply-smime-settings'],
        applyAddressBooks: reply['apply-address-books'],
        addressBooks: reply['address-books'],
      },
      historicalCertsUrlTemplate: reply['historical-certs-url-templ'],
      mail: createMailIntegration({ runner: processRunner, userHome, platform: 'linux' }),
    });
    await client.eoc();
    expect(r.problems).toEqual([]);
    expect(r.historical!.historical.length).toBeGreaterThanOrEqual(3);
    expect(r.sharedMailboxes.map((m) => m.upn)).toEqual(['sales@keytalk.test']);
    const labels = (await store.list()).map((c) => c.label);
    expect(labels).toContain('Demo SMIME sales@keytalk.test');
    expect(labels.filter((l) => /\(historical \d\)$/.test(l)).length).toBeGreaterThanOrEqual(3);
    const prefs = parsePrefs(await fs.readFile(path.join(profile, 'user.js'), 'utf8'));
    expect(prefs.get('mail.identity.id1.signing_cert_dbkey')).toBe(nssDbKey(bundle.certPem));
    // The mailbox's earlier certificates (spec 2.7.7 historical-certs) reach Thunderbird with their keys, to decrypt.
    const mailboxHistory = r.sharedMailboxes[0]!.historical.map((h) => h.sha256Fingerprint);
    expect(mailboxHistory.length).toBeGreaterThan(0);
    const tb = new NssStore({ id: 'tb', name: 'tb', dbDir: profile, usedBy: [], runner: processRunner });
    const inTb = new Map((await tb.list()).map((c) => [c.sha256Fingerprint, c.hasPrivateKey]));
    for (const fp of mailboxHistory) expect(inTb.get(fp)).toBe(true);
    const sales = (await store.list()).find((c) => c.label === 'Demo SMIME sales@keytalk.test')!;
    expect(prefs.get('mail.identity.id2.signing_cert_dbkey')).toBe(nssDbKey((await store.read(sales.sha256Fingerprint)).certPem));
    expect(prefs.get('ldap_2.servers.keytalk_ldap_keytalk_test.uri')).toMatch(/^ldaps:\/\/ldap\.keytalk\.test:636\//);
  });
});
