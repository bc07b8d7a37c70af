/** keyUsage bits as in RFC 5280 4.2.1.3 (first byte of the BIT STRING; decipherOnly in the second is never needed). */
export const KU = {
  digitalSignature: 0x80,
  nonRepudiation: 0x40,
  keyEncipherment: 0x20,
  dataEncipherment: 0x10,
  keyAgreement: 0x08,
} as const;

// DER of OBJECT IDENTIFIER 2.5.29.15 (keyUsage).
const KU_OID = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0f]);

/**
 * The keyUsage bits of a certificate, or undefined when it has no keyUsage extension. Node does not expose
 * keyUsage, and a full ASN.1 parse (forge) costs as much as the X509Certificate itself, so the extension is
 * found by its OID and its value checked structurally: OID, optional critical BOOLEAN, OCTET STRING { BIT STRING }.
 */
export function keyUsageBits(der: Buffer): number | undefined {
  let at = der.indexOf(KU_OID);
  while (at >= 0) {
    let i = at + KU_OID.length;
    if (der[i] === 0x01 && der[i + 1] === 0x01) i += 3; // critical flag
    // OCTET STRING (short length) wrapping BIT STRING (short length): 04 L 03 L' unused bits...
    if (der[i] === 0x04 && der[i + 2] === 0x03) {
      const bitLen = der[i + 3] ?? 0;
      if (bitLen >= 1 && bitLen <= 3) return bitLen >= 2 ? (der[i + 5] ?? 0) : 0;
    }
    at = der.indexOf(KU_OID, at + 1);
  }
  return undefined;
}
