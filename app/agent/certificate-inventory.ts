import type { CertificateSummary } from '../ipc/contract';
import type { EngineDeps } from '../engine/enroll';
import { replacedCertificates } from '../engine/replaced-certificates';
import { enrollments } from '../engine/state';
import { subjectInRfc4514Order } from '../engine/subject-order';
import type { Logger } from '../log/logger';
import { addKeyLocation, addPkcs11Token, keyLocationOf, type CertificateBundle } from '../stores/store';

/**
 * The user's certificates across every configured store, one entry per certificate (by SHA-256 fingerprint) with
 * the stores that hold it (end-entity certificates only: CA certificates a store keeps for the chain are left out), soonest expiry first. A store that cannot be listed is logged and skipped: one broken
 * NSS profile must not hide the certificates in the others. The provider and service come from the certificate's
 * own origin record, else from the enrollment that issued it.
 */
export async function listCertificates(deps: EngineDeps, log: Logger): Promise<CertificateSummary[]> {
  const byFp = new Map<string, CertificateSummary>();
  for (const store of await deps.stores()) {
    let items;
    try {
      items = await store.list();
    } catch (err) {
      log.warn('store list failed', { store: store.id, error: (err as Error).message });
      continue;
    }
    for (const c of items) {
      // A store that holds the chain (NSS imports the issuing CAs beside the leaf) lists those too; they are
      // nobody's certificate to renew, export or recognise (issue 19), so only end-entity certificates are cards.
      if (c.ca) continue;
      const fp = c.sha256Fingerprint.toUpperCase();
      const seen = byFp.get(fp);
      if (seen) {
        if (!seen.stores.includes(c.storeId)) seen.stores.push(c.storeId);
        const keys = addKeyLocation(seen.keyLocations, c);
        if (keys) seen.keyLocations = keys;
        const tokens = addPkcs11Token(seen.pkcs11Tokens, c);
        if (tokens) seen.pkcs11Tokens = tokens;
        // Only the file store knows a certificate is historical; whichever store listed it first.
        if (c.historical) seen.historical = true;
        continue;
      }
      byFp.set(fp, {
        sha256Fingerprint: fp,
        serialNumber: c.serialNumber,
        // Stores report certificate (DER) order; the UI shows RFC 4514 order like the CLI and the flow outcome.
        subject: subjectInRfc4514Order(c.subject),
        issuer: subjectInRfc4514Order(c.issuer),
        notBefore: c.notBefore,
        notAfter: c.notAfter,
        ...(c.origin ? { provider: c.origin.provider, service: c.origin.service } : {}),
        stores: [c.storeId],
        ...(keyLocationOf(c) ? { keyLocations: [keyLocationOf(c)!] } : {}),
        ...(c.pkcs11Token ? { pkcs11Tokens: [c.pkcs11Token] } : {}),
        ...(c.uses ? { uses: c.uses } : {}),
        ...(c.origin?.sharedMailbox ? { sharedMailbox: c.origin.sharedMailbox } : {}),
        ...(c.historical ? { historical: true } : {}),
      });
    }
  }
  for (const rec of await enrollments.list(deps.home)) {
    const s = byFp.get(rec.sha256Fingerprint.toUpperCase());
    if (s && !s.provider) Object.assign(s, { provider: rec.provider, service: rec.service });
    if (s && rec.tpmAttested !== undefined) s.tpmAttested = rec.tpmAttested;
  }
  const current = [...byFp.values()].sort((a, b) => a.notAfter.localeCompare(b.notAfter));
  return [...current, ...(await previousCertificates(deps.home, byFp))];
}

/**
 * The certificates a newer one replaced (renewal or new enrollment), newest replacement first, from the history
 * (engine/replaced-certificates.ts): they are in no store (`stores: []`) and carry `replacedBy`. One still in a
 * store (its removal failed) is shown as the store has it, not twice.
 */
async function previousCertificates(home: string, shown: Map<string, CertificateSummary>): Promise<CertificateSummary[]> {
  const history = await replacedCertificates.list(home).catch(() => []);
  // One still in a store as a historical S/MIME certificate (kept with its key) says what replaced it, too.
  for (const h of history) {
    const kept = shown.get(h.sha256Fingerprint.toUpperCase());
    if (kept?.historical) Object.assign(kept, { replacedBy: h.replacedBy, replacedAt: h.replacedAt });
  }
  return history
    .filter((h) => !shown.has(h.sha256Fingerprint.toUpperCase()))
    .sort((a, b) => b.replacedAt.localeCompare(a.replacedAt))
    .map((h) => ({
      sha256Fingerprint: h.sha256Fingerprint.toUpperCase(),
      serialNumber: h.serialNumber,
      subject: h.subject,
      issuer: h.issuer,
      notBefore: h.notBefore,
      notAfter: h.notAfter,
      provider: h.provider,
      service: h.service,
      stores: [],
      ...(h.uses ? { uses: h.uses } : {}),
      replacedBy: h.replacedBy,
      replacedAt: h.replacedAt,
    }));
}

/**
 * A certificate with its key and chain, from a store that can hand it back (only the file store can; the
 * others keep the key where the OS or browser wants it).
 */
export async function readBundle(deps: EngineDeps, fp: string): Promise<CertificateBundle | undefined> {
  for (const s of await deps.stores()) {
    const read = (s as { read?: (fp: string) => Promise<CertificateBundle> }).read;
    if (typeof read !== 'function') continue;
    try {
      return await read.call(s, fp);
    } catch {
      // not in this store
    }
  }
  return undefined;
}
