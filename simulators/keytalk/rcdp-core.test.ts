import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { execFileSync } from 'node:child_process';
import forge from 'node-forge';
import JSZip from 'jszip';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPkcs12WithForge } from '../pki/pkcs12';
import { startKeytalkSimulator, type KeytalkSimulator } from './index';
import { freshStateDir } from './test-state';
import { RcdpClient, request } from './test-client';

const fixture = path.join(import.meta.dirname, 'fixtures', 'demo.yaml');
let sim: KeytalkSimulator;
let dir: string;
const client = (version: string | null = '2.8.3') => new RcdpClient(sim.url, sim.caFile, version);

beforeAll(async () => {
  dir = await freshStateDir('kt-core-');
  sim = await startKeytalkSimulator({ fixture, stateDir: dir });
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function chainOk(pem: string): X509Certificate {
  const certs = [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map(
    (m) => new X509Certificate(m[0]),
  );
  const signing = new X509Certificate(sim.context.pki.signing.certPem);
  expect(certs[0]!.verify(signing.publicKey)).toBe(true);
  return certs[0]!;
}

describe('RCDP happy path (spec 2.5–2.7)', () => {
  it('hello sets keytalkcookie and proposes the version; handshake returns server-utc', async () => {
    const c = client();
    const hello = await c.get('hello', { 'caller-app-description': 'Demo KeyTalk Agent' });
    expect(hello.status).toBe(200);
    expect(hello.headers['content-type']).toBe('application/json');
    expect(hello.json()).toEqual({ status: 'hello', version: '2.8.3' });
    expect(c.cookie).toMatch(/^[0-9a-f]{32}$/);
    const hs = await c.get('handshake', { 'caller-utc': new Date().toISOString() });
    const body = hs.json<{ status: string; 'server-utc': string }>();
    expect(body.status).toBe('handshake');
    expect(Math.abs(Date.parse(body['server-utc']) - Date.now())).toBeLessThan(5000);
  });

  it('auth-requirements lists credential types and the password prompt', async () => {
    const c = client();
    await c.open();
    const r = (await c.get('auth-requirements', { service: 'HWSIG' })).json();
    expect(r).toEqual({
      status: 'auth-requirements',
      'credential-types': ['USERID', 'HWSIG', 'PASSWD'],
      hwsig_formula: '601,602,603',
      'password-prompt': 'Password',
    });
  });

  it('PASSWD authentication then a PEM certificate whose key opens with the first 30 cookie characters', async () => {
    const c = client();
    await c.open();
    expect(await c.auth('PASSWD', { USERID: 'DemoUser', PASSWD: 'secret' })).toEqual({
      status: 'auth-result',
      'auth-status': 'OK',
    });
    const msgs = (await c.get('last-messages')).json<{ messages: { text: string }[] }>();
    expect(msgs.messages.map((m) => m.text)).toEqual([
      'Planned maintenance on Saturday 06:00-08:00 UTC',
      'Your certificate will be renewed automatically',
    ]);
    const r = await c.post('cert', { format: 'PEM' });
    expect(r.text).toContain('-----END CERTIFICATE-----\\n'); // forward slashes escaped, newlines as \n
    expect(r.text).not.toMatch(/[^\\]\//);
    const body = r.json<{ status: string; cert: string; 'execute-sync': boolean; 'store-to-system': boolean }>();
    expect(body.status).toBe('cert');
    expect(body['execute-sync']).toBe(false);
    const leaf = chainOk(body.cert);
    expect(leaf.subject).toContain('CN=DemoUser');
    const keyPem = /-----BEGIN ENCRYPTED PRIVATE KEY-----[\s\S]*?-----END ENCRYPTED PRIVATE KEY-----/.exec(body.cert)![0];
    expect(() => createPrivateKey({ key: keyPem, passphrase: c.cookie!.slice(0, 29) })).toThrow();
    const key = createPrivateKey({ key: keyPem, passphrase: c.cookie!.slice(0, 30) });
    expect(
      createPublicKey(key)
        .export({ type: 'spki', format: 'der' })
        .equals(leaf.publicKey.export({ type: 'spki', format: 'der' })),
    ).toBe(true);
    const lifetime = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 1000;
    expect(lifetime).toBe(365 * 86400);
  });

  it('P12 is legacy RC2-40 + 3DES (openssl needs -legacy), P12v2 is AES-256 and loads in Node TLS', async () => {
    const c = client();
    await c.open();
    await c.auth('PASSWD', { USERID: 'DemoUser', PASSWD: 'secret' });
    const pw = c.cookie!.slice(0, 30);
    const legacy = Buffer.from((await c.post('cert', { format: 'P12' })).json<{ cert: string }>().cert, 'base64');
    const infoText = execFileSync('sh', ['-c', `openssl pkcs12 -legacy -info -noout -passin pass:${pw} 2>&1`], {
      input: legacy,
    }).toString();
    expect(infoText).toContain('pbeWithSHA1And40BitRC2-CBC');
    expect(infoText).toContain('pbeWithSHA1And3-KeyTripleDES-CBC');
    const parsed = readPkcs12WithForge(legacy, pw);
    expect(parsed.certsDer.length).toBe(3);
    const v2 = Buffer.from((await c.post('cert', { format: 'P12v2' })).json<{ cert: string }>().cert, 'base64');
    const v2Info = execFileSync('sh', ['-c', `openssl pkcs12 -info -noout -passin pass:${pw} 2>&1`], { input: v2 }).toString();
    expect(v2Info).toContain('AES-256-CBC');
    expect(() => tls.createSecureContext({ pfx: v2, passphrase: pw })).not.toThrow();
  });

  it('CSR mode: csr-requirements, a conforming CSR is signed, a non-conforming one is rejected', async () => {
    const c = client();
    await c.open();
    await c.auth('CSR', { USERID: 'DemoUser', PASSWD: 'secret' });
    const req = (await c.get('csr-requirements')).json();
    expect(req).toEqual({
      status: 'csr-requirements',
      'key-size': '2048',
      'signing-algo': 'sha256',
      subject: { cn: 'DemoUser', c: 'NL', o: 'KeyTalk Demo', ous: ['Development', 'Administration'] },
      san: ['email:demo@keytalk.test'],
    });
    const good = makeCsr({ cn: 'DemoUser', c: 'NL', o: 'KeyTalk Demo', ous: ['Development', 'Administration'] }, [
      'demo@keytalk.test',
    ]);
    const r = (await c.post('cert', { csr: good })).json<{ status: string; cert: string }>();
    expect(r.status).toBe('cert');
    const leaf = chainOk(r.cert);
    expect(leaf.subjectAltName).toContain('email:demo@keytalk.test');
    const bad = makeCsr({ cn: 'Mallory', c: 'NL', o: 'KeyTalk Demo', ous: ['Development', 'Administration'] }, [
      'demo@keytalk.test',
    ]);
    const rej = await c.post('cert', { csr: bad });
    expect(rej.status).toBe(400);
    expect(rej.json<{ description: string }>().description).toMatch(/subject cn/);
    const noSan = makeCsr({ cn: 'DemoUser', c: 'NL', o: 'KeyTalk Demo', ous: ['Development', 'Administration'] }, []);
    expect((await c.post('cert', { csr: noSan })).json<{ description: string }>().description).toMatch(/SAN/);
  });

  it('out-of-band: cert-url-templ with $(KEYTALK_SVR_HOST), one-shot', async () => {
    const c = client();
    await c.open();
    await c.auth('PASSWD', { USERID: 'DemoUser', PASSWD: 'secret' });
    const r = (await c.post('cert', { format: 'PEM', 'out-of-band': 'true' })).json<{
      'cert-url-templ': string;
      cert?: string;
    }>();
    expect(r.cert).toBeUndefined();
    expect(r['cert-url-templ']).toMatch(/^https:\/\/\$\(KEYTALK_SVR_HOST\)\/cert\/\?[0-9a-f]{32}$/);
    const url = r['cert-url-templ'].replace('$(KEYTALK_SVR_HOST)', new URL(sim.url).host);
    const first = await request(url, { ca: c.ca });
    expect(first.status).toBe(200);
    chainOk(first.text);
    expect((await request(url, { ca: c.ca })).status).toBe(404);
  });

  it('eoc ends the session; a later request must start with hello', async () => {
    const c = client();
    await c.open();
    expect((await c.get('eoc', { reason: 'bye, server' })).json()).toEqual({ status: 'eoc' });
    const after = await c.get('auth-requirements', { service: 'PASSWD' });
    expect(after.status).toBe(401);
  });

  it('spec examples: versionless /rcdp/hello?caller-app-description=…, client-sent /rcdp/error?code=1066 ends the session', async () => {
    const c = client(null);
    expect((await c.send('GET', '/rcdp/hello?caller-app-description=Demo+KeyTalk+Agent')).json()).toEqual({
      status: 'hello',
      version: '2.8.3',
    });
    const err = await c.send('GET', '/rcdp/error?code=1066&description=invalid+response');
    expect(err.json()).toEqual({ status: 'eoc', reason: 'error received' });
    expect((await c.get('handshake', { 'caller-utc': '2023-04-14T10:44:35Z' })).status).toBe(401);
  });

  it('an action out of order is refused with status error (409), not served', async () => {
    const c = client();
    await c.get('hello');
    const early = await c.post('cert', { format: 'PEM' });
    expect(early.status).toBe(409);
    expect(early.json<{ status: string }>().status).toBe('error');
    const noCookie = await client().get('handshake', { 'caller-utc': new Date().toISOString() });
    expect(noCookie.status).toBe(401);
  });

  it('answers a request body over 2 MiB with 413 (bounded reader shared with the Online CA simulator)', async () => {
    const c = client();
    await c.get('hello');
    const huge = await c.post('authentication', { USERID: 'x'.repeat(3 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.json<{ status: string; description: string }>()).toEqual({
      status: 'error',
      description: 'request body larger than 2097152 bytes',
    });
  });
});

describe('RCCD and CA API', () => {
  it('RCCD v2 zip points at the simulator and carries the CAs as DER', async () => {
    const zip = await JSZip.loadAsync(readFileSync(sim.rccds.Demo!));
    const index = parseYaml(await zip.file('index.yaml')!.async('string')) as Record<string, string>;
    expect(index.ProviderName).toBe('Demo');
    const user = parseYaml(await zip.file(index.UserConfig!)!.async('string')) as {
      Providers: { Server: string; Services: { Name: string }[] }[];
    };
    expect(user.Providers[0]!.Server).toBe(new URL(sim.url).host);
    expect(user.Providers[0]!.Services.map((s) => s.Name)).toContain('PASSWD');
    for (const k of ['SCA', 'UCA', 'PCA', 'RCA'] as const) new X509Certificate(await zip.file(index[k]!)!.async('nodebuffer'));
    expect(new X509Certificate(await zip.file(index.UCA!)!.async('nodebuffer')).fingerprint).toBe(
      new X509Certificate(sim.context.pki.signing.certPem).fingerprint,
    );
    expect(zip.file('content/user.ini')).not.toBeNull();
    expect(zip.file('index.conf')).not.toBeNull();
    expect((await zip.file(index.Logo!)!.async('nodebuffer')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('CA API serves PEM and DER, by name and by fingerprint, over HTTPS and HTTP; old 1.0.0 variant', async () => {
    const ca = readFileSync(sim.caFile, 'utf8');
    const pem = await request(`${sim.url}/ca/1.0.3/signing`, { ca });
    expect(pem.status).toBe(200);
    expect(new X509Certificate(pem.text).fingerprint).toBe(new X509Certificate(sim.context.pki.signing.certPem).fingerprint);
    const der = await request(`${sim.httpUrl}/ca/1.0.3/primary?DER`);
    expect(der.body.equals(sim.context.pki.primary.certDer)).toBe(true);
    const byFp = await request(`${sim.httpUrl}/ca/1.0.3/${sim.context.pki.root.sha1}`);
    expect(byFp.text).toBe(sim.context.pki.root.certPem);
    expect((await request(`${sim.httpUrl}/ca/1.0.3/signing/${'0'.repeat(40)}`)).status).toBe(404);
    expect((await request(`${sim.httpUrl}/ca/1.0.0/communication`)).status).toBe(404);
    expect((await request(`${sim.httpUrl}/ca/1.0.0/root`)).status).toBe(200);
    expect((await request(`${sim.httpUrl}/ca/1.0.3/extrasigning`)).text).toBe(sim.context.pki.extrasigning.certPem);
  });
});

const csrKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
/** CSR built with forge, signed with Node (see verified-facts). */
function makeCsr(subject: { cn: string; c: string; o: string; ous: string[] }, emails: string[]): string {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(csrKey.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  csr.setSubject([
    { shortName: 'C', value: subject.c },
    { shortName: 'O', value: subject.o },
    ...subject.ous.map((ou) => ({ shortName: 'OU', value: ou })),
    { shortName: 'CN', value: subject.cn },
  ]);
  if (emails.length)
    csr.setAttributes([
      {
        name: 'extensionRequest',
        extensions: [{ name: 'subjectAltName', altNames: emails.map((e) => ({ type: 1, value: e })) }],
      },
    ]);
  csr.signatureOid = forge.pki.oids.sha256WithRSAEncryption!;
  (csr as unknown as { siginfo: { algorithmOid: string } }).siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  const info = (forge.pki as unknown as { getCertificationRequestInfo(c: unknown): forge.asn1.Asn1 }).getCertificationRequestInfo(
    csr,
  );
  const sig = sign('sha256', Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary'), csrKey.privateKey);
  csr.signature = sig.toString('binary');
  csr.certificationRequestInfo = info;
  return forge.pki.certificationRequestToPem(csr);
}
