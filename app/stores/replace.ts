/**
 * The renewal safety rule as one store operation: a renewed certificate goes into every store holding the old
 * one, is found there again by fingerprint, and only when that holds for EVERY store is the old one removed.
 * If anything fails before that point the old certificate is untouched everywhere (the user keeps a working
 * certificate), new copies added during the attempt are taken out again, and the error names the store.
 */
import { certFactsFromPem, normalizeFingerprint } from './cert-summary';
import { StoreError, type AddOptions, type CertificateBundle, type CertificateStore } from './store';

export class ReplaceError extends StoreError {
  constructor(
    storeId: string,
    readonly phase: 'find-old' | 'add-new' | 'verify-new',
    message: string,
    hint?: string,
  ) {
    super(storeId, message, hint);
    this.name = 'ReplaceError';
  }
}

export interface ReplaceResult {
  newFingerprint: string;
  /** Stores that held the old certificate and now hold the new one. */
  stores: string[];
  /** Stores from which the old certificate was removed. */
  removedOld: string[];
  /**
   * Stores where removing the old certificate failed after the new one was in place everywhere. The renewal
   * itself succeeded; the old certificate lingers there until it expires or is removed by hand.
   */
  removeFailures: { storeId: string; message: string }[];
}

export async function replaceCertificate(
  stores: CertificateStore[],
  oldFingerprint: string,
  newBundle: CertificateBundle,
  options: AddOptions = {},
): Promise<ReplaceResult> {
  const oldFp = normalizeFingerprint(oldFingerprint);
  const newFp = certFactsFromPem(newBundle.certPem).sha256Fingerprint;
  const result: ReplaceResult = { newFingerprint: newFp, stores: [], removedOld: [], removeFailures: [] };

  // 1. Where is the old one? A store we cannot ask stops everything: we could not keep the rule there.
  const holders: CertificateStore[] = [];
  for (const store of stores) {
    let found;
    try {
      found = await store.find({ sha256Fingerprint: oldFp });
    } catch (err) {
      throw new ReplaceError(
        store.id,
        'find-old',
        `cannot check store "${store.id}" for the old certificate: ${(err as Error).message}; nothing was changed`,
      );
    }
    if (found.length) holders.push(store);
  }
  if (!holders.length) {
    throw new ReplaceError(
      '',
      'find-old',
      `the certificate to replace (${oldFp}) is in none of the stores ${stores.map((s) => s.id).join(', ')}; nothing was changed`,
      'enroll into the configured stores instead of renewing',
    );
  }
  result.stores = holders.map((s) => s.id);
  if (newFp === oldFp) return result; // the server handed back the same certificate: nothing to do

  // 2. Add the new one everywhere the old one is, and find it again by fingerprint.
  const addedHere: CertificateStore[] = [];
  for (const store of holders) {
    let phase: 'add-new' | 'verify-new' = 'add-new';
    try {
      const alreadyThere = (await store.find({ sha256Fingerprint: newFp })).length > 0;
      await store.add(newBundle, options);
      if (!alreadyThere) addedHere.push(store);
      phase = 'verify-new';
      const back = await store.find({ sha256Fingerprint: newFp });
      if (!back.length) throw new Error('the new certificate is not found there after adding it');
      if (newBundle.keyPem && !back.some((c) => c.hasPrivateKey))
        throw new Error('the new certificate is there without its private key');
    } catch (err) {
      // 3a. Undo: take the new copies out again (best effort); the old one was never touched.
      for (const s of addedHere) await s.remove(newFp).catch(() => undefined);
      throw new ReplaceError(
        store.id,
        phase,
        `renewal stopped at store "${store.id}" (${phase === 'add-new' ? 'adding' : 'verifying'} the new certificate): ${(err as Error).message}; the old certificate was kept in every store`,
      );
    }
  }

  // 3b. Only now: remove the old one.
  for (const store of holders) {
    try {
      await store.remove(oldFp);
      result.removedOld.push(store.id);
    } catch (err) {
      result.removeFailures.push({ storeId: store.id, message: (err as Error).message });
    }
  }
  return result;
}
