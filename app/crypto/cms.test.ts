import { beforeAll, describe, expect, it } from 'vitest';
import { decryptCmsEnvelope } from './cms';
import { openssl } from './testing/openssl';
import { createTestPki, issueCertificate, type TestIdentity, type TestPki } from './testing/test-pki';

let pki: TestPki;
let seat: TestIdentity;
let other: TestIdentity;

beforeAll(async () => {
  pki = await createTestPki('Seat');
  seat = await issueCertificate(pki.primary, { cn: 'seat-1', keyPem: pki.server.keyPem, extKeyUsage: ['clientAuth'] });
  other = await issueCertificate(pki.primary, { cn: 'seat-2', keyPem: pki.root.keyPem });
});

/** What the server does: openssl cms -encrypt to the seat certificate, DER, then base64 for the JSON relay. */
function encryptChallenge(plain: string, recipients: string[], keyopts: string[] = [], cipher: string[] = []): string {
  const files: Record<string, string> = { 'in.txt': plain };
  recipients.forEach((pem, i) => (files[`r${i}.pem`] = pem));
  // -keyopt applies to the -recip before it.
  const recips = recipients.flatMap((_, i) => ['-recip', `r${i}.pem`, ...keyopts]);
  const der = openssl(['cms', '-encrypt', '-binary', '-in', 'in.txt', '-outform', 'DER', ...cipher, ...recips], files);
  return der.toString('base64');
}

describe('decryptCmsEnvelope', () => {
  it('decrypts an RSA PKCS#1 v1.5 recipient (openssl cms default) that Node 20 alone refuses', () => {
    const b64 = encryptChallenge('challenge-42-abcdef', [seat.certPem]);
    expect(decryptCmsEnvelope(b64, seat.keyPem, seat.certPem).toString()).toBe('challenge-42-abcdef');
  });

  it('decrypts RSA-OAEP recipients (SHA-1 default and SHA-256) and 3DES/AES-128 content', () => {
    const oaep = encryptChallenge('oaep-challenge', [seat.certPem], ['-keyopt', 'rsa_padding_mode:oaep']);
    expect(decryptCmsEnvelope(oaep, seat.keyPem, seat.certPem).toString()).toBe('oaep-challenge');
    const oaep256 = encryptChallenge(
      'oaep-256',
      [seat.certPem],
      ['-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha256', '-keyopt', 'rsa_mgf1_md:sha256'],
      ['-aes128'],
    );
    expect(decryptCmsEnvelope(oaep256, seat.keyPem, seat.certPem).toString()).toBe('oaep-256');
    const des3 = encryptChallenge('des3', [seat.certPem], [], ['-des3']);
    expect(decryptCmsEnvelope(des3, seat.keyPem, seat.certPem).toString()).toBe('des3');
  });

  it('finds its own recipient among several and accepts an S/MIME-wrapped message', () => {
    const b64 = encryptChallenge('multi', [other.certPem, seat.certPem]);
    expect(decryptCmsEnvelope(b64, seat.keyPem, seat.certPem).toString()).toBe('multi');
    const smime = openssl(['cms', '-encrypt', '-in', 'in.txt', 'r.pem'], { 'in.txt': 'smime-body', 'r.pem': seat.certPem });
    expect(smime.toString()).toMatch(/MIME-Version/);
    expect(decryptCmsEnvelope(smime.toString('base64'), seat.keyPem, seat.certPem).toString()).toBe('smime-body');
  });

  it('gives clear errors for a foreign certificate, a wrong key and garbage', () => {
    const b64 = encryptChallenge('x', [seat.certPem]);
    expect(() => decryptCmsEnvelope(b64, other.keyPem, other.certPem)).toThrow(/not addressed to this seat certificate/);
    expect(() => decryptCmsEnvelope(b64, pki.root.keyPem === seat.keyPem ? pki.primary.keyPem : pki.root.keyPem, seat.certPem)).toThrow(
      /Could not decrypt the seat challenge/,
    );
    expect(() => decryptCmsEnvelope('not base64 !!!', seat.keyPem, seat.certPem)).toThrow(/not base64/);
    expect(() => decryptCmsEnvelope(Buffer.from('hello').toString('base64'), seat.keyPem, seat.certPem)).toThrow(/not a readable CMS/);
  });
});
