import type { CertificateOrigin, StoredCertificate } from './store';

/**
 * The file store's layout on disk: one folder per certificate, named by its SHA-256 fingerprint (upper-case hex),
 * with its files and meta.json, and the store's index.json cache. The shapes of those files, named here so
 * file-store.ts holds the behaviour only.
 */

/** Paths of one certificate's files, for the UI ("where did it go") and for callers that hand files on. */
export interface FileStorePaths {
  dir: string;
  cert: string;
  chain: string;
  key: string;
  p12: string;
  meta: string;
  /** A TPM-bound certificate's key reference ({"handle": "0x81…"}) instead of key.pem. */
  tpmKey: string;
}

export interface Meta {
  label: string;
  origin?: CertificateOrigin;
  historical?: boolean;
  addedAt: string;
  p12Format?: 'modern' | 'legacy';
}

export type IndexEntry = Omit<StoredCertificate, 'storeId' | 'ref'> & { historical?: boolean };
export interface IndexFile {
  version: 1;
  entries: Record<string, IndexEntry>;
}

/** A certificate folder's name. */
export const FOLDER = /^[0-9A-F]{64}$/;
