import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRootCa, issueLeafCertificate } from '../pki/index';
import { startKeytalkSimulator, type KeytalkSimulator } from './index';
import { freshStateDir } from './test-state';
import { RcdpClient, request } from './test-client';

let sim: KeytalkSimulator;
let dir: string;

beforeAll(async () => {
  dir = await freshStateDir('kt-flows-');
  sim = await startKeytalkSimulator({ fixture: path.join(import.meta.dirname, 'fixtures', 'demo.yaml'), stateDir: dir });
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function authed(
  service: string,
  user = 'DemoUser',
  extra: Record<string, string> = {},
  version = '2.8.3',
): Promise<RcdpClient> {
  const c = new RcdpClient(sim.url, sim.caFile, version);
  await c.open();
  const r = await c.auth(service, { USERID: user, PASSWD: 'secret', ...extra });
  expect(r['auth-status']).toBe('OK');
  return c;
}
const leafOf = (pem: string) => new X509Certificate(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(pem)![0]);

describe('cert flows (spec 2.7.2)', () => {
  it('submitted → in-progress (poll with cookie) → cert', async () => {
    const c = await authed('SUBMITTED');
    const first = (await c.post('cert', { format: 'PEM' })).json<{ status: string; cookie: { name: string; value: string } }>();
    expect(first.status).toBe('submitted');
    const cookie = JSON.stringify(first.cookie);
    expect((await c.post('cert', { format: 'PEM', cookie })).json().status).toBe('in-progress');
    expect((await c.post('cert', { format: 'PEM', cookie })).json().status).toBe('cert');
  });

  it('pending-approval: approval-ongoing false, then true, then issued after the polls (or control approve)', async () => {
    const a = new RcdpClient(sim.url, sim.caFile);
    await a.open();
    await a.auth('APPROVAL', { USERID: 'OtpUser', PASSWD: 'secret' });
    expect((await a.post('cert', { format: 'PEM' })).json()).toEqual({ status: 'pending-approval', 'approval-ongoing': false });
    expect((await a.post('cert', { format: 'PEM' })).json()).toEqual({ status: 'pending-approval', 'approval-ongoing': true });
    expect((await a.post('cert', { format: 'PEM' })).json().status).toBe('cert');
    const b = await authed('APPROVAL', 'DemoUser');
    await request(`${sim.control}/users/DemoUser/approve`, { method: 'POST', body: JSON.stringify({ service: 'APPROVAL' }) });
    expect((await b.post('cert', { format: 'PEM' })).json().status).toBe('cert');
  });

  it('cert-challenge: approver e-mails, answered with the chosen one; approval mail in the outbox', async () => {
    const c = await authed('GLOBALSIGN');
    const ch = (await c.post('cert', { format: 'P12v2' })).json<{
      status: string;
      'challenge-type': string;
      'challenge-data': string;
      cookie: object;
    }>();
    expect(ch.status).toBe('cert-challenge');
    expect(ch['challenge-type']).toBe('select-globalsign-domainssl-approver-email');
    const emails = JSON.parse(Buffer.from(ch['challenge-data'], 'base64').toString()) as string[];
    expect(emails).toEqual(['admin@keytalk.test', 'hostmaster@keytalk.test']);
    const bad = await c.post('cert', {
      format: 'P12v2',
      cookie: JSON.stringify(ch.cookie),
      response: JSON.stringify({ type: ch['challenge-type'], data: Buffer.from('evil@x').toString('base64') }),
    });
    expect(bad.status).toBe(400);
    const ch2 = (await c.post('cert', { format: 'P12v2' })).json<{ cookie: object }>();
    const ok = await c.post('cert', {
      format: 'P12v2',
      cookie: JSON.stringify(ch2.cookie),
      response: JSON.stringify({
        type: 'select-globalsign-domainssl-approver-email',
        data: Buffer.from(emails[1]!).toString('base64'),
      }),
    });
    expect(ok.json().status).toBe('cert');
    const mails = (await request(`${sim.control}/outbox?to=hostmaster@keytalk.test`)).json<{ kind: string }[]>();
    expect(mails.map((m) => m.kind)).toContain('approval');
  });

  it('extra fields: execute-sync, store-to-system, address books, S/MIME settings, disclaimer, historical certs', async () => {
    const c = await authed('SMIME');
    const first = (await c.post('cert', { format: 'PEM' })).json<Record<string, unknown>>();
    expect(first).toMatchObject({
      status: 'cert',
      'execute-sync': true,
      'store-to-system': false,
      'apply-address-books': true,
      'address-books': [{ ldap_svr_url: 'ldaps://ldap.keytalk.test', search_base: 'ou=people,dc=keytalk,dc=test' }],
      'apply-smime-settings': true,
      'set-disclaimer': true,
    });
    const second = (await c.post('cert', { format: 'PEM' })).json<{ 'historical-certs': string[]; cert: string }>();
    expect(second['historical-certs']).toHaveLength(1);
    expect(leafOf(second['historical-certs'][0]!).serialNumber).toBe(leafOf(first.cert as string).serialNumber);
    const oob = (await c.post('cert', { format: 'PEM', 'out-of-band': 'true' })).json<{ 'historical-certs-url-templ': string }>();
    const gz = await request(oob['historical-certs-url-templ'].replace('$(KEYTALK_SVR_HOST)', new URL(sim.url).host), {
      ca: c.ca,
    });
    expect(JSON.parse(gunzipSync(gz.body).toString())).toHaveLength(2);
  });

  it('common-name (ALLOWED), given-name + surname (2.8.2, ALLOWED-AS-GIVENNAME_SURNAME), san-domains (2.8.3)', async () => {
    const c = await authed('PASSWD');
    const cert = (
      await c.post('cert', {
        format: 'PEM',
        'common-name': 'Custom Name',
        'san-domains': JSON.stringify(['a.keytalk.test', 'b.keytalk.test']),
      })
    ).json<{ cert: string }>().cert;
    const leaf = leafOf(cert);
    expect(leaf.subject).toContain('CN=Custom Name');
    expect(leaf.subjectAltName).toContain('DNS:a.keytalk.test');
    const old = await authed('PASSWD', 'DemoUser', {}, '2.8.2');
    const oldLeaf = leafOf(
      (await old.post('cert', { format: 'PEM', 'san-domains': JSON.stringify(['c.keytalk.test']) })).json<{ cert: string }>()
        .cert,
    );
    expect(oldLeaf.subjectAltName ?? '').not.toContain('c.keytalk.test');
    expect((await c.post('cert', { format: 'PEM', 'san-domains': '["bad domain"]' })).status).toBe(400);
  });

  it('per-service lifetime in seconds (SHORT: 30 s) and the control endpoint shortens later certs', async () => {
    const c = await authed('SHORT');
    const leaf = leafOf((await c.post('cert', { format: 'PEM' })).json<{ cert: string }>().cert);
    expect((Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 1000).toBe(30);
    await request(`${sim.control}/users/SecurIdUser/shorten`, { method: 'POST', body: JSON.stringify({ seconds: 5 }) });
    const s = new RcdpClient(sim.url, sim.caFile);
    await s.open();
    await s.auth('PASSWD', { USERID: 'SecurIdUser', PASSWD: 'secret' });
    const r = await s.authenticate({ service: 'PASSWD', 'caller-hw-description': 'x', USERID: 'SecurIdUser', PASSWD: '8642' });
    expect(r['auth-status']).toBe('OK');
    const short = leafOf((await s.post('cert', { format: 'PEM' })).json<{ cert: string }>().cert);
    expect((Date.parse(short.validTo) - Date.parse(short.validFrom)) / 1000).toBe(5);
  });

  it('revoking through the control endpoint makes the seat unusable (1009) and self-service unavailable', async () => {
    const c = await authed('SEAT', 'OtpUser', { 'computer-name': 'otp-pc' });
    await c.post('cert', { format: 'PEM' });
    const s = new RcdpClient(sim.url, sim.caFile);
    await s.open();
    expect(
      (await s.get('auth-requirements', { service: 'SEAT', USERID: 'OtpUser', 'computer-name': 'otp-pc' })).json()[
        'encrypted-challenge'
      ],
    ).toBeTruthy();
    const rev = (await request(`${sim.control}/users/OtpUser/revoke`, { method: 'POST', body: '{}' })).json<{
      revoked: string[];
    }>();
    expect(rev.revoked.length).toBeGreaterThan(0);
    const t = new RcdpClient(sim.url, sim.caFile);
    await t.open();
    expect(
      (await t.get('auth-requirements', { service: 'SEAT', USERID: 'OtpUser', 'computer-name': 'otp-pc' })).json(),
    ).toMatchObject({ status: 'error', code: 1009 });

    const d = await authed('PASSWD');
    const leaf = leafOf((await d.post('cert', { format: 'PEM' })).json<{ cert: string }>().cert);
    const avail = () =>
      request(`${sim.url}/public/self-service-availability`, {
        method: 'POST',
        ca: d.ca,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ cert: leaf.toString() }).toString(),
      });
    expect((await avail()).json()).toEqual({ status: 'self-service-availability', available: true });
    await request(`${sim.control}/users/DemoUser/revoke`, {
      method: 'POST',
      body: JSON.stringify({ serial: leaf.serialNumber }),
    });
    expect((await avail()).json()).toEqual({ status: 'self-service-availability', available: false });
  });
});

describe('other service actions (2.7.1, 2.7.4, 2.7.6–2.7.8)', () => {
  it('last-messages: from-utc filter, and messages changed at run time through the control endpoint', async () => {
    const c = await authed('PASSWD');
    const all = (await c.get('last-messages')).json<{ messages: { text: string; utc: string }[] }>().messages;
    expect(all).toHaveLength(2);
    const later = (await c.get('last-messages', { 'from-utc': '2026-01-15T00:00:00Z' })).json<{ messages: { text: string }[] }>()
      .messages;
    expect(later.map((m) => m.text)).toEqual(['Your certificate will be renewed automatically']);
    await request(`${sim.control}/messages`, {
      method: 'POST',
      body: JSON.stringify({ text: 'Server moves tonight', utc: '2026-03-01T00:00:00Z' }),
    });
    await request(`${sim.control}/messages`, {
      method: 'PUT',
      body: JSON.stringify({ user: 'DemoUser', messages: [{ text: 'Personal note', utc: '2026-04-01T00:00:00Z' }] }),
    });
    const now = (await c.get('last-messages')).json<{ messages: { text: string }[] }>().messages.map((m) => m.text);
    expect(now).toEqual(['Planned maintenance on Saturday 06:00-08:00 UTC', 'Server moves tonight', 'Personal note']);
    expect((await c.get('last-messages', { 'from-utc': 'yesterday' })).status).toBe(400);
  });

  it('store-certs: certificates with their key are stored, others skipped (SHA-1 fingerprints)', async () => {
    const c = await authed('PASSWD');
    const ca = await createRootCa('t', { cn: 'Scanner Test CA' });
    const k1 = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const k2 = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const c1 = issueLeafCertificate(ca, { subject: { cn: 'one' }, publicKey: k1.publicKey, lifetimeSeconds: 3600 });
    const c2 = issueLeafCertificate(ca, { subject: { cn: 'two' }, publicKey: k2.publicKey, lifetimeSeconds: 3600 });
    const certificates = c1.pem + k1.privateKey.export({ type: 'pkcs8', format: 'pem' }) + c2.pem;
    expect((await c.post('store-certs', { certificates })).json()).toEqual({
      status: 'store-certs',
      stored: [c1.sha1],
      skipped: [c2.sha1],
    });
    const log = readFileSync(sim.requestLog, 'utf8');
    expect(log).not.toContain('BEGIN PRIVATE KEY');
  });

  it('smbcerts: one certificate per shared mailbox, and out-of-band URLs from 2.7.9', async () => {
    const c = await authed('PASSWD');
    const r = (await c.post('smbcerts', { format: 'PEM' })).json<{ smbcerts: { upn: string; cert: string }[] }>();
    expect(r.smbcerts.map((s) => s.upn)).toEqual(['sales@keytalk.test']);
    expect(leafOf(r.smbcerts[0]!.cert).subjectAltName).toContain('email:sales@keytalk.test');
    const oob = (await c.post('smbcerts', { format: 'P12', 'out-of-band': 'true' })).json<{
      smbcerts: { 'cert-url-templ': string }[];
    }>();
    expect(oob.smbcerts[0]!['cert-url-templ']).toContain('$(KEYTALK_SVR_HOST)');
    const old = await authed('PASSWD', 'DemoUser', {}, '2.7.8');
    expect((await old.post('smbcerts', { format: 'PEM', 'out-of-band': 'true' })).status).toBe(400);
  });

  it('cert-scraping-settings answers the schedule', async () => {
    const c = await authed('PASSWD');
    expect((await c.get('cert-scraping-settings')).json()).toEqual({
      status: 'cert-scraping-settings',
      schedule: 'never',
      'cert-purposes': [],
      'cert-store-types': [],
    });
  });

  it('tpm-attestation (2.7.4): 1007 for an EK cert from a foreign CA; ak-name must be a TPM name', async () => {
    // The full exchange (1008, challenge, evidence) needs TPM structures: app/tpm/tpm-attest.test.ts against swtpm.
    const c = await authed('PASSWD');
    const ek = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const foreignCa = await createRootCa('f', { cn: 'Not the EK CA' });
    const foreign = issueLeafCertificate(foreignCa, { subject: { cn: 'EK' }, publicKey: ek.publicKey, lifetimeSeconds: 86400 });
    const blob = ek.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const akName = `000b${'ab'.repeat(32)}`;
    expect(
      (await c.post('tpm-attestation', { 'ek-cert': foreign.pem, 'ek-pub-blob': blob, 'ak-name': akName })).json(),
    ).toMatchObject({ status: 'error', code: 1007 });
    const bad = await c.post('tpm-attestation', { 'ek-cert': foreign.pem, 'ek-pub-blob': blob, 'ak-name': 'ak' });
    expect(bad.status).toBe(400);
  });
});
