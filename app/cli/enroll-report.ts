import { existsSync } from 'node:fs';
import type { CertificateStore, StoredCertificate } from '../stores/store';

/** The files of one certificate in the file store, those that exist (a TPM key has no key.pem, P12 may be absent). */
export interface CertificateFiles {
  cert?: string;
  key?: string;
  chain?: string;
  p12?: string;
}

/** Where one store put the certificate: a location in words and, for the file store, the files themselves. */
export interface WrittenTo {
  store: string;
  location: string;
  files?: CertificateFiles;
}

/** The certificate's files in a store that keeps files (the file store); undefined for databases and OS stores. */
export function certificateFiles(store: CertificateStore, sha256: string): CertificateFiles | undefined {
  const paths = (store as { paths?: (fp: string) => Record<string, string> }).paths?.(sha256);
  if (!paths) return undefined;
  const files: CertificateFiles = {};
  for (const k of ['cert', 'key', 'chain', 'p12'] as const) if (paths[k] && existsSync(paths[k])) files[k] = paths[k];
  return files;
}

/**
 * Where `enroll` wrote the certificate, per store, so the user does not have to look for it: the file store's
 * files, the NSS database's folder, the OS store's name (describe()'s location — the same words as `stores`).
 */
export async function whereWritten(stores: CertificateStore[], ids: string[], sha256: string): Promise<WrittenTo[]> {
  const out: WrittenTo[] = [];
  for (const id of ids) {
    const store = stores.find((s) => s.id === id);
    if (!store) continue;
    const location = await store.describe().then(
      (d) => d.location,
      () => id,
    );
    const files = certificateFiles(store, sha256);
    out.push({ store: id, location, ...(files ? { files } : {}) });
  }
  return out;
}

export function describeWritten(w: WrittenTo): string {
  const f = w.files;
  if (!f) return `${w.store.padEnd(12)}${w.location}`;
  const parts = [
    f.cert && `certificate ${f.cert}`,
    f.key ? `key ${f.key}` : 'key not in a file (TPM or none)',
    f.chain && `chain ${f.chain}`,
    f.p12 && `PKCS#12 ${f.p12}`,
  ].filter(Boolean);
  return `${w.store.padEnd(12)}${parts.join('\n            ')}`;
}

/** A certificate that came with the enrollment: a shared mailbox's, or a historical one (older, for old mail). */
export interface ExtraCertificate {
  sha256Fingerprint: string;
  subject: string;
  notAfter: string;
  kind: 'shared-mailbox' | 'historical' | 'other';
  sharedMailbox?: string;
}

export async function fingerprints(store: CertificateStore | undefined): Promise<Set<string>> {
  return new Set(((await store?.list().catch(() => [])) ?? []).map((c) => c.sha256Fingerprint.toUpperCase()));
}

/** What the enrollment added to the store beside its own certificate (those stores hold the extras: see after-issued). */
export async function extrasReceived(
  store: CertificateStore | undefined,
  before: Set<string>,
  own: string,
): Promise<ExtraCertificate[]> {
  const now: StoredCertificate[] = (await store?.list().catch(() => [])) ?? [];
  return (
    now
      // With a key: a user's certificate, not one of the chain's CA certificates that NSS keeps beside it.
      .filter((c) => c.hasPrivateKey && !before.has(c.sha256Fingerprint.toUpperCase()))
      .filter((c) => c.sha256Fingerprint.toUpperCase() !== own.toUpperCase())
      .map((c) => ({
        sha256Fingerprint: c.sha256Fingerprint.toUpperCase(),
        subject: c.subject,
        notAfter: c.notAfter,
        kind: c.origin?.sharedMailbox ? 'shared-mailbox' : /historical/i.test(c.label) ? 'historical' : 'other',
        ...(c.origin?.sharedMailbox ? { sharedMailbox: c.origin.sharedMailbox } : {}),
      }))
  );
}
