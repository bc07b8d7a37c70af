import forge from 'node-forge';
import { pemToDer } from '../crypto/cert-info';

/**
 * Thunderbird (68+) finds the S/MIME certificate of an identity by its NSS "dbKey" (signing_cert_dbkey),
 * falling back to the nickname: base64 of module id and slot id (both 0, meaning "any"), the lengths of the
 * serial number and the issuer DN (big-endian 32-bit), then the serial's DER content bytes and the issuer DER.
 */
export function nssDbKey(certPem: string): string {
  const der = pemToDer(certPem);
  const cert = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary')));
  const tbs = (cert.value as forge.asn1.Asn1[])[0]!;
  const fields = tbs.value as forge.asn1.Asn1[];
  // [0] EXPLICIT version is optional (v1 certificates have none).
  const offset = fields[0]!.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const serial = Buffer.from(fields[offset]!.value as string, 'binary');
  const issuer = Buffer.from(forge.asn1.toDer(fields[offset + 2]!).getBytes(), 'binary');
  const head = Buffer.alloc(16);
  head.writeUInt32BE(serial.length, 8);
  head.writeUInt32BE(issuer.length, 12);
  return Buffer.concat([head, serial, issuer]).toString('base64');
}
