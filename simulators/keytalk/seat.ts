import { randomBytes } from 'node:crypto';
import forge from 'node-forge';

/**
 * Seat challenge: a random string as CMS EnvelopedData (DER, base64) to the seat certificate, which the caller
 * decrypts with the seat key (`openssl cms -decrypt -inform DER`) and returns as RESPONSE "size#challenge".
 */
export function makeSeatChallenge(certPem: string): { challenge: string; encrypted: string } {
  const challenge = randomBytes(16).toString('hex');
  const p7 = forge.pkcs7.createEnvelopedData();
  p7.addRecipient(forge.pki.certificateFromPem(certPem));
  p7.content = forge.util.createBuffer(challenge);
  p7.encrypt(undefined, forge.pki.oids['aes256-CBC']);
  const der = forge.asn1.toDer(p7.toAsn1()).getBytes();
  return { challenge, encrypted: Buffer.from(der, 'binary').toString('base64') };
}

/** Accept "size#challenge" (the spec's encoding) or the bare challenge. */
export function seatResponseMatches(response: string, challenge: string): boolean {
  const r = response.trim();
  if (r === challenge) return true;
  const i = r.indexOf('#');
  return i > 0 && r.slice(i + 1) === challenge && Number(r.slice(0, i)) === challenge.length;
}
