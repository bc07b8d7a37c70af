import { createPublicKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCsr, normalizeDigest } from './csr';
import { generateEcKeyPair, generateRsaKeyPair, type KeyPairPem } from './keys';
import { openssl } from '../../test-support/crypto/openssl';

let rsa: KeyPairPem;
let ec: KeyPairPem;

beforeAll(async () => {
  [rsa, ec] = await Promise.all([generateRsaKeyPair(2048), generateEcKeyPair()]);
});

function opensslText(csr: string): string {
  // -verify makes openssl check the self-signature; a bad signature exits non-zero and throws here.
  return openssl(['req', '-in', 'r.csr', '-noout', '-verify', '-text', '-nameopt', 'RFC2253,-esc_msb'], {
    'r.csr': csr,
  }).toString('utf8');
}

describe('generateRsaKeyPair / generateEcKeyPair', () => {
  it('returns PKCS#8 private and SPKI public PEMs that belong together', () => {
    expect(rsa.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(rsa.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const pub = createPublicKey(rsa.privateKeyPem).export({ type: 'spki', format: 'pem' });
    expect(pub).toBe(rsa.publicKeyPem);
    expect(createPublicKey(rsa.publicKeyPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(createPublicKey(ec.publicKeyPem).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('refuses absurd RSA sizes with a clear error', async () => {
    await expect(generateRsaKeyPair(512)).rejects.toThrow(/RSA key size 512/);
  });
});

describe('buildCsr', () => {
  it('produces a CSR openssl verifies, with every subject field, several OUs and every SAN kind', () => {
    const csr = buildCsr({
      privateKeyPem: rsa.privateKeyPem,
      subject: {
        cn: 'TestUser',
        c: 'NL',
        st: 'Utrecht',
        l: 'Amersfoort',
        o: 'KeyTalk',
        ous: ['Development', 'Administration'],
        e: 'test@keytalk.com',
      },
      san: ['email:test@keytalk.com', 'DNS:test.keytalk.com', 'IP:192.168.1.2', 'IP:2001:db8::1', 'URI:https://keytalk.com/u'],
      signingAlgo: 'sha256',
    });
    const text = opensslText(csr);
    expect(text).toContain(
      'Subject: emailAddress=test@keytalk.com,CN=TestUser,OU=Administration,OU=Development,O=KeyTalk,L=Amersfoort,ST=Utrecht,C=NL',
    );
    expect(text).toContain('sha256WithRSAEncryption');
    expect(text).toMatch(
      /email:test@keytalk.com, DNS:test.keytalk.com, IP Address:192.168.1.2, IP Address:2001:DB8:0:0:0:0:0:1, URI:https:\/\/keytalk.com\/u/,
    );
  });

  it('encodes emailAddress as IA5String and non-ASCII values as UTF8String', () => {
    const csr = buildCsr({ privateKeyPem: rsa.privateKeyPem, subject: { cn: 'Jürgen Müller', o: 'Ünïcode BV', e: 'j@x.nl' } });
    const parsed = openssl(['asn1parse', '-in', 'r.csr'], { 'r.csr': csr }).toString('utf8');
    expect(parsed).toMatch(/IA5STRING\s+:j@x.nl/);
    expect(parsed).toMatch(/UTF8STRING/);
    expect(opensslText(csr)).toContain('CN=Jürgen Müller');
  });

  it('honours the signing algorithm and supports EC keys', () => {
    expect(opensslText(buildCsr({ privateKeyPem: rsa.privateKeyPem, subject: { cn: 'a' }, signingAlgo: 'SHA-512' }))).toContain(
      'sha512WithRSAEncryption',
    );
    expect(opensslText(buildCsr({ privateKeyPem: rsa.privateKeyPem, subject: { cn: 'a' }, signingAlgo: 'sha1' }))).toContain(
      'sha1WithRSAEncryption',
    );
    const ecText = opensslText(
      buildCsr({ privateKeyPem: ec.privateKeyPem, subject: { cn: 'ec', ou: 'Single' }, san: ['DNS:ec.example'] }),
    );
    expect(ecText).toContain('ecdsa-with-SHA256');
    expect(ecText).toContain('OU=Single');
  });

  it('treats an empty subject field or SAN as "not set" and still signs', () => {
    const text = opensslText(buildCsr({ privateKeyPem: rsa.privateKeyPem, subject: { cn: 'x', o: '', ous: [''] }, san: [''] }));
    expect(text).toContain('Subject: CN=x');
    expect(text).not.toContain('Subject Alternative Name');
  });

  it('rejects bad input with errors that name the problem', () => {
    expect(() => buildCsr({ privateKeyPem: 'nope', subject: { cn: 'x' } })).toThrow(/private key/);
    expect(() => buildCsr({ privateKeyPem: rsa.privateKeyPem, subject: { c: 'Netherlands' } })).toThrow(/two-letter/);
    expect(() => buildCsr({ privateKeyPem: rsa.privateKeyPem, subject: { cn: 'x' }, san: ['foo:bar'] })).toThrow(
      /unsupported type/,
    );
    expect(() => buildCsr({ privateKeyPem: rsa.privateKeyPem, subject: { cn: 'x' }, san: ['IP:999.1.1.1'] })).toThrow(
      /not a valid/,
    );
    expect(() => buildCsr({ privateKeyPem: rsa.privateKeyPem, subject: { cn: 'x' }, signingAlgo: 'md5' })).toThrow(
      /Unsupported CSR signing/,
    );
    expect(normalizeDigest('sha256WithRSAEncryption')).toBe('sha256');
  });
});
