import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeytalkSimulator, type KeytalkSimulator } from './index';
import { freshStateDir } from './test-state';
import { RcdpClient, request } from './test-client';

let sim: KeytalkSimulator;
let dir: string;
let ca: string;
let userCertPem: string;
let userKeyPem: string;

const form = (p: Record<string, string>) => ({
  method: 'POST',
  ca,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(p).toString(),
});
const get = (p: string) => request(`${sim.url}${p}`, { ca });

beforeAll(async () => {
  dir = await freshStateDir('kt-public-');
  sim = await startKeytalkSimulator({ fixture: path.join(import.meta.dirname, 'fixtures', 'demo.yaml'), stateDir: dir });
  ca = readFileSync(sim.caFile, 'utf8');
  const c = new RcdpClient(sim.url, sim.caFile);
  await c.open();
  await c.auth('SMIME', { USERID: 'DemoUser', PASSWD: 'secret' });
  const pem = (await c.post('cert', { format: 'PEM' })).json<{ cert: string }>().cert;
  userCertPem = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/.exec(pem)![0];
  userKeyPem = createPrivateKey({
    key: /-----BEGIN ENCRYPTED PRIVATE KEY-----[\s\S]*?-----END ENCRYPTED PRIVATE KEY-----/.exec(pem)![0],
    passphrase: c.cookie!.slice(0, 30),
  })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Public API 1.6.x (section 3)', () => {
  it('version, health-check (and 521 when unhealthy), versioned and versionless paths', async () => {
    expect((await get('/public/version')).json()).toEqual({ status: 'version', version: '7.8.0' });
    expect((await get('/public/1.6.9/version')).json()).toEqual({ status: 'version', version: '7.8.0' });
    expect((await get('/public/health-check')).json()).toEqual({ status: 'health-check', 'check-result': 'operational' });
    await request(`${sim.control}/health`, { method: 'POST', body: JSON.stringify({ healthy: false }) });
    const sick = await get('/public/health-check');
    expect(sick.status).toBe(521);
    expect(sick.json()).toMatchObject({ 'check-result': 'error' });
    await request(`${sim.control}/health`, { method: 'POST', body: JSON.stringify({ healthy: true }) });
    expect((await request(`${sim.httpUrl}/public/version`)).status).toBe(200);
  });

  it('per-service settings: cert-expiration-margin, should-cert-go-to-system-store, address-book-list, cn policy', async () => {
    expect((await get('/public/cert-expiration-margin?service=PASSWD&user=DemoUser&computer-name=x')).json()).toEqual({
      status: 'cert-expiration-margin',
      'threshold-seconds': 86400,
    });
    expect((await get('/public/should-cert-go-to-system-store?service=PASSWD')).json()).toEqual({
      status: 'should-cert-go-to-system-store',
      'system-store': false,
    });
    expect((await get('/public/address-book-list?service=PASSWD')).json()).toEqual({
      status: 'address-book-list',
      'apply-address-books': false,
      'address-books': '',
    });
    expect((await get('/public/address-book-list?service=SMIME')).json()).toMatchObject({
      'apply-address-books': true,
      'address-books': [{ ldap_svr_url: 'ldaps://ldap.keytalk.test' }],
    });
    expect((await get('/public/cn-customization-policy?service=PASSWD&user=DemoUser&computer-name=x')).json()).toEqual({
      status: 'cn-customization-policy',
      policy: 'ALLOWED',
    });
    const unknown = await get('/public/cn-customization-policy?service=NOPE&user=DemoUser&computer-name=x');
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toMatchObject({ status: 'error' });
  });

  it('keep-alive-interval and i-am-alive (interval piggy-backed from 1.6.9, absent in 1.6.8; unknown before 1.6.7)', async () => {
    expect((await get('/public/keep-alive-interval?template-name=PASSWD')).json()).toEqual({
      status: 'keep-alive-interval',
      interval: '3600s',
    });
    const alive = (v: string) =>
      request(
        `${sim.url}/public/${v}/i-am-alive`,
        form({ 'template-name': 'PASSWD', user: 'DemoUser', 'computer-name': 'demo-pc' }),
      );
    expect((await alive('1.6.9')).json()).toEqual({ status: 'success', interval: '3600s' });
    expect((await alive('1.6.8')).json()).toEqual({ status: 'success' });
    expect((await alive('1.6.6')).status).toBe(404);
    const state = (await request(`${sim.control}/users/DemoUser`)).json<{ keepAlive?: string }>();
    expect(state.keepAlive).toBeTruthy();
  });

  it('templates-to-auto-renew-seat-certs, unattended popup template, cert-approver-emails', async () => {
    const r = await request(
      `${sim.url}/public/templates-to-auto-renew-seat-certs`,
      form({ 'template-names': JSON.stringify(['PASSWD', 'PIN', 'NOPE']) }),
    );
    expect(r.json()).toEqual({ status: 'templates-to-auto-renew-seat-certs', 'template-names': ['PASSWD'] });
    expect((await get('/public/ktagent-unattended-popup-msg-template')).json()).toMatchObject({
      status: 'ktagent-unattended-popup-msg-template',
    });
    expect((await get('/public/1.6.5/ktagent-unattended-popup-msg-template')).status).toBe(404);
    expect((await get('/public/cert-approver-emails?service=GLOBALSIGN&user=u&computer-name=c')).json()).toEqual({
      status: 'cert-approver-emails',
      emails: ['admin@keytalk.test', 'hostmaster@keytalk.test'],
    });
    expect((await get('/public/cert-approver-emails?service=PASSWD&user=u&computer-name=c')).status).toBe(400);
  });

  it('set-disclaimer-for-smime-cert-email returns a zip; rccd?uid downloads the RCCD', async () => {
    const d = (await get('/public/set-disclaimer-for-smime-cert-email?service=SMIME&email=demo%40keytalk.test')).json<{
      'set-disclaimer': boolean;
      disclaimer: { name: string; zip: string; 'check-interval': number };
    }>();
    expect(d['set-disclaimer']).toBe(true);
    const zip = await JSZip.loadAsync(Buffer.from(d.disclaimer.zip, 'base64'));
    expect(await zip.file('signature.txt')!.async('string')).toBe('This e-mail is confidential.');
    expect((await get('/public/set-disclaimer-for-smime-cert-email?service=PASSWD&email=a%40b')).json()).toEqual({
      status: 'set-disclaimer-for-smime-cert-email',
      'set-disclaimer': false,
    });
    const rccd = await get('/public/rccd?uid=DEMO0123456789AB');
    expect(rccd.headers['content-type']).toBe('application/octet-stream');
    expect(rccd.body.equals(readFileSync(sim.rccds.Demo!))).toBe(true);
    expect((await get('/public/rccd?uid=nope')).status).toBe(400);
  });

  it("the control endpoint changes and withdraws a service's disclaimer", async () => {
    type Reply = { 'set-disclaimer': boolean; disclaimer?: { name: string; zip: string; 'check-interval': number } };
    const ask = () =>
      get('/public/set-disclaimer-for-smime-cert-email?service=SMIME&email=demo%40keytalk.test').then((r) => r.json<Reply>());
    const control = (method: string, body?: object) =>
      request(`${sim.control}/services/SMIME/disclaimer`, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
    const original = (await control('GET')).json<{ name: string; text: string; checkInterval: number }>();
    try {
      expect((await control('PUT', { name: 'Legal v2', text: 'Updated <i>notice</i>', checkInterval: 5 })).status).toBe(200);
      const d = await ask();
      expect(d.disclaimer).toMatchObject({ name: 'Legal v2', 'check-interval': 5 });
      const zip = await JSZip.loadAsync(Buffer.from(d.disclaimer!.zip, 'base64'));
      expect(await zip.file('signature.txt')!.async('string')).toBe('Updated <i>notice</i>');
      expect((await control('DELETE')).status).toBe(200);
      expect((await ask())['set-disclaimer']).toBe(false);
      expect((await control('PUT', { text: 'no name' })).status).toBe(400);
      expect((await request(`${sim.control}/services/NOPE/disclaimer`, { method: 'GET' })).status).toBe(404);
    } finally {
      await control('PUT', original);
    }
  });

  it('self-service-availability, smime-cert-enrollment-availability, is-cert-tpm-attested', async () => {
    expect((await request(`${sim.url}/public/self-service-availability`, form({ cert: userCertPem }))).json()).toEqual({
      status: 'self-service-availability',
      available: true,
    });
    expect((await request(`${sim.url}/public/self-service-availability`, form({ cert: 'garbage' }))).status).toBe(400);
    expect((await request(`${sim.url}/public/smime-cert-enrollment-availability`, form({ cert: userCertPem }))).json()).toEqual({
      status: 'smime-cert-enrollment-availability',
      available: true,
      'mobile-required': false,
    });
    const fp = new X509Certificate(userCertPem).fingerprint.replace(/:/g, '');
    expect((await get(`/public/is-cert-tpm-attested?cert-sha1-fingerprint=${fp}`)).json()).toEqual({ status: 'no' });
    expect((await get(`/public/is-cert-tpm-attested?cert-sha1-fingerprint=${'0'.repeat(40)}`)).status).toBe(400);
  });
});

describe('Self-Service API over mTLS (section 5)', () => {
  it('enrolls S/MIME certs for recipients with the user certificate as TLS client cert; refuses without one', async () => {
    const url = `${sim.ssapiUrl}/ssapi/1.1.1/smime-cert-enrollment`;
    const body = new URLSearchParams({
      recipients: JSON.stringify([{ email: 'mike.brook@example.com', mobile: '+31645610000' }, { email: 'chuck@example.com' }]),
    }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const anon = await request(url, { method: 'POST', ca, headers, body });
    expect(anon.status).toBe(401);
    const r = await request(url, { method: 'POST', ca, headers, body, cert: userCertPem, key: userKeyPem });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({
      status: 'smime-cert-enrollment',
      'enrolled-recipients': ['mike.brook@example.com', 'chuck@example.com'],
      'apply-address-books': true,
      'address-books': [{ 'ldap-svr-url': 'ldaps://ldap.keytalk.test' }],
    });
    const mails = (await request(`${sim.control}/outbox?to=chuck@example.com`)).json<
      { data: { link: string; password: string } }[]
    >();
    const p12 = await request(mails.at(-1)!.data.link, { ca });
    expect(p12.status).toBe(200);
    expect(mails.at(-1)!.data.password).toBeTruthy();
    const async = await request(url.replace('1.1.1', '1.1.0'), {
      method: 'POST',
      ca,
      headers,
      body: `${body}&synchronous=false`,
      cert: userCertPem,
      key: userKeyPem,
    });
    expect(async.json()).toMatchObject({
      status: 'smime-cert-enrollment',
      'placed-orders': [{ email: 'mike.brook@example.com' }, { email: 'chuck@example.com' }],
    });
    const bad = await request(url, {
      method: 'POST',
      ca,
      headers,
      body: 'recipients=%5B%7B%22email%22%3A%22x%22%7D%5D',
      cert: userCertPem,
      key: userKeyPem,
    });
    expect(bad.status).toBe(400);
  });
});
