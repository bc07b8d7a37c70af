import { execFileSync } from 'node:child_process';
import { createPrivateKey, type webcrypto } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { parse as parseYaml } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureInput } from './fixture';
import { startKeytalkSimulator, type KeytalkSimulator } from './index';
import { freshStateDir } from './test-state';
import { RcdpClient, request } from './test-client';

type CryptoKey = webcrypto.CryptoKey;
const CLIENT_ID = '01234567-89ab-cdef-0123-456789abcdef';
let sim: KeytalkSimulator;
let dir: string;
let jwks: http.Server;
let signKey: CryptoKey;
let otherKey: CryptoKey;
const client = (version = '2.8.3') => new RcdpClient(sim.url, sim.caFile, version);

beforeAll(async () => {
  dir = await freshStateDir('kt-auth-');
  // A minimal authority: OpenID configuration + JWKS over loopback HTTP.
  const pair = await generateKeyPair('RS256', { extractable: true });
  signKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwks = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
    const body = req.url?.endsWith('openid-configuration') ? { issuer: base, jwks_uri: `${base}/jwks` } : { keys: [jwk] };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
  const demo = parseYaml(readFileSync(path.join(import.meta.dirname, 'fixtures', 'demo.yaml'), 'utf8')) as FixtureInput;
  const provider = demo.providers[0]!;
  const mfa = provider.services.find((s) => s.name === 'MFA')!;
  mfa.mfa = { ...mfa.mfa!, authority: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}` };
  provider.services.push({ name: 'LICENSED', credentials: ['USERID', 'PASSWD'], maxLicensedUsers: 1 });
  provider.users!.push({ id: 'Second', password: 'secret' });
  sim = await startKeytalkSimulator({ fixture: demo, stateDir: dir });
});
afterAll(async () => {
  await sim?.stop();
  jwks?.close();
  rmSync(dir, { recursive: true, force: true });
});

// A failed attempt suspends the user (DELAY window) exactly like the real server; tests start from a clean slate.
const unlock = async (...ids: string[]) => {
  for (const id of ids) await request(`${sim.control}/users/${id}/unlock`, { method: 'POST' });
};
afterEach(() => unlock('DemoUser', 'OtpUser', 'SecurIdUser', 'ExpiredUser', 'Second'));

async function opened(version = '2.8.3'): Promise<RcdpClient> {
  const c = client(version);
  await c.open();
  return c;
}

describe('auth paths (spec 2.6)', () => {
  it('PIN: right PIN is OK, wrong PIN is DELAY', async () => {
    expect((await (await opened()).auth('PIN', { USERID: 'DemoUser', PIN: '1234' }))['auth-status']).toBe('OK');
    expect(await (await opened()).auth('PIN', { USERID: 'DemoUser', PIN: '9999' })).toEqual({
      status: 'auth-result',
      'auth-status': 'DELAY',
      delay: 1,
    });
  });

  it("HWSIG must equal the user's expected signature (case-insensitive hex)", async () => {
    expect(
      (await (await opened()).auth('HWSIG', { USERID: 'DemoUser', PASSWD: 'secret', HWSIG: 'CS-0123456789ABCDEF' }))[
        'auth-status'
      ],
    ).toBe('OK');
    expect(
      (await (await opened()).auth('HWSIG', { USERID: 'DemoUser', PASSWD: 'secret', HWSIG: 'CS-ffff' }))['auth-status'],
    ).toBe('DELAY');
    const m = await opened();
    await m.get('auth-requirements', { service: 'HWSIG' });
    const missing = await m.post('authentication', {
      service: 'HWSIG',
      'caller-hw-description': 'x',
      USERID: 'DemoUser',
      PASSWD: 'secret',
    });
    expect(missing.status).toBe(400);
  });

  it('a wrong password suspends the caller: DELAY with the remaining seconds even for the right one', async () => {
    await request(`${sim.control}/users/SecurIdUser/unlock`, { method: 'POST' });
    const c = await opened();
    expect(await c.auth('LOCKOUT', { USERID: 'OtpUser', PASSWD: 'bad' })).toMatchObject({ 'auth-status': 'DELAY', delay: 2 });
    expect(
      (await c.authenticate({ service: 'LOCKOUT', 'caller-hw-description': 'x', USERID: 'OtpUser', PASSWD: 'secret' }))[
        'auth-status'
      ],
    ).toBe('DELAY');
    await request(`${sim.control}/users/OtpUser/unlock`, { method: 'POST' });
  });

  it('LOCKED after repeated failures, and for a locked user; DELAY instead before 2.3.0', async () => {
    const c = await opened();
    await c.get('auth-requirements', { service: 'LOCKOUT' });
    const results: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      await request(`${sim.control}/users/DelayUser/password`, { method: 'POST', body: '{}' });
      results.push(
        (await c.authenticate({ service: 'LOCKOUT', 'caller-hw-description': 'x', USERID: 'SecurIdUser', PASSWD: 'nope' }))[
          'auth-status'
        ],
      );
      if (i < 2) await new Promise((r) => setTimeout(r, 2100));
    }
    expect(results).toEqual(['DELAY', 'DELAY', 'LOCKED']);
    expect(await (await opened()).auth('PASSWD', { USERID: 'LockedUser', PASSWD: 'secret' })).toMatchObject({
      'auth-status': 'LOCKED',
    });
    expect(await (await opened('2.2.0')).auth('PASSWD', { USERID: 'LockedUser', PASSWD: 'secret' })).toMatchObject({
      'auth-status': 'DELAY',
    });
    await request(`${sim.control}/users/SecurIdUser/unlock`, { method: 'POST' });
  }, 20_000);

  it('DELAY user: first attempt DELAY 3 even with the right password, OK after waiting', async () => {
    const c = await opened();
    expect(await c.auth('PASSWD', { USERID: 'DelayUser', PASSWD: 'secret' })).toEqual({
      status: 'auth-result',
      'auth-status': 'DELAY',
      delay: 3,
    });
    expect(
      (await c.authenticate({ service: 'PASSWD', 'caller-hw-description': 'x', USERID: 'DelayUser', PASSWD: 'secret' }))[
        'auth-status'
      ],
    ).toBe('DELAY');
    await new Promise((r) => setTimeout(r, 3100));
    expect(
      (await c.authenticate({ service: 'PASSWD', 'caller-hw-description': 'x', USERID: 'DelayUser', PASSWD: 'secret' }))[
        'auth-status'
      ],
    ).toBe('OK');
  }, 15_000);

  it('EXPIRED, then change-password, then OK with the new password only', async () => {
    const c = await opened();
    expect(await c.auth('PASSWD', { USERID: 'ExpiredUser', PASSWD: 'oldpass' })).toMatchObject({ 'auth-status': 'EXPIRED' });
    const bad = (await c.post('change-password', { 'old-password': 'wrong', 'new-password': 'newpass1' })).json();
    expect(bad).toMatchObject({ 'auth-status': 'DELAY' });
    await request(`${sim.control}/users/ExpiredUser/unlock`, { method: 'POST' });
    const changed = (await c.post('change-password', { 'old-password': 'oldpass', 'new-password': 'newpass1' })).json();
    expect(changed).toEqual({ status: 'auth-result', 'auth-status': 'OK' });
    expect(
      (await c.authenticate({ service: 'PASSWD', 'caller-hw-description': 'x', USERID: 'ExpiredUser', PASSWD: 'oldpass' }))[
        'auth-status'
      ],
    ).toBe('DELAY');
    await request(`${sim.control}/users/ExpiredUser/unlock`, { method: 'POST' });
    expect(
      (await c.authenticate({ service: 'PASSWD', 'caller-hw-description': 'x', USERID: 'ExpiredUser', PASSWD: 'newpass1' }))[
        'auth-status'
      ],
    ).toBe('OK');
  });

  it('expired password that may not be changed: error 1005', async () => {
    expect(await (await opened()).auth('PASSWD', { USERID: 'NoChangeUser', PASSWD: 'oldpass' })).toMatchObject({
      status: 'error',
      code: 1005,
    });
  });

  it('multi-phase password (SecurID): CHALLENGE, then all credentials again with PASSWD = answer', async () => {
    const c = await opened();
    const first = await c.auth('PASSWD', { USERID: 'SecurIdUser', PASSWD: 'secret' });
    expect(first).toMatchObject({ 'auth-status': 'CHALLENGE', challenges: [{ name: 'Password challenge' }] });
    expect(
      (await c.authenticate({ service: 'PASSWD', 'caller-hw-description': 'x', USERID: 'SecurIdUser', PASSWD: '8642' }))[
        'auth-status'
      ],
    ).toBe('OK');
  });

  it('RESPONSE: two challenge steps with response names, answered as object and as array', async () => {
    const c = await opened();
    const step1 = await c.auth('RESPONSE', { USERID: 'DemoUser' });
    expect(step1).toEqual({
      status: 'auth-result',
      'auth-status': 'CHALLENGE',
      challenges: [
        { name: 'UMTS AUTN', value: '01010101010101010101010101010101' },
        { name: 'UMTS RANDOM', value: '101112131415161718191a1b1c1d1e1f' },
      ],
      'response-names': ['RES', 'IK', 'CK'],
    });
    const step2 = (await c.post('authentication', { responses: JSON.stringify({ CK: '789', RES: '123', IK: '456' }) })).json();
    expect(step2).toMatchObject({ 'auth-status': 'CHALLENGE', challenges: [{ value: '981fa357' }] });
    const done = (await c.post('authentication', { responses: JSON.stringify([{ name: 'response', value: '4321' }]) })).json();
    expect(done['auth-status']).toBe('OK');
    const c2 = await opened();
    await c2.auth('RESPONSE', { USERID: 'DemoUser' });
    expect(
      (await c2.post('authentication', { responses: JSON.stringify({ RES: 'x', IK: '456', CK: '789' }) })).json()['auth-status'],
    ).toBe('DELAY');
  });

  it('OTP: WAIT-FOR-OTP, code in the outbox, one use only; credential named "OTP/MFA" from 2.7.5, "OTP" before', async () => {
    const c = await opened();
    const req = (await c.get('auth-requirements', { service: 'OTP' })).json<{ 'credential-types': string[] }>();
    expect(req['credential-types']).toEqual(['USERID', 'PASSWD', 'OTP/MFA']);
    const base = { service: 'OTP', 'caller-hw-description': 'x', USERID: 'OtpUser', PASSWD: 'secret' };
    expect(await c.authenticate(base)).toEqual({ status: 'auth-result', 'auth-status': 'WAIT-FOR-OTP' });
    const mails = (await request(`${sim.control}/outbox?to=otp@keytalk.test`)).json<{ kind: string; data: { otp: string } }[]>();
    const otp = mails.filter((m) => m.kind === 'otp').at(-1)!.data.otp;
    expect(otp).toMatch(/^\d{6}$/);
    expect((await c.authenticate({ ...base, 'OTP/MFA': otp }))['auth-status']).toBe('OK');
    await unlock('OtpUser');
    const c2 = await opened();
    await c2.get('auth-requirements', { service: 'OTP' });
    await c2.authenticate(base);
    expect((await c2.authenticate({ ...base, 'OTP/MFA': otp === '000000' ? '111111' : '000000' }))['auth-status']).toBe('DELAY');

    await unlock('OtpUser');
    const old = await opened('2.7.4');
    expect(
      (await old.get('auth-requirements', { service: 'OTP' })).json<{ 'credential-types': string[] }>()['credential-types'],
    ).toContain('OTP');
    await old.authenticate(base);
    const oldOtp = (await request(`${sim.control}/outbox?to=otp@keytalk.test`)).json<{ data: { otp: string } }[]>().at(-1)!.data
      .otp;
    expect((await old.authenticate({ ...base, OTP: oldOtp }))['auth-status']).toBe('OK');
  });

  it('MFA: mfa-settings from 2.7.5 only; the access token is checked (signature, audience, expiry, scopes)', async () => {
    const c = await opened();
    const req = (await c.get('auth-requirements', { service: 'MFA' })).json<Record<string, unknown>>();
    expect(req['mfa-settings']).toMatchObject({ kind: 'mfa-popups', 'client-id': CLIENT_ID, scopes: ['User.Read'] });
    expect((await (await opened('2.7.4')).get('auth-requirements', { service: 'MFA' })).json()['mfa-settings']).toBeUndefined();
    const base = { service: 'MFA', 'caller-hw-description': 'x', USERID: 'DemoUser', PASSWD: 'secret' };
    const token = (o: { aud?: string; scp?: string; exp?: string; key?: CryptoKey; user?: string } = {}) =>
      new SignJWT({ scp: o.scp ?? 'User.Read openid', preferred_username: o.user ?? 'DemoUser' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setAudience(o.aud ?? CLIENT_ID)
        .setIssuedAt()
        .setExpirationTime(o.exp ?? '5m')
        .sign(o.key ?? signKey);
    const attempt = async (t: string) => {
      await unlock('DemoUser');
      const a = await opened();
      await a.get('auth-requirements', { service: 'MFA' });
      expect((await a.authenticate(base))['auth-status']).toBe('WAIT-FOR-OTP');
      return (await a.authenticate({ ...base, 'OTP/MFA': t }))['auth-status'];
    };
    expect(await attempt(await token())).toBe('OK');
    expect(await attempt(await token({ aud: 'someone-else' }))).toBe('DELAY');
    expect(await attempt(await token({ scp: 'openid' }))).toBe('DELAY');
    expect(await attempt(await token({ exp: '-1m' }))).toBe('DELAY');
    expect(await attempt(await token({ key: otherKey }))).toBe('DELAY');
    expect(await attempt(await token({ user: 'Mallory' }))).toBe('DELAY');
    expect(await attempt('not-a-jwt')).toBe('DELAY');
  });

  it('Kerberos: use-kerberos-authentication from 2.3.0; a ticket yields KERBEROS-AUTH-NOK, then credentials work', async () => {
    const c = await opened();
    expect((await c.get('auth-requirements', { service: 'KERBEROS' })).json()['use-kerberos-authentication']).toBe('true');
    const ticket = JSON.stringify({
      'client-principal': 'demo@KEYTALK.TEST',
      'session-key': 'AA==',
      'session-key-encoding': '18',
      tgt: 'AA==',
      'tgt-flags': '0',
      'start-time': new Date().toISOString(),
      'end-time': new Date().toISOString(),
      'renew-till': new Date().toISOString(),
    });
    expect(
      (
        await c.authenticate({
          service: 'KERBEROS',
          'caller-hw-description': 'x',
          USERID: 'DemoUser',
          PASSWD: 'secret',
          'kerberos-ticket': ticket,
        })
      )['auth-status'],
    ).toBe('KERBEROS-AUTH-NOK');
    expect(
      (await c.authenticate({ service: 'KERBEROS', 'caller-hw-description': 'x', USERID: 'DemoUser', PASSWD: 'secret' }))[
        'auth-status'
      ],
    ).toBe('OK');
    expect(
      (await (await opened('2.2.0')).get('auth-requirements', { service: 'KERBEROS' })).json()['use-kerberos-authentication'],
    ).toBeUndefined();
  });

  it('service URIs: resolved IPs (1001) and digests (1002) are checked', async () => {
    const c = await opened();
    const r = (await c.get('auth-requirements', { service: 'URIS' })).json();
    expect(r).toMatchObject({
      'service-uris': ['https://demo.keytalk.com', 'file://%ProgramFiles%\\vpn\\vpn.exe'],
      'resolve-service-uris': 'true',
      'calc-service-uris-digest': 'true',
    });
    const base = { service: 'URIS', 'caller-hw-description': 'x', USERID: 'DemoUser', PASSWD: 'secret' };
    const digests = JSON.stringify([
      { uri: 'file://%ProgramFiles%\\vpn\\vpn.exe', digest: '01C7198FB614BF8746B46062AA551DFF4506DD553AD96817622C76DAFE8DC354' },
    ]);
    const good = JSON.stringify([{ uri: 'https://demo.keytalk.com/', ips: ['10.0.0.1', '127.0.0.1'] }]);
    expect(
      await c.authenticate({
        ...base,
        resolved: JSON.stringify([{ uri: 'https://demo.keytalk.com', ips: ['10.0.0.1'] }]),
        digests,
      }),
    ).toMatchObject({ status: 'error', code: 1001 });
    await unlock('DemoUser');
    expect(
      await c.authenticate({
        ...base,
        resolved: good,
        digests: JSON.stringify([{ uri: 'file://%ProgramFiles%\\vpn\\vpn.exe', digest: 'ab' }]),
      }),
    ).toMatchObject({ status: 'error', code: 1002 });
    await unlock('DemoUser');
    expect((await c.authenticate({ ...base, resolved: good, digests }))['auth-status']).toBe('OK');
  });

  it('seat: encrypted-challenge as CMS to the seat certificate, decrypted with openssl cms, answered size#challenge', async () => {
    const enroll = await opened();
    expect((await enroll.auth('SEAT', { USERID: 'DemoUser', PASSWD: 'secret', 'computer-name': 'demo-pc' }))['auth-status']).toBe(
      'OK',
    );
    const pemReply = (await enroll.post('cert', { format: 'PEM' })).json<{ cert: string }>();
    expect(pemReply).toMatchObject({ status: 'cert' });
    const pem = pemReply.cert;
    const key = createPrivateKey({
      key: /-----BEGIN ENCRYPTED PRIVATE KEY-----[\s\S]*?-----END ENCRYPTED PRIVATE KEY-----/.exec(pem)![0],
      passphrase: enroll.cookie!.slice(0, 30),
    });
    const keyFile = path.join(dir, 'seat.key');
    writeFileSync(keyFile, key.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const c = await opened();
    const req = (await c.get('auth-requirements', { service: 'SEAT', USERID: 'DemoUser', 'computer-name': 'demo-pc' })).json<{
      'encrypted-challenge': string;
    }>();
    const plain = execFileSync('openssl', ['cms', '-decrypt', '-inform', 'DER', '-inkey', keyFile], {
      input: Buffer.from(req['encrypted-challenge'], 'base64'),
    }).toString();
    expect(plain).toMatch(/^[0-9a-f]{32}$/);
    expect(
      (await c.post('authentication', { RESPONSE: `${plain.length}#${plain}`, 'caller-hw-description': 'x' })).json()[
        'auth-status'
      ],
    ).toBe('OK');
    expect((await c.post('cert', { format: 'P12v2' })).json().status).toBe('cert');
    await unlock('DemoUser');
    const wrong = await opened();
    await wrong.get('auth-requirements', { service: 'SEAT', USERID: 'DemoUser', 'computer-name': 'demo-pc' });
    expect(
      (await wrong.post('authentication', { RESPONSE: '32#0000', 'caller-hw-description': 'x' })).json()['auth-status'],
    ).toBe('DELAY');
    expect(
      (await (await opened()).get('auth-requirements', { service: 'SEAT', USERID: 'Nobody', 'computer-name': 'x' })).json(),
    ).toMatchObject({ status: 'error', code: 1009 });
  });

  it('max licensed users reached: error 1004 for a new user, existing users still served', async () => {
    const a = await opened();
    await a.auth('LICENSED', { USERID: 'DemoUser', PASSWD: 'secret' });
    expect((await a.post('cert', { format: 'PEM' })).json()).toMatchObject({ status: 'cert' });
    const b = await opened();
    await b.auth('LICENSED', { USERID: 'Second', PASSWD: 'secret' });
    expect((await b.post('cert', { format: 'PEM' })).json()).toMatchObject({ status: 'error', code: 1004 });
  });

  it('handshake with a skewed clock: error 1003 with the difference in seconds', async () => {
    const c = client();
    await c.get('hello');
    const r = (await c.get('handshake', { 'caller-utc': new Date(Date.now() - 3600_000).toISOString() })).json<{
      code: number;
      description: string;
    }>();
    expect(r.code).toBe(1003);
    expect(Math.abs(Number(r.description) + 3600)).toBeLessThan(5);
  });
});
