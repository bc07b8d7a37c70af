import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../test-support/crypto/test-pki';
import { RcdpClient } from './client';
import { RcdpProtocolError, RcdpServerError, SERVER_ERROR_MEANINGS } from './errors';
import { rcdpJson } from './json-param';
import { backoffDelay } from './retry';
import { compareVersions, featuresOf } from './versions';

/**
 * The client against a scripted HTTPS server (real TLS with a test CA): replies the simulator never sends
 * (wrong field types, clock skew, eoc mid-session) and what the client puts on the wire.
 */
let pki: TestPki;
let server: https.Server;
let port: number;
let replies: Record<string, (body: string, url: URL) => { status?: number; json?: unknown; headers?: Record<string, string> }> =
  {};
const seen: { method: string; url: string; body: string; cookie?: string }[] = [];

beforeAll(async () => {
  pki = await createTestPki('Rcdp');
  server = https.createServer({ cert: pki.server.certPem + pki.primary.certPem, key: pki.server.keyPem }, (req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://x');
      seen.push({ method: req.method ?? '', url: req.url ?? '', body, cookie: req.headers.cookie });
      const action = url.pathname.split('/').pop() ?? '';
      const r = replies[action]?.(body, url) ?? { status: 404, json: { status: 'error', code: 0 } };
      res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers }).end(JSON.stringify(r.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = (versions = ['2.8.3']) =>
  new RcdpClient({
    server: `127.0.0.1:${port}`,
    agent: new https.Agent({ ca: pki.root.certPem }),
    versions,
    retry: { retries: 0, baseMs: 1, maxMs: 1 },
  });
const base = {
  hello: () => ({
    json: { status: 'hello', version: '2.8.3' },
    headers: { 'set-cookie': 'keytalkcookie=0123456789abcdef0123456789abcdefXY; Path=/' },
  }),
  handshake: () => ({ json: { status: 'handshake', 'server-utc': new Date().toISOString() } }),
};

describe('RcdpClient', () => {
  it('sends caller-utc, keeps the session cookie, derives the key password from its first 30 characters', async () => {
    replies = { ...base };
    seen.length = 0;
    const c = client();
    expect(await c.connect()).toBe('2.8.3');
    const hs = new URL(seen[1]!.url, 'https://x');
    expect(hs.searchParams.get('caller-utc')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(seen[0]!.cookie).toBeUndefined();
    expect(seen[1]!.cookie).toBe('keytalkcookie=0123456789abcdef0123456789abcdefXY');
    expect(c.keyPassword).toBe('0123456789abcdef0123456789abcd');
  });

  it('tolerates unknown fields and coerces the spec\'s "true"/"false" strings', async () => {
    replies = {
      ...base,
      'auth-requirements': () => ({
        json: {
          status: 'auth-requirements',
          'credential-types': ['USERID'],
          'resolve-service-uris': 'true',
          'new-field': { x: 1 },
        },
      }),
    };
    const c = client();
    await c.connect();
    const r = await c.authRequirements({ service: 'S' });
    expect(r['resolve-service-uris']).toBe(true);
    expect((r as Record<string, unknown>)['new-field']).toEqual({ x: 1 });
  });

  it('a malformed reply is an error naming the action and the field', async () => {
    replies = { ...base, 'auth-requirements': () => ({ json: { status: 'auth-requirements', 'credential-types': 'USERID' } }) };
    const c = client();
    await c.connect();
    const err = await c.authRequirements({ service: 'S' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RcdpProtocolError);
    expect((err as Error).message).toMatch(/malformed reply to auth-requirements.*field 'credential-types': expected array/);
  });

  it('ErrTimeOutOfSync is explained with the clock difference', async () => {
    replies = { hello: base.hello, handshake: () => ({ json: { status: 'error', code: 1003, description: '-3600' } }) };
    const err = await client()
      .connect()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RcdpServerError);
    expect((err as RcdpServerError).code).toBe('time-out-of-sync');
    expect((err as Error).message).toMatch(/clock is 3600 s behind the server's; correct the system date/);
  });

  it('a server ending the session mid-flow is reported with its reason', async () => {
    replies = { ...base, 'last-messages': () => ({ json: { status: 'eoc', reason: 'maintenance' } }) };
    const c = client();
    await c.connect();
    await expect(c.lastMessages()).rejects.toThrow(/ended the session during last-messages: maintenance/);
  });

  it('authentication is GET with a query before 2.3.0 and a form POST after; JSON parameters escape "/"', async () => {
    for (const [v, method] of [
      ['2.2.0', 'GET'],
      ['2.3.0', 'POST'],
    ] as const) {
      replies = {
        ...base,
        hello: () => ({ json: { status: 'hello', version: v } }),
        authentication: () => ({ json: { status: 'auth-result', 'auth-status': 'OK' } }),
      };
      seen.length = 0;
      const c = client([v]);
      await c.connect();
      await c.authenticate({ service: 'S', resolved: rcdpJson([{ uri: 'https://a/b', ips: ['1.2.3.4'] }]) });
      const auth = seen.find((s) => s.url.includes('/authentication'))!;
      expect(auth.method).toBe(method);
      const params = new URLSearchParams(method === 'GET' ? auth.url.split('?')[1] : auth.body);
      expect(params.get('resolved')).toBe('[{"uri":"https:\\/\\/a\\/b","ips":["1.2.3.4"]}]');
      expect(JSON.parse(params.get('resolved')!)).toEqual([{ uri: 'https://a/b', ips: ['1.2.3.4'] }]);
    }
  });
});

describe('RCDP building blocks', () => {
  it('every server error code 1001–1009 has a meaning in words', () => {
    for (let code = 1001; code <= 1009; code++) {
      const e = new RcdpServerError('cert', code);
      expect(e.message).toContain(`error ${code} ${SERVER_ERROR_MEANINGS[code]!.name} during cert:`);
    }
    expect(new RcdpServerError('cert', 1004).message).toMatch(/maximum number of licensed users/);
    expect(new RcdpServerError('hello', 1006).code).toBe('incompatible-version');
  });

  it('backoff grows exponentially, is capped, and is jittered below the cap', () => {
    const policy = { retries: 5, baseMs: 100, maxMs: 1000 };
    expect(backoffDelay(1, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(3, policy, () => 0.999)).toBe(399);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('version features follow both documents', () => {
    expect(compareVersions('2.10.0', '2.8.3')).toBeGreaterThan(0);
    expect(featuresOf('2.2.0')).toMatchObject({
      postAuthentication: false,
      csr: true,
      otpCredential: 'OTP',
      versionlessPaths: false,
    });
    expect(featuresOf('2.7.5')).toMatchObject({
      postAuthentication: true,
      postCert: true,
      otpCredential: 'OTP/MFA',
      versionlessPaths: false,
    });
    expect(featuresOf('2.8.3')).toMatchObject({ versionlessPaths: true, givenNameSurname: true, sanDomains: true });
  });

  it('rcdpJson escapes every forward slash inside strings only', () => {
    expect(rcdpJson({ a: 'x/y', b: ['//'] })).toBe('{"a":"x\\/y","b":["\\/\\/"]}');
  });
});
