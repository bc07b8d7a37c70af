import type { CertificateBundle, CertificateStore, StoredCertificate } from '../stores/store';
import { FlowFailure } from './front-end';

/** The stores a request names (ids from the configured stores), or all configured stores. */
export async function selectStores(
  deps: { stores(): Promise<CertificateStore[]> | CertificateStore[] },
  ids?: string[],
): Promise<CertificateStore[]> {
  const all = await deps.stores();
  if (!all.length) throw new FlowFailure('bad-input', 'no certificate store is configured');
  if (!ids?.length) return all;
  return ids.map((id) => {
    const s = all.find((x) => x.id === id);
    if (!s)
      throw new FlowFailure(
        'bad-input',
        `unknown store ${JSON.stringify(id)}; configured stores: ${all.map((x) => x.id).join(', ')}`,
      );
    return s;
  });
}

/** Add to every store, or to none: a failure removes what the earlier stores already took. */
export async function storeEverywhere(stores: CertificateStore[], bundle: CertificateBundle): Promise<StoredCertificate[]> {
  const done: StoredCertificate[] = [];
  for (const store of stores) {
    try {
      done.push(await store.add(bundle, { replace: true }));
    } catch (err) {
      for (const d of done) {
        const s = stores.find((x) => x.id === d.storeId);
        await s?.remove(d.sha256Fingerprint).catch(() => undefined);
      }
      throw new FlowFailure('store-failed', `storing the certificate in ${store.id} failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  return done;
}
