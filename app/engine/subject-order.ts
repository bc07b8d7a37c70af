/**
 * One subject format for everything the engine and CLI report: RFC 4514 order, most specific RDN first
 * ("emailAddress=…, CN=…, O=…, C=NL"), as describeCertificate (app/crypto/cert-info.ts) produces it for
 * `enroll` and the enrollment records. The stores report subjects in certificate (DER) order, joined with ", "
 * from Node's X509Certificate ("C=NL, O=…, CN=…"); this turns such a string into the RFC 4514 one.
 */
export function subjectInRfc4514Order(certificateOrder: string): string {
  // Node escapes commas inside values ("O=Key\, Talk"), so only an unescaped ", " separates RDNs; a
  // multi-valued RDN is written "CN=a + UID=b" by Node and "CN=a+UID=b" by RFC 4514.
  return certificateOrder
    .split(/(?<!\\), /)
    .reverse()
    .map((rdn) => rdn.split(/(?<!\\) \+ /).join('+'))
    .join(', ');
}
