import type { CertificateStore } from '../stores/store';

/**
 * Retire a renewed certificate from its stores only after the new one is confirmed in every one of them.
 * Two passes on purpose: first verify everywhere (nothing removed if any store lacks the new certificate),
 * then remove. A store that fails during removal leaves the old certificate there too (harmless: the new one
 * is present and newer); the error names it so the next run or the user can finish.
 *
 * The stores work may provide its own replace operation; the agent then passes that instead of this one.
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
