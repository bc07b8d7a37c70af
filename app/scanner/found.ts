/**
 * What every scanner source hands back: raw certificates (DER) with where they were found, and the items it
 * could not read with the reason — a broken file or an unreachable store never stops the scan.
 */

/** cert-scraping-settings "cert-store-types": the user's own stores, or the machine's. */
export type StoreType = 'personal' | 'system';
export const STORE_TYPES: readonly StoreType[] = ['personal', 'system'];

export interface FoundCert {
  der: Buffer;
  /** PKCS#8 (or PKCS#1/SEC1) PEM of the matching private key, only when the source could read one unencrypted. */
  keyPem?: string;
  /** The source's id, e.g. "folder", "nss:/home/u/.pki/nssdb", "linux-system-ca". */
  sourceId: string;
  storeType: StoreType;
  /** A file path, NSS nickname, store path — for "what was scanned". */
  location: string;
}

export interface SkippedItem {
  sourceId: string;
  location: string;
  reason: string;
}

export interface SourceResult {
  certs: FoundCert[];
  skipped: SkippedItem[];
}

/**
 * What a source is, for the UI to name in the user's language ("NSS-Datenbank /home/u/.pki/nssdb"); `where` is
 * data (a path, store location or folder list), the kind's words are the UI's. The CLI prints `description`.
 */
export type SourceKind = 'file-store' | 'nss' | 'system-ca' | 'windows-store' | 'macos-keychain' | 'folders';
export interface SourcePlace {
  kind: SourceKind;
  where: string;
}

/** One place certificates are read from. Sources never throw for a bad item; a source that cannot run at all throws. */
export interface ScanSource {
  readonly id: string;
  readonly storeType: StoreType;
  /** Human description for the UI/CLI ("NSS database /home/u/.pki/nssdb"). */
  readonly description: string;
  readonly place: SourcePlace;
  /** wantKeys: read private keys too (only when they will be sent); otherwise never touch key material. */
  scan(opts: { wantKeys: boolean }): Promise<SourceResult>;
}

/** The base64 bodies of every CERTIFICATE block in PEM text, decoded; faster than a normalising PEM splitter. */
export function pemCertificatesToDer(text: string): Buffer[] {
  const out: Buffer[] = [];
  const re = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(Buffer.from(m[1]!, 'base64'));
  return out;
}

/** Unencrypted private key blocks (encrypted ones cannot be sent and are left alone). */
export function pemPrivateKeys(text: string): string[] {
  return [...text.matchAll(/-----BEGIN (RSA |EC )?PRIVATE KEY-----[\s\S]*?-----END \1?PRIVATE KEY-----/g)].map(
    (m) => `${m[0]}\n`,
  );
}
