import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { nssExportPkcs12, opensslPkcs12, selfSignedCertPem } from '../../test-support/crypto/fixture-certs';
import { certMatchesKey } from './cert-info';
import { generateEcKeyPair } from './keys';
import { parsePkcs12 } from './p12-read';
import { openssl, opensslOutput } from '../../test-support/crypto/openssl';
import { createTestPki, type TestPki } from '../../test-support/crypto/test-pki';

let pki: TestPki;
let ecCertPem: string;
let ecKeyPem: string;

beforeAll(async () => {
  pki = await createTestPki('P12');
  const ec = await generateEcKeyPair();
  ecKeyPem = ec.privateKeyPem;
  ecCertPem = selfSignedCertPem('/CN=ec-user', { keyPem: ecKeyPem, days: 2 });
});

function exportP12(certPem: string, keyPem: string, chain: string[], extra: string[], password = 'S3cret!'): Buffer {
  return opensslPkcs12({ certPem, keyPem, chainPem: chain, friendlyName: 'My Friendly Name', password }, extra);
}

function expectLeaf(out: ReturnType<typeof parsePkcs12>): void {
  expect(new X509Certificate(out.certPem).subject).toBe('CN=localhost');
  expect(out.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  expect(certMatchesKey(out.certPem, out.keyPem)).toBe(true);
  expect(out.chainPem.map((p) => new X509Certificate(p).subject)).toEqual(['CN=P12 Primary CA', 'CN=P12 Root CA']);
  expect(out.friendlyName).toBe('My Friendly Name');
}

describe('parsePkcs12', () => {
  it('reads legacy RC2-40/3DES files (what KeyTalk servers send) and orders the chain', () => {
    // Root first in the file on purpose: the reader must order leaf → issuer → root itself.
    const der = exportP12(pki.server.certPem, pki.server.keyPem, [pki.root.certPem, pki.primary.certPem], ['-legacy']);
    const info = opensslOutput(['pkcs12', '-legacy', '-info', '-noout', '-in', 'p.p12', '-passin', 'pass:S3cret!'], {
      'p.p12': der,
    });
    expect(info).toMatch(/pbeWithSHA1And40BitRC2-CBC/);
    expectLeaf(parsePkcs12(der, 'S3cret!'));
  });

  it('reads 3DES-only files with a SHA-1 MAC', () => {
    const der = exportP12(
      pki.server.certPem,
      pki.server.keyPem,
      [pki.primary.certPem, pki.root.certPem],
      ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'],
    );
    expectLeaf(parsePkcs12(der, 'S3cret!'));
  });

  it('reads AES-256/PBKDF2 (P12v2, OpenSSL 3 default) files, fast even with many iterations', () => {
    const der = exportP12(pki.server.certPem, pki.server.keyPem, [pki.primary.certPem, pki.root.certPem], ['-iter', '200000']);
    const started = Date.now();
    expectLeaf(parsePkcs12(der, 'S3cret!'));
    // Not a speed assertion of the product: guards that the native PBKDF2 path is in use (pure JS takes seconds).
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('reads EC keys, which forge cannot parse itself, in both legacy and AES files', () => {
    for (const extra of [[], ['-legacy']]) {
      const out = parsePkcs12(exportP12(ecCertPem, ecKeyPem, [], extra, 'pw'), 'pw');
      expect(new X509Certificate(out.certPem).subject).toBe('CN=ec-user');
      expect(certMatchesKey(out.certPem, out.keyPem)).toBe(true);
      expect(out.chainPem).toEqual([]);
    }
  });

  it('accepts non-ASCII passwords', () => {
    const der = exportP12(pki.server.certPem, pki.server.keyPem, [pki.primary.certPem], ['-legacy'], 'pässwörd');
    expect(certMatchesKey(parsePkcs12(der, 'pässwörd').certPem, pki.server.keyPem)).toBe(true);
  });

  it('reports a wrong password as a wrong password, and garbage as not a P12', () => {
    const der = exportP12(pki.server.certPem, pki.server.keyPem, [], ['-legacy']);
    expect(() => parsePkcs12(der, 'nope')).toThrow(/Wrong password for the PKCS#12/);
    const aes = exportP12(pki.server.certPem, pki.server.keyPem, [], []);
    expect(() => parsePkcs12(aes, 'nope')).toThrow(/Wrong password for the PKCS#12/);
    expect(() => parsePkcs12(new Uint8Array([0x30, 0x03, 0x02, 0x01]), 'x')).toThrow(/Not a readable PKCS#12/);
    expect(() => parsePkcs12(Buffer.from('hello world'), 'x')).toThrow(/Not a readable PKCS#12/);
  });

  const hasPk12util = spawnSync('pk12util', ['-h']).error === undefined;
  it.skipIf(!hasPk12util)('reads a P12 exported by NSS pk12util (AES-256, PBKDF2 600k iterations, SHA-256 MAC)', () => {
    const source = exportP12(pki.server.certPem, pki.server.keyPem, [pki.primary.certPem], []);
    const der = nssExportPkcs12(source, { password: 'S3cret!', nickname: 'My Friendly Name' });
    const out = parsePkcs12(der, 'S3cret!');
    expect(certMatchesKey(out.certPem, pki.server.keyPem)).toBe(true);
    expect(out.friendlyName).toBe('My Friendly Name');
    expect(() => parsePkcs12(der, 'wrong')).toThrow(/Wrong password for the PKCS#12/);
  });

  it('refuses a file without a key', () => {
    const der = openssl(['pkcs12', '-export', '-nokeys', '-in', 'c.pem', '-passout', 'pass:x'], { 'c.pem': pki.server.certPem });
    expect(() => parsePkcs12(der, 'x')).toThrow(/holds no private key/);
  });
});
