import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate, newKeyPem, type TestIdentity } from '../../test-support/crypto/test-pki';
import { onlineCaFetch } from './http';

// A server whose certificate names another host: first contact skips chain verification, never the name check.
let root: TestIdentity;
let server: https.Server;
let port: number;
let good: https.Server;
let goodPort: number;

beforeAll(async () => {
  const key = await newKeyPem();
  root = await issueCertificate(undefined, { cn: 'Http Test Root', isCa: true, keyPem: key });
  const leaf = await issueCertificate(root, {
    cn: 'other.example',
    keyPem: key,
    dnsNames: ['other.example'],
    extKeyUsage: ['serverAuth'],
  });
  server = https.createServer({ key: leaf.keyPem, cert: leaf.certPem }, (_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
  const right = await issueCertificate(root, {
    cn: '127.0.0.1',
    keyPem: key,
    ipAddresses: ['127.0.0.1'],
    extKeyUsage: ['serverAuth'],
  });
  good = https.createServer({ key: right.keyPem, cert: right.certPem }, (_req, res) => {
    res.write(Buffer.alloc(64 * 1024, 0x41));
    res.end(Buffer.alloc(64 * 1024, 0x41));
  });
  await new Promise<void>((r) => good.listen(0, '127.0.0.1', () => r()));
  goodPort = (good.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of [server, good]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('onlineCaFetch', () => {
  it('first contact still refuses a certificate for another host name', async () => {
    await expect(
      onlineCaFetch(`https://127.0.0.1:${port}/`, { method: 'GET', trust: { mode: 'first-contact' }, maxBytes: 1000 }),
    ).rejects.toMatchObject({
      code: 'tls',
      message: expect.stringMatching(/for another name/),
    });
  });

  it('verified mode refuses a server the stored roots do not vouch for (here: wrong name) as a tls failure', async () => {
    await expect(
      onlineCaFetch(`https://127.0.0.1:${port}/`, {
        method: 'GET',
        trust: { mode: 'verified', caPems: [root.certPem] },
        maxBytes: 1000,
      }),
    ).rejects.toMatchObject({ code: 'tls' });
  });

  it('stops reading a reply larger than the limit', async () => {
    await expect(
      onlineCaFetch(`https://127.0.0.1:${goodPort}/big`, {
        method: 'GET',
        trust: { mode: 'verified', caPems: [root.certPem] },
        maxBytes: 1000,
      }),
    ).rejects.toMatchObject({ code: 'protocol', message: expect.stringMatching(/more than 1000 bytes/) });
    const ok = await onlineCaFetch(`https://127.0.0.1:${goodPort}/`, {
      method: 'GET',
      trust: { mode: 'verified', caPems: [root.certPem] },
      maxBytes: 200_000,
    });
    expect(ok.body.length).toBe(128 * 1024);
    // Leaf first; OpenSSL appends the verified issuers it found in the trust roots.
    expect(new X509Certificate(ok.peerChainPem[0]!).subject).toBe('CN=127.0.0.1');
  });

  it('refuses plain http and reports unreachable servers as network failures', async () => {
    await expect(
      onlineCaFetch('http://127.0.0.1/', { method: 'GET', trust: { mode: 'first-contact' }, maxBytes: 10 }),
    ).rejects.toMatchObject({ code: 'bad-input' });
    const closed = https.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const p = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(
      onlineCaFetch(`https://127.0.0.1:${p}/`, { method: 'GET', trust: { mode: 'first-contact' }, maxBytes: 10 }),
    ).rejects.toMatchObject({ code: 'network' });
  });
});
