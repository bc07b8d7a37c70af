import { describe, expect, it } from 'vitest';
import { keyLocationOf, type StoredCertificate } from './store';

// `certs` and the UI say where a certificate's key is. Every NSS database's store id means "in NSS": the machine's
// /etc/pki/nssdb (system-nss, store-to-system) and the Mozilla profiles were reported as an OS key store.
const stored = (storeId: string): StoredCertificate => ({
  storeId,
  ref: 'x',
  sha256Fingerprint: 'AB',
  sha1Fingerprint: 'CD',
  serialNumber: '01',
  subject: 'CN=x',
  issuer: 'CN=ca',
  notBefore: '2026-01-01T00:00:00Z',
  notAfter: '2027-01-01T00:00:00Z',
  hasPrivateKey: true,
  label: 'x',
});

describe('keyLocationOf', () => {
  it('NSS databases (shared, machine, Firefox and Thunderbird profiles) hold the key in NSS; Windows/macOS stores in the OS', () => {
    for (const id of ['nss', 'system-nss', 'firefox:default-release', 'firefox:snap:default', 'thunderbird:default'])
      expect(keyLocationOf(stored(id)), id).toBe('nss');
    for (const id of ['windows-user', 'windows-machine', 'macos-login', 'macos-system'])
      expect(keyLocationOf(stored(id)), id).toBe('os-store');
    expect(keyLocationOf(stored('file'))).toBe('file');
    expect(keyLocationOf({ ...stored('nss'), hasPrivateKey: false })).toBeUndefined();
  });
});
