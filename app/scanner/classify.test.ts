import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectCertificate, keyUsageBits, normalizeFp, purposesOf } from './classify';
import { makeKey, mintCert, purposeMix, type TestKey } from '../../test-support/scanner/test-certs';

let key: TestKey;
let mix: ReturnType<typeof purposeMix>;
beforeAll(() => {
  key = makeKey();
  mix = purposeMix(key, 'cls');
});

describe('inspectCertificate', () => {
  it('classifies by keyUsage and extKeyUsage', () => {
    expect(inspectCertificate(mix.server.der).purposes).toEqual(['server-auth']);
    expect(inspectCertificate(mix.client.der).purposes).toEqual(['client-auth']);
    expect(inspectCertificate(mix.smime.der).purposes).toEqual(['smime']);
    expect(inspectCertificate(mix.ca.der).purposes).toEqual([]);
    expect(inspectCertificate(mix.signOnly.der).purposes).toEqual([]);
    expect(inspectCertificate(mix.ca.der).isCa).toBe(true);
  });

  it('treats an end-entity without EKU as usable for what its keyUsage allows; S/MIME only with an e-mail', () => {
    const noEkuMail = mintCert({ cn: 'any', key, keyUsage: { digitalSignature: true }, email: 'a@b.test' });
    expect(inspectCertificate(noEkuMail.der).purposes).toEqual(['smime', 'client-auth', 'server-auth']);
    const noEkuNoMail = mintCert({ cn: 'any2', key });
    expect(inspectCertificate(noEkuNoMail.der).purposes).toEqual(['client-auth', 'server-auth']);
    // keyUsage present without any signing/encipherment bit rules TLS and S/MIME out even with a matching EKU
    const wrongKu = mintCert({ cn: 'ku', key, keyUsage: { dataEncipherment: true }, extKeyUsage: { clientAuth: true } });
    expect(inspectCertificate(wrongKu.der).purposes).toEqual([]);
  });

  it('reads keyUsage bits as OpenSSL does', () => {
    expect(keyUsageBits(mix.server.der)).toBe(0x80 | 0x20);
    expect(keyUsageBits(mix.smime.der)).toBe(0x80 | 0x40);
    expect(keyUsageBits(mix.ca.der)).toBe(0x04 | 0x02);
    expect(keyUsageBits(mintCert({ cn: 'none', key }).der)).toBeUndefined();
    expect(new X509Certificate(mix.server.der).toLegacyObject()).toBeTruthy();
  });

  it('marks expired certificates and gives upper-case fingerprints matching Node', () => {
    const info = inspectCertificate(mix.expiredClient.der);
    expect(info.expired).toBe(true);
    expect(inspectCertificate(mix.client.der).expired).toBe(false);
    const x = new X509Certificate(mix.client.der);
    expect(inspectCertificate(mix.client.der).sha256).toBe(x.fingerprint256.replace(/:/g, ''));
    expect(inspectCertificate(mix.client.der).sha1).toBe(x.fingerprint.replace(/:/g, ''));
  });

  it('throws on a non-certificate', () => {
    expect(() => inspectCertificate(Buffer.from('30030201ff', 'hex'))).toThrow();
  });
});

describe('purposesOf', () => {
  it('honours anyExtendedKeyUsage and never infers purposes for a CA', () => {
    expect(purposesOf({ eku: ['2.5.29.37.0'], ku: undefined, isCa: false, hasEmail: false })).toEqual([
      'smime',
      'client-auth',
      'server-auth',
    ]);
    expect(purposesOf({ eku: undefined, ku: undefined, isCa: true, hasEmail: true })).toEqual([]);
    expect(purposesOf({ eku: ['1.3.6.1.5.5.7.3.1'], ku: undefined, isCa: true, hasEmail: false })).toEqual(['server-auth']);
  });
  it('normalizes fingerprints', () => {
    expect(normalizeFp('ab:cd:ef')).toBe('ABCDEF');
  });
});
