import { createPrivateKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateEcKeyPair, generateRsaKeyPair } from './keys';
import { decryptPrivateKeyPem, encryptPrivateKeyPem } from './private-key';
import { openssl } from '../../test-support/crypto/openssl';

let rsaPem: string;
let ecPem: string;
beforeAll(async () => {
  rsaPem = (await generateRsaKeyPair()).privateKeyPem;
  ecPem = (await generateEcKeyPair()).privateKeyPem;
});

const same = (a: string, b: string): boolean =>
  createPrivateKey(a)
    .export({ type: 'pkcs8', format: 'der' })
    .equals(createPrivateKey(b).export({ type: 'pkcs8', format: 'der' }));

describe('decryptPrivateKeyPem', () => {
  it('decrypts PKCS#8 PBES2 keys made by openssl (AES and 3DES), RSA and EC', () => {
    for (const [key, cipher] of [
      [rsaPem, '-aes-256-cbc'],
      [ecPem, '-des3'],
      [rsaPem, '-aes128'],
    ] as const) {
      const enc = openssl(['pkey', '-in', 'k.pem', cipher, '-passout', 'pass:pw1'], { 'k.pem': key }).toString();
      expect(enc).toMatch(/BEGIN ENCRYPTED PRIVATE KEY/);
      const out = decryptPrivateKeyPem(enc, 'pw1');
      expect(out).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      expect(same(out, key)).toBe(true);
    }
  });

  it('decrypts legacy OpenSSL "Proc-Type: 4,ENCRYPTED" RSA keys and PBES1 keys', () => {
    const legacy = openssl(['rsa', '-in', 'k.pem', '-traditional', '-aes256', '-passout', 'pass:pw2'], {
      'k.pem': rsaPem,
    }).toString();
    expect(legacy).toMatch(/Proc-Type: 4,ENCRYPTED/);
    expect(same(decryptPrivateKeyPem(legacy, 'pw2'), rsaPem)).toBe(true);
    const pbes1 = openssl(['pkcs8', '-topk8', '-in', 'k.pem', '-v1', 'PBE-SHA1-3DES', '-passout', 'pass:pw3'], {
      'k.pem': rsaPem,
    }).toString();
    expect(same(decryptPrivateKeyPem(pbes1, 'pw3'), rsaPem)).toBe(true);
  });

  it('round-trips through encryptPrivateKeyPem and reports a wrong password clearly', () => {
    const enc = encryptPrivateKeyPem(rsaPem, 'right');
    expect(enc).toMatch(/ENCRYPTED PRIVATE KEY/);
    expect(same(decryptPrivateKeyPem(enc, 'right'), rsaPem)).toBe(true);
    expect(() => decryptPrivateKeyPem(enc, 'wrong')).toThrow(/Wrong password for the encrypted private key/);
    expect(() => decryptPrivateKeyPem('garbage', 'x')).toThrow(/Not a readable private key PEM/);
  });

  it('passes an unencrypted key through as PKCS#8', () => {
    const pkcs1 = openssl(['rsa', '-in', 'k.pem', '-traditional'], { 'k.pem': rsaPem }).toString();
    expect(pkcs1).toMatch(/BEGIN RSA PRIVATE KEY/);
    expect(same(decryptPrivateKeyPem(pkcs1, ''), rsaPem)).toBe(true);
  });
});
