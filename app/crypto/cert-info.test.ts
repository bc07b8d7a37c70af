import { createHash, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { certMatchesKey, describeCertificate, splitPemBlocks } from './cert-info';
import { generateEcKeyPair } from './keys';
import { pemToDer } from './pem';
import { openssl } from '../../test-support/crypto/openssl';
import { createTestPki, issueCertificate, type TestPki } from '../../test-support/crypto/test-pki';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki('Info');
});

describe('describeCertificate', () => {
  it('reads subject, issuer, serial, dates, fingerprints, usages and SANs', async () => {
    const leaf = await issueCertificate(pki.primary, {
      cn: 'alice',
      keyPem: pki.server.keyPem,
      extraSubject: [
        { shortName: 'OU', value: 'Dev' },
        { shortName: 'OU', value: 'Ops' },
        { shortName: 'O', value: 'KeyTalk, B.V.' },
      ],
      emails: ['alice@example.com'],
      dnsNames: ['a.example.com'],
      ipAddresses: ['10.1.2.3'],
      extKeyUsage: ['clientAuth', 'emailProtection'],
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2027-01-01T00:00:00Z'),
    });
    const info = describeCertificate(leaf.certPem);
    expect(info.subject).toBe('O=KeyTalk\\, B.V., OU=Ops, OU=Dev, CN=alice');
    expect(info.subjectFields.OU).toEqual(['Dev', 'Ops']);
    expect(info.commonName).toBe('alice');
    expect(info.issuer).toBe('CN=Info Primary CA');
    expect(info.notBefore).toBe('2026-01-01T00:00:00.000Z');
    expect(info.notAfter).toBe('2027-01-01T00:00:00.000Z');
    const der = pemToDer(leaf.certPem);
    expect(info.sha256Fingerprint).toBe(createHash('sha256').update(der).digest('hex').toUpperCase());
    expect(info.sha1Fingerprint).toMatch(/^[0-9A-F]{40}$/);
    // Cross-check with OpenSSL rather than with our own parser.
    const serial = openssl(['x509', '-in', 'c.pem', '-noout', '-serial'], { 'c.pem': leaf.certPem }).toString().trim();
    expect(`serial=${info.serialNumber}`).toBe(serial);
    expect(info.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(info.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.4']);
    expect(info.emails).toEqual(['alice@example.com']);
    expect(info.dnsNames).toEqual(['a.example.com']);
    expect(info.ipAddresses).toEqual(['10.1.2.3']);
    expect(info.isCa).toBe(false);
    expect(info.selfIssued).toBe(false);
    expect(info.publicKeyAlgorithm).toBe('rsa');
    expect(info.publicKeyBits).toBe(2048);
  });

  it('recognises CAs, accepts DER input and EC certificates made by openssl', async () => {
    const root = describeCertificate(pemToDer(pki.root.certPem));
    expect(root.isCa).toBe(true);
    expect(root.selfIssued).toBe(true);
    expect(root.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    const ec = await generateEcKeyPair();
    const ecCert = openssl(['req', '-new', '-x509', '-key', 'k.pem', '-subj', '/C=NL/CN=Jörg EC', '-days', '2', '-utf8'], {
      'k.pem': ec.privateKeyPem,
    }).toString();
    const info = describeCertificate(ecCert);
    expect(info.subject).toBe('CN=Jörg EC, C=NL');
    expect(info.publicKeyAlgorithm).toBe('ec');
    expect(info.publicKeyBits).toBe(256);
    expect(certMatchesKey(ecCert, ec.privateKeyPem)).toBe(true);
  });

  it('rejects garbage with a clear error', () => {
    expect(() => describeCertificate('hello')).toThrow(/Not a readable X.509 certificate/);
    expect(() => describeCertificate(new Uint8Array([1, 2, 3]))).toThrow(/Not a readable X.509 certificate/);
  });
});

describe('splitPemBlocks / certMatchesKey', () => {
  it('splits a chain with noise between blocks and filters by type', () => {
    const text = `Bag Attributes\n friendlyName: x\n${pki.server.certPem}\r\nnoise\n${pki.primary.certPem.replace(/\n/g, '\r\n')}${pki.server.keyPem}`;
    const certs = splitPemBlocks(text, 'CERTIFICATE');
    expect(certs).toHaveLength(2);
    expect(new X509Certificate(certs[1]!).subject).toContain('Info Primary CA');
    expect(splitPemBlocks(text)).toHaveLength(3);
  });

  it('matches a certificate to its own key only', () => {
    expect(certMatchesKey(pki.server.certPem, pki.server.keyPem)).toBe(true);
    expect(certMatchesKey(pki.server.certPem, pki.root.keyPem)).toBe(false);
  });
});
