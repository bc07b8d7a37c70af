import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opensslWithOutputs } from '../../test-support/crypto/openssl';
import { PublicApiClient, PublicApiError } from './client';
import { parseIntervalSeconds } from './interval';

// A real HTTPS server with a throw-away CA: the client must trust it only through the injected agent.
let caPem: string;
let server: https.Server;
let baseUrl: string;
const seen: { method: string; url: string; body: string }[] = [];
const replies = new Map<string, { status?: number; body: string; type?: string }>();

beforeAll(async () => {
  const ca = opensslWithOutputs(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=Test CA',
    ],
    {},
    ['ca.key', 'ca.pem'],
  );
  caPem = ca.outputs['ca.pem']!.toString();
  const leaf = opensslWithOutputs(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=127.0.0.1'],
    {},
    ['srv.key', 'srv.csr'],
  );
  const cert = opensslWithOutputs(
    [
      'x509',
      '-req',
      '-in',
      'srv.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      '2',
      '-days',
      '2',
      '-extfile',
      'ext',
      '-out',
      'srv.pem',
    ],
    {
      'srv.csr': leaf.outputs['srv.csr']!,
      'ca.pem': caPem,
      'ca.key': ca.outputs['ca.key']!,
      ext: 'subjectAltName=IP:127.0.0.1\n',
    },
    ['srv.pem'],
  ).outputs['srv.pem']!.toString();
  server = https.createServer({ key: leaf.outputs['srv.key'], cert }, (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      const key = new URL(req.url ?? '/', 'https://x').pathname;
      const reply = replies.get(key) ?? { status: 404, body: '{"status":"error","error":"no such endpoint"}' };
      res.writeHead(reply.status ?? 200, { 'content-type': reply.type ?? 'application/json' });
      res.end(reply.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

const client = () => new PublicApiClient({ baseUrl, agent: new https.Agent({ ca: caPem }) });
const reply = (path: string, body: unknown, status = 200) =>
  replies.set(path, { status, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('PublicApiClient', () => {
  it('reads cert-expiration-margin in seconds and sends the identity query', async () => {
    reply('/public/cert-expiration-margin', { status: 'cert-expiration-margin', 'threshold-seconds': 86400, extra: 'tolerated' });
    expect(await client().certExpirationMargin({ service: 'SVC', user: 'u1', computerName: 'pc1' })).toBe(86400);
    expect(seen.at(-1)!.url).toBe('/public/cert-expiration-margin?service=SVC&user=u1&computer-name=pc1');
  });

  it('uses the pinned API version in the path', async () => {
    reply('/public/1.6.9/version', { status: 'version', version: '7.8.0' });
    const c = new PublicApiClient({ baseUrl, agent: new https.Agent({ ca: caPem }), apiVersion: '1.6.9' });
    expect(await c.version()).toBe('7.8.0');
  });

  it('refuses a server whose CA is not in the injected agent', async () => {
    reply('/public/version', { status: 'version', version: '7.8.0' });
    const c = new PublicApiClient({ baseUrl, agent: new https.Agent({ ca: [] as string[] }) });
    // A refused certificate is a trust problem (exit 6), not an outage (issue 22).
    await expect(c.version()).rejects.toMatchObject({ kind: 'tls', message: expect.stringMatching(/unknown CA|self-signed/) });
  });

  it('parses keep-alive interval and i-am-alive with its piggy-backed interval', async () => {
    reply('/public/keep-alive-interval', { status: 'keep-alive-interval', interval: '3600s' });
    expect(await client().keepAliveInterval('SVC')).toBe(3600);
    reply('/public/keep-alive-interval', { status: 'keep-alive-interval', interval: '' });
    expect(await client().keepAliveInterval('SVC')).toBeUndefined();
    reply('/public/i-am-alive', { status: 'success', interval: '120s' });
    expect(await client().iAmAlive({ templateName: 'SVC', user: 'alice', computerName: 'pc' })).toEqual({ intervalSeconds: 120 });
    const last = seen.at(-1)!;
    expect(last.method).toBe('POST');
    expect(new URLSearchParams(last.body).get('user')).toBe('alice');
    expect(last.url).toContain('template-name=SVC');
    reply('/public/i-am-alive', { status: 'success' });
    expect(await client().iAmAlive({ templateName: 'SVC', user: 'alice', computerName: 'pc' })).toEqual({
      intervalSeconds: undefined,
    });
  });

  it('posts template-names as a JSON array and returns the chosen ones', async () => {
    reply('/public/templates-to-auto-renew-seat-certs', {
      status: 'templates-to-auto-renew-seat-certs',
      'template-names': ['A'],
    });
    expect(await client().templatesToAutoRenewSeatCerts(['A', 'B'])).toEqual(['A']);
    expect(new URLSearchParams(seen.at(-1)!.body).get('template-names')).toBe('["A","B"]');
  });

  it('maps the disclaimer reply and requires the disclaimer when set-disclaimer is true', async () => {
    reply('/public/set-disclaimer-for-smime-cert-email', {
      status: 'set-disclaimer-for-smime-cert-email',
      'set-disclaimer': true,
      disclaimer: { name: 'Legal', zip: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'check-interval': 60 },
    });
    expect(await client().disclaimerForSmimeCertEmail('SVC', 'a@b.c')).toEqual({
      name: 'Legal',
      zipBase64: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==',
      checkIntervalMinutes: 60,
    });
    expect(seen.at(-1)!.url).toContain('email=a%40b.c');
    reply('/public/set-disclaimer-for-smime-cert-email', {
      status: 'set-disclaimer-for-smime-cert-email',
      'set-disclaimer': false,
    });
    expect(await client().disclaimerForSmimeCertEmail('SVC', 'a@b.c')).toBeUndefined();
    reply('/public/set-disclaimer-for-smime-cert-email', {
      status: 'set-disclaimer-for-smime-cert-email',
      'set-disclaimer': true,
    });
    await expect(client().disclaimerForSmimeCertEmail('SVC', 'a@b.c')).rejects.toThrow(/"disclaimer" must be present/);
  });

  it('turns {status:error} into a server-error with the server text', async () => {
    reply('/public/cert-approver-emails', { status: 'error', error: 'service does not exist' }, 400);
    const err = await client()
      .certApproverEmails({ service: 'X', user: 'u', computerName: 'c' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublicApiError);
    expect(err).toMatchObject({ kind: 'server-error', httpStatus: 400, serverError: 'service does not exist' });
  });

  it('names the field when a reply has the wrong shape', async () => {
    reply('/public/should-cert-go-to-system-store', { status: 'should-cert-go-to-system-store', 'system-store': 'yes' });
    await expect(client().shouldCertGoToSystemStore('SVC')).rejects.toThrow(
      'should-cert-go-to-system-store: unexpected reply (system-store: expected boolean); is the server a KeyTalk server with Public API 1.6.x?',
    );
    reply('/public/cert-expiration-margin', { status: 'cert-expiration-margin', 'threshold-seconds': -5 });
    await expect(client().certExpirationMargin({ service: 'S' })).rejects.toThrow(
      /\(threshold-seconds: expected a number at least 0\)/,
    );
    reply('/public/cn-customization-policy', { status: 'cn-customization-policy', policy: 'SOMETIMES' });
    await expect(client().cnCustomizationPolicy({ service: 'S', user: 'u', computerName: 'c' })).rejects.toThrow(
      /\(policy: expected "ALLOWED" or "DISALLOWED-NOT-SUPPORTED-BY-SERVICE" or/,
    );
    reply('/public/should-cert-go-to-system-store', 'not json');
    await expect(client().shouldCertGoToSystemStore('SVC')).rejects.toThrow(/not JSON/);
  });

  it('reads the remaining endpoints', async () => {
    reply('/public/ktagent-unattended-popup-msg-template', {
      status: 'ktagent-unattended-popup-msg-template',
      'msg-template': 'Renew $SERVICE',
    });
    expect(await client().unattendedPopupMessageTemplate()).toBe('Renew $SERVICE');
    reply('/public/cn-customization-policy', { status: 'cn-customization-policy', policy: 'ALLOWED-AS-GIVENNAME_SURNAME' });
    expect(await client().cnCustomizationPolicy({ service: 'S', user: 'u', computerName: 'c' })).toBe(
      'ALLOWED-AS-GIVENNAME_SURNAME',
    );
    reply('/public/self-service-availability', { status: 'self-service-availablility', available: true });
    expect(await client().selfServiceAvailability('-----BEGIN CERTIFICATE-----\n')).toBe(true);
    expect(new URLSearchParams(seen.at(-1)!.body).get('cert')).toBe('-----BEGIN CERTIFICATE-----\n');
    reply('/public/address-book-list', { status: 'address-book-list', 'apply-address-books': false, 'address-books': '' });
    expect(await client().addressBookList('S')).toEqual({ applyAddressBooks: false, addressBooks: [] });
    reply('/public/address-book-list', {
      status: 'address-book-list',
      'apply-address-books': true,
      'address-books': [{ ldap_svr_url: 'ldaps://x', search_base: 'dc=x' }],
    });
    expect((await client().addressBookList('S')).addressBooks[0]).toMatchObject({
      ldapServerUrl: 'ldaps://x',
      searchBase: 'dc=x',
    });
    reply('/public/smime-cert-enrollment-availability', {
      status: 'smime-cert-enrollment-availability',
      available: false,
      reason: 'no',
    });
    expect(await client().smimeCertEnrollmentAvailability('pem', false)).toEqual({ available: false, reason: 'no' });
    reply('/public/health-check', { status: 'health-check', 'check-result': 'error', error: 'db down' }, 521);
    expect(await client().healthCheck()).toEqual({ operational: false, error: 'db down' });
    reply('/public/health-check', { status: 'health-check', 'check-result': 'operational' });
    expect(await client().healthCheck()).toEqual({ operational: true });
    // Duplicate "status" keys exactly as the spec prints them.
    reply('/public/is-cert-tpm-attested', '{"status": "success", "status": "yes"}');
    expect(await client().isCertTpmAttested('AB12')).toBe(true);
    replies.set('/public/rccd', { body: 'PK\u0003\u0004zip', type: 'application/octet-stream' });
    expect((await client().rccd('UID1')).subarray(0, 2).toString()).toBe('PK');
    reply('/public/rccd', { status: 'error', error: 'no such RCCD' }, 400);
    await expect(client().rccd('nope')).rejects.toThrow(/no such RCCD/);
  });

  it('explains a 404 as a missing endpoint', async () => {
    await expect(new PublicApiClient({ baseUrl, agent: new https.Agent({ ca: caPem }) }).version()).resolves.toBeDefined();
    replies.delete('/public/keep-alive-interval');
    await expect(client().keepAliveInterval('S')).rejects.toThrow(/does not offer this endpoint/);
  });

  it('rejects a bad base URL with the fix', () => {
    expect(() => new PublicApiClient({ baseUrl: 'keytalk.example.com' })).toThrow(/https:\/\//);
  });
});

describe('parseIntervalSeconds', () => {
  it('reads value+unit, empty as none, and names bad input', () => {
    expect(parseIntervalSeconds('3600s')).toBe(3600);
    expect(parseIntervalSeconds('5m')).toBe(300);
    expect(parseIntervalSeconds('2h')).toBe(7200);
    expect(parseIntervalSeconds('90')).toBe(90);
    expect(parseIntervalSeconds('')).toBeUndefined();
    expect(() => parseIntervalSeconds('soon')).toThrow(/3600s/);
  });
});
