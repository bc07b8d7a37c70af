/**
 * A certificate bundle as PKCS#12: the one place that maps a CertificateBundle onto the writer
 * (app/crypto/p12-write.ts) — for the file store's certificate.p12, the UI's export, and the throw-away P12 the
 * Windows, macOS and NSS stores import a key from. node-forge (the writer) loads on first use, not whenever a store
 * is listed or the agent starts.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CertificateBundle } from './store';

export interface BundleP12Options {
  password: string;
  /** The name the importing program shows (default: the bundle's label). */
  friendlyName?: string;
  /** 3DES/RC2/SHA-1 for old software instead of AES-256/PBKDF2. */
  legacy?: boolean;
  /** Put the chain in too (default true); false for stores that file the chain elsewhere (Windows CA/Root). */
  withChain?: boolean;
}

/** The bundle's certificate, key and (unless withChain is false) chain as DER PKCS#12. */
export async function bundleToPkcs12(bundle: CertificateBundle, o: BundleP12Options): Promise<Buffer> {
  if (!bundle.keyPem) throw new Error('a PKCS#12 needs the private key, and this certificate has none here');
  const { buildPkcs12 } = await import('../crypto/p12-write');
  return buildPkcs12({
    certPem: bundle.certPem,
    keyPem: bundle.keyPem,
    chainPem: o.withChain === false ? [] : bundle.chainPem,
    password: o.password,
    friendlyName: o.friendlyName ?? bundle.label,
    legacy: o.legacy,
  });
}

/**
 * Write `<dir>/import.p12` (0600) under a random password for a tool to import; the caller owns `dir` (a private
 * temp folder) and deletes it afterwards.
 */
export async function writeImportP12(
  dir: string,
  bundle: CertificateBundle,
  o: Omit<BundleP12Options, 'password'> = {},
): Promise<{ file: string; password: string }> {
  const password = randomBytes(18).toString('base64url');
  const file = path.join(dir, 'import.p12');
  await fs.writeFile(file, await bundleToPkcs12(bundle, { ...o, password }), { mode: 0o600 });
  return { file, password };
}
