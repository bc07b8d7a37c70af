import { textOf } from '../model/core-text';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateFingerprint } from '../crypto/cert-info';
import { createTestPki, issueCertificate, type TestIdentity, type TestPki } from '../../test-support/crypto/test-pki';
import type { ProviderRecord } from '../rccd/types';
import { explainTlsError, TlsTrustError } from './explain-tls-error';
import { createProviderAgent, providerOrigin } from './provider-agent';
import { isTlsFailure } from './tls-codes';

const DAY = 86_400_000;
let pki: TestPki;
let foreign: TestPki;
/** The KeyTalk layout under the primary CA (spec 2.1): SCA issues the server's certificate, UCA users' ones. */
let sca: TestIdentity;
let uca: TestIdentity;
let scaServer: TestIdentity;
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
  [sca, uca] = await Promise.all([
    issueCertificate(pki.primary, { cn: 'Provider Server CA', isCa: true }),
    issueCertificate(pki.primary, { cn: 'Provider User CA', isCa: true }),
  ]);
  scaServer = await issueCertificate(sca, {
    cn: 'localhost',
    keyPem: pki.server.keyPem,
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    extKeyUsage: ['serverAuth'],
  });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('createProviderAgent', () => {
  const allCas = () => ({ root: pki.root.certPem, primary: pki.primary.certPem, signing: uca.certPem, server: sca.certPem });

  it('talks to a server whose certificate chains through the RCCD SCA, by IP and by name (SCA sent or not)', async () => {
    const port = await serve(scaServer, [sca, pki.primary]);
    const agent = createProviderAgent(provider(allCas()));
    expect(await get(agent, `https://127.0.0.1:${port}/`)).toBe('hello from keytalk');
    expect(await get(agent, `https://localhost:${port}/`)).toBe('hello from keytalk');
    agent.destroy();
    const bare = createProviderAgent(provider({ server: sca.certPem }));
    expect(await get(bare, `https://127.0.0.1:${await serve(scaServer)}/`)).toBe('hello from keytalk');
    bare.destroy();
  });

  it('trusts only the SCA: never the PCA, RCA, UCA or the system roots', () => {
    expect(providerOrigin(provider({}, '127.0.0.1:8443'))).toBe('https://127.0.0.1:8443');
    expect(createProviderAgent(provider(allCas())).options.ca).toEqual([sca.certPem]);
    expect(tls.rootCertificates).not.toContain(sca.certPem);
    expect(() => createProviderAgent(provider({ root: pki.root.certPem, primary: pki.primary.certPem }))).toThrow(
      /has no server communication CA \(SCA\)/,
    );
  });

  // Security review (issue 22): the PCA and RCA also sign the UCA, so a certificate any user can get for the
  // server's host name must not be taken for the KeyTalk server.
  it('refuses a serverAuth certificate for the host issued by the user CA (UCA) under the same PCA', async () => {
    const ucaIssued = await issueCertificate(uca, {
      cn: 'localhost',
      keyPem: pki.server.keyPem,
      ipAddresses: ['127.0.0.1'],
      extKeyUsage: ['serverAuth'],
    });
    const agent = createProviderAgent(provider(allCas()));
    const err = await failure(agent, `https://127.0.0.1:${await serve(ucaIssued, [uca, pki.primary])}/`, '127.0.0.1');
    expect(err.problem).toBe('unknown-ca');
    expect(err.message).toContain("is not issued by this provider's server communication CA (SCA)");
    expect(err.message).toContain('Provider User CA');
    expect(err.sha256Fingerprint).toBe(certificateFingerprint(ucaIssued.certPem));
  });

  it('refuses an SCA-issued certificate without serverAuth: no EKU at all, or clientAuth only', async () => {
    const agent = createProviderAgent(provider(allCas()));
    for (const extKeyUsage of [undefined, ['clientAuth']]) {
      const leaf = await issueCertificate(sca, {
        cn: 'localhost',
        keyPem: pki.server.keyPem,
        ipAddresses: ['127.0.0.1'],
        extKeyUsage,
      });
      const err = await failure(agent, `https://127.0.0.1:${await serve(leaf, [sca])}/`, '127.0.0.1');
      expect(err.problem).toBe('not-server-certificate');
      expect(err.code).toBe('INVALID_PURPOSE');
      expect(err.message).toContain('not a TLS server certificate (no serverAuth extended key usage)');
      expect(err.sha256Fingerprint).toBe(certificateFingerprint(leaf.certPem));
    }
  });

  it('refuses a server from another PKI (unknown CA) and names its fingerprint, even with NODE_TLS_REJECT_UNAUTHORIZED=0', async () => {
    const port = await serve(foreign.server, [foreign.primary]);
    const agent = createProviderAgent(provider(allCas()));
    const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      const err = await failure(agent, `https://127.0.0.1:${port}/`, '127.0.0.1');
      expect(err.problem).toBe('unknown-ca');
      // coded by its problem, so the UI says it in the user's language (app/model/core-text.ts)
      expect(textOf(err)).toMatchObject({ code: 'tls.unknown-ca', params: { host: '127.0.0.1' } });
      expect(err.sha256Fingerprint).toBe(certificateFingerprint(foreign.server.certPem));
      expect(err.message).toContain("is not issued by this provider's server communication CA (SCA) from the RCCD (unknown CA)");
      expect(err.message).toContain('Foreign Primary CA');
      expect(err.message).toContain(certificateFingerprint(foreign.server.certPem));
    } finally {
      if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
    }
  });

  it('explains an expired and a not-yet-valid server certificate', async () => {
    const expired = await issueCertificate(sca, {
      cn: 'localhost',
      keyPem: pki.server.keyPem,
      ipAddresses: ['127.0.0.1'],
      notBefore: new Date(Date.now() - 30 * DAY),
      notAfter: new Date(Date.now() - DAY),
      extKeyUsage: ['serverAuth'],
    });
    const future = await issueCertificate(sca, {
      cn: 'localhost',
      keyPem: pki.server.keyPem,
      ipAddresses: ['127.0.0.1'],
      notBefore: new Date(Date.now() + 10 * DAY),
      notAfter: new Date(Date.now() + 30 * DAY),
      extKeyUsage: ['serverAuth'],
    });
    const agent = createProviderAgent(provider(allCas()));
    const e1 = await failure(agent, `https://127.0.0.1:${await serve(expired)}/`, '127.0.0.1');
    expect(e1.problem).toBe('expired');
    expect(e1.message).toMatch(/expired on \d{4}-\d\d-\d\dT/);
    expect(e1.sha256Fingerprint).toBe(certificateFingerprint(expired.certPem));
    const e2 = await failure(agent, `https://127.0.0.1:${await serve(future)}/`, '127.0.0.1');
    expect(e2.problem).toBe('not-yet-valid');
    expect(e2.message).toContain("check this computer's clock");
  });

  it('explains a wrong host and a self-signed server certificate', async () => {
    const other = await issueCertificate(sca, {
      cn: 'other.example',
      keyPem: pki.server.keyPem,
      dnsNames: ['other.example'],
      extKeyUsage: ['serverAuth'],
    });
    const agent = createProviderAgent(provider(allCas()));
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

  it('routes every certificate-verification code to a TLS explanation, never to an outage', () => {
    for (const code of [
      'INVALID_PURPOSE',
      'INVALID_CA',
      'CERT_REJECTED',
      'UNSPECIFIED',
      'PATH_LENGTH_EXCEEDED',
      'CERT_UNTRUSTED',
    ]) {
      expect(isTlsFailure(Object.assign(new Error('x'), { code })), code).toBe(true);
      const e = explainTlsError(Object.assign(new Error('x'), { code }), 'kt.example');
      expect(e, code).toBeInstanceOf(TlsTrustError);
      expect(e.message, code).toContain('kt.example');
    }
    expect(isTlsFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(false);
  });

  it('looks through fetch-style cause chains', () => {
    const inner = Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
    const outer = new TypeError('fetch failed', { cause: inner });
    const e = explainTlsError(outer, 'kt.example') as TlsTrustError;
    expect(e.problem).toBe('expired');
    expect(e.message).toContain('kt.example');
  });
});
