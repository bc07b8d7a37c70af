import https from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateFingerprint } from '../crypto/cert-info';
import { createTestPki, issueCertificate, type TestIdentity, type TestPki } from '../crypto/testing/test-pki';
import type { ProviderRecord } from '../rccd/types';
import { explainTlsError, TlsTrustError } from './explain-tls-error';
import { createProviderAgent, providerOrigin } from './provider-agent';

const DAY = 86_400_000;
let pki: TestPki;
let foreign: TestPki;
const servers: https.Server[] = [];

function provider(cas: Partial<ProviderRecord['cas']>, server = '127.0.0.1'): ProviderRecord {
  return {
    name: 'TLS Test',
    kind: 'keytalk',
    server,
    contentVersion: 1,
    services: [{ name: 'S' }],
    cas: { extraSigning: [], ...cas },
    importedAt: new Date().toISOString(),
  };
}

/** A real HTTPS server on a random loopback port presenting `leaf` (+ `chain`). */
async function serve(leaf: TestIdentity, chain: TestIdentity[] = []): Promise<number> {
  const server = https.createServer(
    { key: leaf.keyPem, cert: [leaf.certPem, ...chain.map((c) => c.certPem)].join('') },
    (_req, res) => {
      res.end('hello from keytalk');
    },
  );
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

function get(agent: https.Agent, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { agent }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

async function failure(agent: https.Agent, url: string, host: string): Promise<TlsTrustError> {
  try {
    await get(agent, url);
  } catch (err) {
    const explained = explainTlsError(err, host);
    expect(explained).toBeInstanceOf(TlsTrustError);
    return explained as TlsTrustError;
  }
  throw new Error('request unexpectedly succeeded');
}

beforeAll(async () => {
  [pki, foreign] = await Promise.all([createTestPki('Provider'), createTestPki('Foreign')]);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('createProviderAgent', () => {
  it('talks to a server whose certificate chains to the RCCD CAs, by IP and by name', async () => {
    const port = await serve(pki.server, [pki.primary]);
    const agent = createProviderAgent(provider({ root: pki.root.certPem, primary: pki.primary.certPem }));
    expect(await get(agent, `https://127.0.0.1:${port}/`)).toBe('hello from keytalk');
    expect(await get(agent, `https://localhost:${port}/`)).toBe('hello from keytalk');
    agent.destroy();
  });

  it('accepts an intermediate CA from the RCCD as the anchor (no root in the RCCD)', async () => {
    const port = await serve(pki.server);
    const agent = createProviderAgent(provider({ server: pki.primary.certPem }));
    expect(await get(agent, `https://127.0.0.1:${port}/`)).toBe('hello from keytalk');
    agent.destroy();
  });

  it('builds the origin from the RCCD server and trusts the system store only when asked', () => {
    expect(providerOrigin(provider({}, '127.0.0.1:8443'))).toBe('https://127.0.0.1:8443');
    const only = createProviderAgent(provider({ primary: pki.primary.certPem })).options.ca as string[];
    expect(only).toEqual([pki.primary.certPem]);
    const withSystem = createProviderAgent(provider({ primary: pki.primary.certPem }), { useSystemStore: true }).options
      .ca as string[];
    expect(withSystem.length).toBe(1 + tls.rootCertificates.length);
    expect(() => createProviderAgent(provider({}))).toThrow(/has no server CA certificates/);
  });

  it('refuses a server from another PKI (unknown CA) and names its fingerprint, even with NODE_TLS_REJECT_UNAUTHORIZED=0', async () => {
    const port = await serve(foreign.server, [foreign.primary]);
    const agent = createProviderAgent(provider({ root: pki.root.certPem, primary: pki.primary.certPem }));
    const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      const err = await failure(agent, `https://127.0.0.1:${port}/`, '127.0.0.1');
      expect(err.problem).toBe('unknown-ca');
      expect(err.sha256Fingerprint).toBe(certificateFingerprint(foreign.server.certPem));
      expect(err.message).toContain("is not issued by a CA in this provider's RCCD (unknown CA)");
      expect(err.message).toContain('Foreign Primary CA');
      expect(err.message).toContain(certificateFingerprint(foreign.server.certPem));
    } finally {
      if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
    }
  });

  it('explains an expired and a not-yet-valid server certificate', async () => {
    const expired = await issueCertificate(pki.primary, {
      cn: 'localhost',
      keyPem: pki.server.keyPem,
      ipAddresses: ['127.0.0.1'],
      notBefore: new Date(Date.now() - 30 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const future = await issueCertificate(pki.primary, {
      cn: 'localhost',
      keyPem: pki.server.keyPem,
      ipAddresses: ['127.0.0.1'],
      notBefore: new Date(Date.now() + 10 * DAY),
      notAfter: new Date(Date.now() + 30 * DAY),
    });
    const agent = createProviderAgent(provider({ primary: pki.primary.certPem }));
    const e1 = await failure(agent, `https://127.0.0.1:${await serve(expired)}/`, '127.0.0.1');
    expect(e1.problem).toBe('expired');
    expect(e1.message).toMatch(/expired on \d{4}-\d\d-\d\dT/);
    expect(e1.sha256Fingerprint).toBe(certificateFingerprint(expired.certPem));
    const e2 = await failure(agent, `https://127.0.0.1:${await serve(future)}/`, '127.0.0.1');
    expect(e2.problem).toBe('not-yet-valid');
    expect(e2.message).toContain("check this computer's clock");
  });

  it('explains a wrong host and a self-signed server certificate', async () => {
    const other = await issueCertificate(pki.primary, {
      cn: 'other.example',
      keyPem: pki.server.keyPem,
      dnsNames: ['other.example'],
    });
    const agent = createProviderAgent(provider({ primary: pki.primary.certPem }));
    const e1 = await failure(agent, `https://127.0.0.1:${await serve(other)}/`, '127.0.0.1');
    expect(e1.problem).toBe('wrong-host');
    expect(e1.message).toContain('certificate is for other.example (wrong host)');
    expect(e1.sha256Fingerprint).toBe(certificateFingerprint(other.certPem));

    const selfSigned = await issueCertificate(undefined, {
      cn: 'localhost',
      keyPem: pki.server.keyPem,
      ipAddresses: ['127.0.0.1'],
    });
    const e2 = await failure(agent, `https://127.0.0.1:${await serve(selfSigned)}/`, '127.0.0.1');
    expect(e2.problem).toBe('self-signed');
    expect(e2.sha256Fingerprint).toBe(certificateFingerprint(selfSigned.certPem));
  });
});

describe('explainTlsError', () => {
  it('passes non-TLS errors through and wraps non-Errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(explainTlsError(refused, 'h')).toBe(refused);
    expect(explainTlsError('boom', 'h').message).toBe('boom');
  });

  it('looks through fetch-style cause chains', () => {
    const inner = Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
    const outer = new TypeError('fetch failed', { cause: inner });
    const e = explainTlsError(outer, 'kt.example') as TlsTrustError;
    expect(e.problem).toBe('expired');
    expect(e.message).toContain('kt.example');
  });
});
