import { promises as fs } from 'node:fs';
import type { CertificateBundle } from './store';

/**
 * A TPM-bound certificate's key in the file store: `tpm-key.json` holds the persistent handle (app/tpm) instead of
 * key.pem. When such a certificate leaves the store (renewal switch-over, removal) its handle is evicted: a TPM has
 * only a few persistent slots, and keys of retired certificates left behind would fill them after a few renewals.
 */
export interface TpmKeyEviction {
  /** Evicts a persistent handle (app/tpm TpmKeys.remove: `tpm2_evictcontrol -C o -c <handle>`). */
  tpmKeys?: { remove(key: { handle: string }): Promise<void> };
  /** Told when the eviction fails; the removal itself still succeeds (the certificate is gone either way). */
  onTpmEvictFailed?: (handle: string, message: string) => void;
}

type TpmKeyRef = NonNullable<CertificateBundle['tpmKey']>;

/**
 * The `tpm-key.json` reference of a TPM-bound certificate, or undefined (none, or unreadable): the handle, and the
 * key's TPM-wrapped blobs when it was made by an agent that keeps them (for the PKCS#11 token).
 */
export async function readTpmKey(file: string): Promise<TpmKeyRef | undefined> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as { handle?: unknown; wrapped?: Record<string, unknown> };
    if (typeof parsed.handle !== 'string') return undefined;
    const w = parsed.wrapped;
    const wrapped =
      typeof w?.public === 'string' && typeof w.private === 'string' ? { public: w.public, private: w.private } : undefined;
    return { handle: parsed.handle, ...(wrapped ? { wrapped } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * Frees a removed certificate's handle unless a remaining certificate (its `tpm-key.json` among `remaining`) still
 * uses it, as after a renewal that kept the key. Failures are reported, never thrown: a renewal must not fail on it.
 */
export async function evictRetiredTpmKey(
  key: { handle: string },
  remaining: () => Promise<string[]>,
  o: TpmKeyEviction,
): Promise<void> {
  if (!o.tpmKeys) return;
  try {
    for (const file of await remaining()) if ((await readTpmKey(file))?.handle === key.handle) return;
    await o.tpmKeys.remove(key);
  } catch (err) {
    o.onTpmEvictFailed?.(key.handle, (err as Error).message);
  }
}
