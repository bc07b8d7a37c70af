import { promises as fs } from 'node:fs';
import { withText } from '../model/core-text';
import { homeLayout } from '../config/home';
import type { CertificateBundle, CertificateStore, StoredCertificate } from '../stores/store';
import { crashPoint } from '../system/crash-point';
import type { EngineDeps } from './enroll-deps';
import { FlowFailure } from './front-end';
import { enrollments, type EnrollmentRecord } from './state';

/**
 * The two ends of an enrollment that touch the disk, kept apart from the protocol:
 * - before the server is asked (`preflightStores`): the stores exist and can be written, and the agent home has
 *   room for the certificate and its record, so a local problem never consumes an issued certificate (issue 22);
 * - after it issued (`storeIssued`): the enrollment record first, then the stores. A kill between the two leaves
 *   a record whose certificate is in no store (ignored: nothing watches or shows it) instead of a certificate and
 *   key nothing renews; a store failure takes the record out again.
 */

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

/** Below this much free space on the home's disk an enrollment is refused before the server is asked. */
export const MIN_FREE_BYTES = 1024 * 1024;

export async function preflightStores(deps: EngineDeps, ids?: string[]): Promise<CertificateStore[]> {
  const stores = await selectStores(deps, ids);
  for (const s of stores) {
    const d = await s.describe();
    if (!d.available)
      throw withText(
        new FlowFailure(
          'store-failed',
          `store ${s.id} cannot take a certificate: ${d.unavailableReason ?? 'not available'}; nothing was requested from the server`,
        ),
        'store.cannot-take',
        { store: d.name || s.id, reason: d.unavailableText ?? d.unavailableReason ?? 'not available' },
      );
  }
  const state = homeLayout(deps.home).state;
  try {
    await fs.mkdir(state, { recursive: true, mode: 0o700 });
    await fs.access(state, fs.constants.W_OK);
  } catch (err) {
    throw withText(
      new FlowFailure(
        'store-failed',
        `cannot write the agent's state folder ${state} (${(err as Error).message}); check its permissions or choose another home with --home`,
      ),
      'home.not-writable',
      { dir: state },
    );
  }
  const fsStat = await fs.statfs(state).catch(() => undefined);
  if (fsStat && fsStat.bavail * fsStat.bsize < MIN_FREE_BYTES) {
    throw new FlowFailure(
      'store-failed',
      `the disk holding ${deps.home} is full (${Math.floor((fsStat.bavail * fsStat.bsize) / 1024)} KiB free); free some space and try again; nothing was requested from the server`,
    );
  }
  return stores;
}

/** Record, then stores (see above). Returns what the stores took. */
export async function storeIssued(
  home: string,
  record: EnrollmentRecord,
  stores: CertificateStore[],
  bundle: CertificateBundle,
): Promise<StoredCertificate[]> {
  await enrollments.put(home, record);
  crashPoint('enrollment-record');
  try {
    return await storeEverywhere(stores, bundle);
  } catch (err) {
    await enrollments.remove(home, record.sha256Fingerprint).catch(() => undefined);
    throw err;
  }
}
