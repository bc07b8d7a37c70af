import { X509Certificate } from 'node:crypto';

/**
 * Path building for the Online CA's certificates against its trust root folder: used for the TLS chain on first
 * contact (when OpenSSL cannot verify it yet because the roots are only now arriving) and for every issued
 * certificate. Checks signatures, issuer names, CA flags and validity dates — not names-only matching, so a
 * look-alike CA with the right subject name but another key is refused.
 */

export class ChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChainError';
  }
}

const MAX_DEPTH = 8;

function describe(x: X509Certificate): string {
  return x.subject.split('\n').join(', ');
}

function checkDates(x: X509Certificate, now: number, role: string): void {
  if (Date.parse(x.validFrom) > now)
    throw new ChainError(`${role} "${describe(x)}" is not valid before ${new Date(x.validFrom).toISOString()}`);
  if (Date.parse(x.validTo) < now) throw new ChainError(`${role} "${describe(x)}" expired ${new Date(x.validTo).toISOString()}`);
}

/**
 * Verify `leafPem` up to a certificate in `anchorsPem`, using `intermediatesPem` (untrusted, e.g. sent by the
 * server) to fill gaps. Returns the path leaf first, ending at the anchor that terminates it.
 */
export function verifyChain(
  leafPem: string,
  anchorsPem: string[],
  intermediatesPem: string[] = [],
  now = Date.now(),
): X509Certificate[] {
  const leaf = new X509Certificate(leafPem);
  const anchors = anchorsPem.map((p) => new X509Certificate(p));
  const untrusted = intermediatesPem.map((p) => new X509Certificate(p));
  checkDates(leaf, now, 'certificate');
  const path = [leaf];
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const issuedBy = (c: X509Certificate): boolean => current.checkIssued(c) && current.verify(c.publicKey);
    const issuer = anchors.find(issuedBy) ?? untrusted.find(issuedBy);
    if (anchors.some((a) => a.raw.equals(current.raw))) {
      // Reached a trusted certificate; keep going up while its own issuer is at hand, so the path (and any pin
      // check on it) includes the root even when the trust roots also list the intermediate.
      if (!issuer || issuer.raw.equals(current.raw) || !issuer.ca) return path;
      path.push(issuer);
      current = issuer;
      continue;
    }
    if (!issuer) {
      const byName = [...anchors, ...untrusted].some((c) => c.subject === current.issuer);
      throw new ChainError(
        byName
          ? `"${describe(current)}" names a trusted issuer, but that issuer's key did not sign it (a look-alike CA)`
          : `"${describe(current)}" was issued by "${current.issuer.split('\n').join(', ')}", which is not among the trust roots`,
      );
    }
    if (!issuer.ca) throw new ChainError(`"${describe(issuer)}" signed "${describe(current)}" but is not a CA certificate`);
    checkDates(issuer, now, 'CA certificate');
    if (issuer.raw.equals(current.raw)) break;
    path.push(issuer);
    current = issuer;
  }
  if (anchors.some((a) => a.raw.equals(current.raw))) return path;
  throw new ChainError(`"${describe(leaf)}" does not chain to the trust roots`);
}
