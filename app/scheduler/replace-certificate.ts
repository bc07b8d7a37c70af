import { enrollments } from '../engine/state';
import type { Logger } from '../log/logger';
import type { CertificateBundle, CertificateStore, StoredCertificate } from '../stores/store';
import type { IssuedOutcome } from './renewer';

/**
 * The renewal switch-over through the stores' replace operation (app/stores/replace.ts: new one added and found
 * again in every store holding the old one, only then the old one removed). The engine already stored the new
 * certificate; its bundle (with key) is read back from a store that can export it. Without such a store the
 * verify-then-remove fallback below (`replaceInStores`) keeps the same rule. The stores' replace code loads on
 * the first renewal, not with the idle daemon.
 */
export async function switchOver(
  stores: CertificateStore[],
  old: { sha256Fingerprint: string; stores: string[] },
  newFp: string,
  log: Logger,
): Promise<void> {
  // A store that now keeps the old certificate as historical (the new enrollment's reply listed it among the
  // seat's historical S/MIME certificates) keeps it with its key: mail encrypted to it must stay readable.
  const keeping = await storesKeepingHistorical(stores, old.sha256Fingerprint);
  const relevant = stores.filter((st) => old.stores.includes(st.id) && !keeping.includes(st.id));
  if (!relevant.length) return;
  for (const st of stores) {
    const reader = (st as { read?: (fp: string) => Promise<CertificateBundle> }).read;
    if (!reader) continue;
    let bundle: CertificateBundle;
    try {
      bundle = await reader.call(st, newFp);
    } catch {
      continue;
    }
    const { replaceCertificate } = await import('../stores/replace');
    const result = await replaceCertificate(relevant, old.sha256Fingerprint, bundle, { replace: true });
    for (const f of result.removeFailures) {
      log.warn('old certificate not removed', { store: f.storeId, error: f.message, old: old.sha256Fingerprint });
    }
    return;
  }
  await replaceInStores(stores, old, newFp);
}

/** The stores (only the file store can say) holding this certificate as a historical S/MIME certificate. */
export async function storesKeepingHistorical(stores: CertificateStore[], sha256Fingerprint: string): Promise<string[]> {
  const out: string[] = [];
  for (const st of stores) {
    const reader = (st as { read?: (fp: string) => Promise<CertificateBundle> }).read;
    if (reader && (await reader.call(st, sha256Fingerprint).catch(() => undefined))?.historical) out.push(st.id);
  }
  return out;
}

/**
 * Retire a renewed certificate from its stores only after the new one is confirmed in every one of them.
 * Two passes on purpose: first verify everywhere (nothing removed if any store lacks the new certificate),
 * then remove. A store that fails during removal leaves the old certificate there too (harmless: the new one
 * is present and newer); the error names it so the next run or the user can finish.
 *
 * The fallback of `switchOver` when no store can export the new bundle.
 */
export async function replaceInStores(
  stores: CertificateStore[],
  old: { sha256Fingerprint: string; stores: string[] },
  newSha256Fingerprint: string,
): Promise<void> {
  const byId = new Map(stores.map((s) => [s.id, s]));
  const oldFp = old.sha256Fingerprint.toUpperCase();
  const newFp = newSha256Fingerprint.toUpperCase();
  if (oldFp === newFp) return;
  const missing: string[] = [];
  for (const id of old.stores) {
    const store = byId.get(id);
    if (!store) {
      missing.push(`${id} (store not configured any more)`);
      continue;
    }
    const found = await store.find({ sha256Fingerprint: newFp });
    if (found.length === 0) missing.push(id);
  }
  if (missing.length) {
    throw new Error(`the renewed certificate is not in ${missing.join(', ')}; the old certificate is kept there until it is`);
  }
  const failed: string[] = [];
  for (const id of old.stores) {
    try {
      await byId.get(id)!.remove(oldFp);
    } catch (err) {
      failed.push(`${id}: ${(err as Error).message}`);
    }
  }
  if (failed.length) throw new Error(`removing the replaced certificate failed in ${failed.join('; ')}`);
}

/**
 * The persisted switch-over: a renewal's enrollment record names the certificate it replaces (written before the
 * stores, engine/store-issued.ts). If that new certificate is in a store, the renewal was issued and stored and
 * only the switch-over is left (the process died in between): the outcome to finish it with, else undefined.
 */
export async function interruptedSwitchOver(
  home: string,
  stores: CertificateStore[],
  oldSha256Fingerprint: string,
): Promise<IssuedOutcome | undefined> {
  const oldFp = oldSha256Fingerprint.toUpperCase();
  const candidates = (await enrollments.list(home))
    .filter((r) => r.replaces?.toUpperCase() === oldFp && r.sha256Fingerprint.toUpperCase() !== oldFp)
    .sort((a, b) => b.issuedAt.localeCompare(a.issuedAt));
  for (const r of candidates) {
    const held: { id: string; serialNumber: string }[] = [];
    for (const st of stores) {
      const found = await st.find({ sha256Fingerprint: r.sha256Fingerprint });
      if (found[0]) held.push({ id: st.id, serialNumber: found[0].serialNumber });
    }
    if (!held.length) continue;
    return {
      status: 'issued',
      provider: r.provider,
      service: r.service,
      subject: r.subject,
      serialNumber: held[0]!.serialNumber,
      notBefore: r.notBefore,
      notAfter: r.notAfter,
      sha256Fingerprint: r.sha256Fingerprint.toUpperCase(),
      stores: held.map((h) => h.id),
    };
  }
  return undefined;
}

/** One store's facts about a certificate (serial, issuer, uses), for the history it leaves when it is replaced. */
export async function findStored(stores: CertificateStore[], sha256Fingerprint: string): Promise<StoredCertificate | undefined> {
  for (const st of stores) {
    const found = await st.find({ sha256Fingerprint }).catch(() => []);
    if (found[0]) return found[0];
  }
  return undefined;
}
