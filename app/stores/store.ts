import type { CertUse } from '../model/cert-use';
import type { CoreText } from '../model/core-text';

/**
 * The one interface every certificate store implements (file store, NSS, system CAs, Windows, macOS).
 * The engine and the scheduler only see this; which stores are used is configuration.
 */

/** What the engine hands a store: PEM text throughout, the key unencrypted in memory only. */
export interface CertificateBundle {
  /** End-entity certificate, PEM. */
  certPem: string;
  /** Private key, PKCS#8 PEM (unencrypted, in memory only). Absent for certificate-only items (CAs, scanned certs). */
  keyPem?: string;
  /** Issuing chain, PEM, leaf's issuer first. */
  chainPem: string[];
  /** A label shown to users and used for nicknames / friendly names. */
  label: string;
  /** Which provider/service this came from, so renewal finds it again. */
  origin?: CertificateOrigin;
  /** Historical certificates must never become the default signing identity. */
  historical?: boolean;
  /**
   * The key was generated in the TPM and never left it: the store keeps this reference instead of a key. `handle` is
   * a persistent handle on Linux (0x81008000…) and the Platform Crypto Provider key name on Windows, where `keySet`
   * says whose keys it is among (a user's key cannot go to LocalMachine\My). `wrapped` (Linux): the key's TPM-wrapped
   * tpm2_create blobs, base64, that only this TPM can load (app/tpm TpmKeyRef): what the PKCS#11 token needs to offer
   * the key to NSS programs.
   */
  tpmKey?: { handle: string; keySet?: 'user' | 'machine'; wrapped?: { public: string; private: string } };
}

/** Where a certificate's private key lives: a key file, an NSS database, the TPM, or an OS key store. */
export type KeyLocation = 'file' | 'nss' | 'tpm' | 'os-store';

/** One certificate as a store reports it. */
export interface StoredCertificate {
  storeId: string;
  /** Store-specific handle (file folder, NSS nickname, Windows thumbprint, keychain label). */
  ref: string;
  sha256Fingerprint: string; // upper-case hex, no separators
  sha1Fingerprint: string;
  serialNumber: string; // upper-case hex
  subject: string;
  issuer: string;
  notBefore: string; // ISO 8601
  notAfter: string; // ISO 8601
  hasPrivateKey: boolean;
  /** Where the private key is (absent: the store did not say; see keyLocationOf). */
  keyLocation?: KeyLocation;
  /**
   * The PKCS#11 token through which programs reach the key (an NSS database with the TPM's tpm2-pkcs11 module
   * registered: the token's label, "KeyTalk"); absent when the key is not reachable through a token.
   */
  pkcs11Token?: string;
  label: string;
  origin?: CertificateOrigin;
  /** What the certificate is for (EKU / key usage), for the UI's card title; absent from stores that did not say. */
  uses?: CertUse[];
  /** A historical S/MIME certificate (kept to read old mail, never the signing identity); only the file store knows. */
  historical?: boolean;
  /** A CA certificate (basicConstraints cA=TRUE), e.g. the chain an NSS import brings along: never a user's card. */
  ca?: boolean;
}

/**
 * Where a stored certificate came from. `sharedMailbox` (the mailbox's address) marks a certificate the server
 * handed out with a seat's own enrollment (RCDP shared-mailbox-certs): it is renewed with that enrollment, never on
 * its own, so nothing may adopt it as an enrollment of the provider/service.
 */
export interface CertificateOrigin {
  provider: string;
  service: string;
  sharedMailbox?: string;
}

export type CertificateQuery = { sha256Fingerprint: string } | { serialNumber: string } | { subjectContains: string };

export interface StoreDescription {
  id: string;
  /** Human name, e.g. "Chromium / shared NSS database". */
  name: string;
  /** Where it is, for the UI: a path, a keychain, a Windows store name. */
  location: string;
  /** Which programs read it, for "where did my certificate go". */
  usedBy: string[];
  available: boolean;
  /** Why not available, in words the user can act on. */
  unavailableReason?: string;
  /** The reason coded for the UI's languages (app/model/core-text.ts); absent for a tool's own words. */
  unavailableText?: CoreText;
}

export interface AddOptions {
  /** Replace an item with the same nickname/label instead of failing. */
  replace?: boolean;
  /**
   * Also mark the chain's root CA as trusted where the store has trust settings (NSS "CT,C,C", Windows Root,
   * macOS add-trusted-cert). Only when the RCCD/server says the CA should be trusted (store-to-system).
   */
  trustRoot?: boolean;
}

export interface CertificateStore {
  readonly id: string;
  describe(): Promise<StoreDescription>;
  add(bundle: CertificateBundle, options?: AddOptions): Promise<StoredCertificate>;
  list(): Promise<StoredCertificate[]>;
  find(query: CertificateQuery): Promise<StoredCertificate[]>;
  remove(sha256Fingerprint: string): Promise<void>;
}

/**
 * The NSS databases' store ids: the shared one, the machine's (/etc/pki/nssdb, store-to-system) and the Mozilla
 * profiles (`firefox:<profile>`, `thunderbird:<profile>`, registry.ts). A key there is in NSS, not an OS key store.
 */
const NSS_STORE_ID = /^(nss|system-nss|mozilla|firefox:|thunderbird:)/;

/** A store's key location, or the one its kind implies when it did not say (NSS databases, OS key stores). */
export function keyLocationOf(c: StoredCertificate): KeyLocation | undefined {
  if (c.keyLocation) return c.keyLocation;
  if (!c.hasPrivateKey) return undefined;
  if (c.storeId === 'file') return 'file';
  return NSS_STORE_ID.test(c.storeId) ? 'nss' : 'os-store';
}

/** Adds a certificate's key location to a list of them once. */
export function addKeyLocation(list: KeyLocation[] | undefined, c: StoredCertificate): KeyLocation[] | undefined {
  const loc = keyLocationOf(c);
  if (!loc || list?.includes(loc)) return list;
  return [...(list ?? []), loc];
}

/** Adds the PKCS#11 token a store reaches a certificate's key through to a list of them once. */
export function addPkcs11Token(list: string[] | undefined, c: StoredCertificate): string[] | undefined {
  if (!c.pkcs11Token || list?.includes(c.pkcs11Token)) return list;
  return [...(list ?? []), c.pkcs11Token];
}

export class StoreError extends Error {
  constructor(
    readonly storeId: string,
    message: string,
    readonly hint?: string,
  ) {
    super(hint ? `${message} — ${hint}` : message);
    this.name = 'StoreError';
  }
}

/** A file-system failure of a store kept in `dir`, with the fix for the usual causes (permissions, full disk). */
export function storeFsError(storeId: string, dir: string, err: unknown, message: string): StoreError {
  const code = (err as NodeJS.ErrnoException).code;
  const hint =
    code === 'EACCES' || code === 'EPERM'
      ? `check the permissions of ${dir}`
      : code === 'ENOSPC'
        ? 'free some disk space and try again'
        : undefined;
  return new StoreError(storeId, `${message}: ${(err as Error).message}`, hint);
}

/** Linux machine stores that exist only as the store-to-system target (system-stores.ts), never configured. */
export const SYSTEM_ONLY_STORE_IDS = ['system-nss', 'system-file'] as const;
