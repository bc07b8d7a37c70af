import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki } from '../../test-support/crypto/test-pki';
import { expectResolvesOrTypedError, fuzzParams, fuzzTimeout } from '../../test-support/fuzz/fuzz-config';
import { PublicApiClient, PublicApiError } from '../public-api/client';
import { RcdpClient } from './client';
import { RcdpError } from './errors';

/**
 * Issue 22 fuzzing: every RCDP reply schema (keytalk-api-rcdp-2.8.3.txt, one per action) and the Public API
 * replies, from a real local server answering with generated bodies. Property: the client returns the validated
 * reply or throws its own error (RcdpError / PublicApiError) with a message — never a TypeError.
 */
let reply: { status: number; body: string } = { status: 200, body: '{}' };
let rcdpPort: number;
let apiPort: number;
const servers: http.Server[] = [];
let agent: https.Agent;

beforeAll(async () => {
  const pki = await createTestPki('Replies Fuzz');
  agent = new https.Agent({ ca: pki.root.certPem, keepAlive: true });
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const action = (req.url ?? '').split('?')[0]!.split('/').pop();
    // hello and handshake answer properly so the fuzzed reply reaches the action under test.
    if (action === 'hello') return res.writeHead(200).end('{"status":"hello","version":"2.8.3"}');
    if (action === 'handshake') return res.writeHead(200).end('{"status":"handshake"}');
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
  };
  const rcdp = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem + pki.primary.certPem }, handler);
  const api = http.createServer(handler);
  for (const s of [rcdp, api]) {
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  }
  rcdpPort = (rcdp.address() as AddressInfo).port;
  apiPort = (api.address() as AddressInfo).port;
});
afterAll(() => {
  agent?.destroy();
  for (const s of servers) s.close();
});

const json = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('v'), { maxKeys: 3 }),
  ),
})).v;
const RCDP_KEYS = [
  'status',
  'credential-types',
  'hwsig-formula',
  'password-validity',
  'auth-status',
  'delay',
  'challenges',
  'messages',
  'cert',
  'cert-url-templ',
  'format',
  'subject',
  'key-size',
  'signing-algorithm',
  'code',
  'description',
  'reason',
  'version',
  'mfa-settings',
  'response-challenges',
  'approval-timeout',
  'smbcerts',
  'certs',
  'interval',
  'error',
  'address-books',
  'apply-address-books',
  'disclaimers',
  'templates',
  'operational',
  'margin',
  'policy',
];
const STATUSES = [
  'hello',
  'handshake',
  'auth-requirements',
  'auth-result',
  'last-messages',
  'csr-requirements',
  'cert',
  'submitted',
  'pending-approval',
  'challenge',
  'error',
  'eoc',
  'success',
  'version',
  'keep-alive-interval',
  'health-check',
];
const body = fc.oneof(
  fc
    .dictionary(fc.constantFrom(...RCDP_KEYS), fc.oneof(json, fc.constantFrom(...STATUSES)), { maxKeys: 6 })
    .map((d) => JSON.stringify(d)),
  json.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 80 }),
);
const status = fc.constantFrom(200, 200, 200, 400, 404, 405, 500, 503);

describe('fuzz: RCDP replies, every action', () => {
  it(
    'a validated reply or an RcdpError',
    async () => {
      const actions: Array<(c: RcdpClient) => Promise<unknown>> = [
        (c) => c.authRequirements({ service: 'S' }),
        (c) => c.authenticate({ service: 'S', userid: 'u', passwd: 'p' }),
        (c) => c.changePassword('a', 'b'),
        (c) => c.lastMessages(),
        (c) => c.csrRequirements(),
        (c) => c.cert({ format: 'P12' }),
        (c) => c.cert({ csr: 'x' }, { csr: true }),
      ];
      await fc.assert(
        fc.asyncProperty(fc.nat(actions.length - 1), status, body, async (i, st, b) => {
          const client = new RcdpClient({
            server: `127.0.0.1:${rcdpPort}`,
            agent,
            versions: ['2.8.3'],
            retry: { retries: 0, baseMs: 1, maxMs: 1 },
          });
          reply = { status: 200, body: '{}' };
          await client.connect();
          reply = { status: st, body: b };
          await expectResolvesOrTypedError(() => actions[i]!(client), RcdpError);
        }),
        fuzzParams(150),
      );
    },
    fuzzTimeout(),
  );
});

describe('fuzz: Public API replies', () => {
  it('regression (found by fuzzing): is-cert-tpm-attested answering JSON null is a PublicApiError, not a TypeError', async () => {
    const client = new PublicApiClient({ baseUrl: `http://127.0.0.1:${apiPort}` });
    for (const b of ['null', '7', '[]', '"yes"']) {
      reply = { status: 200, body: b };
      await expect(client.isCertTpmAttested('00')).rejects.toBeInstanceOf(PublicApiError);
    }
  });

  it(
    'a validated reply or a PublicApiError',
    async () => {
      const id = { service: 'S', user: 'u', computerName: 'pc' };
      const calls: Array<(c: PublicApiClient) => Promise<unknown>> = [
        (c) => c.version(),
        (c) => c.healthCheck(),
        (c) => c.keepAliveInterval('S'),
        (c) => c.iAmAlive({ templateName: 'S', user: 'u', computerName: 'pc' }),
        (c) => c.addressBookList('S'),
        (c) => c.disclaimerForSmimeCertEmail('S', 'a@b.c'),
        (c) => c.certApproverEmails(id),
        (c) => c.cnCustomizationPolicy(id),
        (c) => c.templatesToAutoRenewSeatCerts(['S']),
        (c) => c.certExpirationMargin({ service: 'S' }),
        (c) => c.rccd('UID'),
        (c) => c.unattendedPopupMessageTemplate(),
        (c) => c.shouldCertGoToSystemStore('S'),
        (c) => c.isCertTpmAttested('00'),
      ];
      const client = new PublicApiClient({ baseUrl: `http://127.0.0.1:${apiPort}` });
      await fc.assert(
        fc.asyncProperty(fc.nat(calls.length - 1), status, body, async (i, st, b) => {
          reply = { status: st, body: b };
          await expectResolvesOrTypedError(() => calls[i]!(client), PublicApiError);
        }),
        fuzzParams(200),
      );
    },
    fuzzTimeout(),
  );
});
