import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptCmsEnvelope } from './cms';
import { openssl } from '../../test-support/crypto/openssl';
import { createTestPki, issueCertificate, type TestIdentity, type TestPki } from '../../test-support/crypto/test-pki';

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

  it('decrypts subjectKeyIdentifier recipients and AES-GCM AuthEnvelopedData', () => {
    const keyid = encryptChallenge('by-key-id', [seat.certPem], [], ['-keyid']);
    expect(decryptCmsEnvelope(keyid, seat.keyPem, seat.certPem).toString()).toBe('by-key-id');
    const gcm = encryptChallenge('gcm-challenge', [seat.certPem], [], ['-aes-256-gcm']);
    expect(openssl(['cms', '-cmsout', '-print', '-inform', 'DER'], {}, Buffer.from(gcm, 'base64')).toString()).toMatch(
      /authEnvelopedData/,
    );
    expect(decryptCmsEnvelope(gcm, seat.keyPem, seat.certPem).toString()).toBe('gcm-challenge');
    // A flipped ciphertext byte must fail the GCM tag check rather than return garbage.
    const der = Buffer.from(gcm, 'base64');
    der[der.length - 20] = der[der.length - 20]! ^ 0xff;
    expect(() => decryptCmsEnvelope(der.toString('base64'), seat.keyPem, seat.certPem)).toThrow(
      /Could not decrypt the seat challenge/,
    );
  });

  it("reads what forge itself produces (the simulator's way: AES-256-CBC, issuer+serial)", () => {
    const p7 = forge.pkcs7.createEnvelopedData();
    p7.addRecipient(forge.pki.certificateFromPem(seat.certPem));
    p7.content = forge.util.createBuffer('forge-made');
    p7.encrypt(undefined, forge.pki.oids['aes256-CBC']);
    const b64 = Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary').toString('base64');
    expect(decryptCmsEnvelope(b64, seat.keyPem, seat.certPem).toString()).toBe('forge-made');
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
    expect(() =>
      decryptCmsEnvelope(b64, pki.root.keyPem === seat.keyPem ? pki.primary.keyPem : pki.root.keyPem, seat.certPem),
    ).toThrow(/Could not decrypt the seat challenge/);
    expect(() => decryptCmsEnvelope('not base64 !!!', seat.keyPem, seat.certPem)).toThrow(/not base64/);
    expect(() => decryptCmsEnvelope(Buffer.from('hello').toString('base64'), seat.keyPem, seat.certPem)).toThrow(
      /not a readable CMS/,
    );
  });
});
