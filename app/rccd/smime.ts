import { createHash, createPublicKey, verify as verifySignature, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;

/**
 * S/MIME (multipart/signed, RFC 5751) reading and verification for the RCCD v1 manifest. forge cannot verify
 * PKCS#7 signatures, so the SignedData is walked with forge's ASN.1 reader and the signature checked by Node.
 */

export interface SignedMime {
  /** The signed first part exactly as signed (headers + body, CRLF line ends). */
  signedPart: Buffer;
  /** Body of the first part without its MIME headers. */
  content: string;
  /** DER of the detached PKCS#7 signature. */
  signatureDer: Buffer;
}

function headerValue(headers: string, name: string): string | undefined {
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded);
  return m?.[1]?.trim();
}

function splitHeaders(part: string): { headers: string; body: string } {
  const m = /\r?\n\r?\n/.exec(part);
  const firstLine = part.split(/\r?\n/, 1)[0] ?? '';
  if (!m || !/^[A-Za-z-]+:/.test(firstLine)) return { headers: '', body: part };
  return { headers: part.slice(0, m.index), body: part.slice(m.index + m[0].length) };
}

export function parseSignedMime(text: string): SignedMime {
  const { headers, body } = splitHeaders(text);
  const ctype = headerValue(headers, 'Content-Type') ?? '';
  if (!/multipart\/signed/i.test(ctype)) throw new Error('The RCCD v1 manifest is not an S/MIME multipart/signed message');
  const boundary = /boundary="?([^";]+)"?/i.exec(ctype)?.[1];
  if (!boundary) throw new Error('The RCCD v1 manifest has no MIME boundary');
  const delimiter = `--${boundary}`;
  const pieces = body.split(new RegExp(`\\r?\\n?${delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
  // pieces[0] is the preamble, then the signed part, then the signature part, then the epilogue.
  const signed = pieces[1];
  const sig = pieces[2];
  if (signed === undefined || sig === undefined)
    throw new Error('The RCCD v1 manifest lacks the signed part or the signature part');
  const sigPart = splitHeaders(sig);
  const signatureDer = Buffer.from(sigPart.body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  // RFC 5751 3.1.1: the signature covers the part in canonical form (CRLF line ends).
  const canonical = signed.replace(/\r?\n/g, '\r\n');
  return { signedPart: Buffer.from(canonical, 'utf8'), content: splitHeaders(signed).body, signatureDer };
}

const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

function children(n: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] {
  return Array.isArray(n?.value) ? (n!.value as forge.asn1.Asn1[]) : [];
}

/**
 * Verify a detached PKCS#7 SignedData over `content`. Returns the signer certificate (PEM) when the signature
 * is valid and the signer chains (through certificates in the message) to one of `trusted`; throws otherwise.
 */
export function verifyDetachedSignature(content: Buffer, signatureDer: Buffer, trusted: string[]): string {
  let signedData: forge.asn1.Asn1[];
  try {
    const ci = asn1.fromDer(forge.util.createBuffer(signatureDer.toString('binary')));
    if (asn1.derToOid(children(ci)[0]!.value as string) !== '1.2.840.113549.1.7.2') throw new Error('not SignedData');
    signedData = children(children(children(ci)[1])[0]);
  } catch (err) {
    throw new Error(`The RCCD v1 signature is not a readable PKCS#7 SignedData (${(err as Error).message})`);
  }
  const certsNode = signedData.find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 0);
  const certs = children(certsNode).map((c) => new X509Certificate(Buffer.from(asn1.toDer(c).getBytes(), 'binary')));
  const signerInfos = children(signedData[signedData.length - 1]);
  if (signerInfos.length === 0) throw new Error('The RCCD v1 signature has no signer');
  const si = children(signerInfos[0]);
  const digestName = DIGESTS[asn1.derToOid(children(si[2])[0]!.value as string)];
  if (!digestName) throw new Error('The RCCD v1 signature uses an unsupported digest');
  const signedAttrs = si.find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 0);
  const signature = Buffer.from(si[si.length - 1]!.value as string, 'binary');
  // Without signed attributes the signature covers the content; with them, it covers the attributes re-tagged as SET.
  let signedBytes: Buffer = content;
  if (signedAttrs) {
    const md = children(signedAttrs).find((a) => asn1.derToOid(children(a)[0]!.value as string) === '1.2.840.113549.1.9.4');
    const expected = md ? Buffer.from(children(children(md)[1])[0]!.value as string, 'binary') : undefined;
    const actual = createHash(digestName).update(content).digest();
    if (!expected || !expected.equals(actual))
      throw new Error('The RCCD v1 manifest was changed after it was signed (digest mismatch)');
    const der = Buffer.from(asn1.toDer(signedAttrs).getBytes(), 'binary');
    der[0] = 0x31;
    signedBytes = der;
  }
  const signer = certs.find((c) => {
    try {
      return verifySignature(
        digestName,
        signedBytes,
        createPublicKey(c.publicKey.export({ type: 'spki', format: 'pem' })),
        signature,
      );
    } catch {
      return false;
    }
  });
  if (!signer) throw new Error('The RCCD v1 signature does not verify with any certificate it carries');
  const anchors = trusted.map((p) => new X509Certificate(p));
  let current = signer;
  for (let depth = 0; depth < 8; depth++) {
    if (anchors.some((a) => a.raw.equals(current.raw) || (current.checkIssued(a) && current.verify(a.publicKey))))
      return current.toString();
    const parent = certs.find((c) => c !== current && current.checkIssued(c) && current.verify(c.publicKey));
    if (!parent) break;
    current = parent;
  }
  throw new Error('The RCCD v1 signer is not issued by the CAs in the RCCD');
}
