/**
 * A TPM-bound certificate in an NSS database: NSS cannot hold a key it did not make, so the certificate alone goes
 * into the database (as before) and, where a TPM PKCS#11 module is installed, the key and the certificate go onto
 * the module's token (app/tpm/tpm2-pkcs11.ts) and the module is registered in the database (`modutil -add`). NSS
 * programs then find the key on the token for the certificate (NSS matches them by public key), and sign in the TPM.
 * Without the module nothing changes: the database has the certificate, the file store says the key is in the TPM.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CommandRunner } from '../system/command-runner';
import { runChecked } from '../system/command-runner';
import { StoreError, type CertificateBundle } from './store';

type TpmKeyRef = NonNullable<CertificateBundle['tpmKey']>;

/** The part of app/tpm's Tpm2Pkcs11Token the NSS store uses. */
export interface NssTpmToken {
  /** The token's label (NSS shows it as the token name). */
  readonly label: string;
  /** The module NSS must load. */
  readonly modulePath: string;
  /** Environment for NSS tools that load the module (its store folder and TCTI when not the defaults). */
  readonly env: Record<string, string>;
  unavailable(): Promise<string | undefined>;
  add(fingerprint: string, key: TpmKeyRef, certPem: string): Promise<void>;
  remove(fingerprint: string): Promise<void>;
  /** Fingerprints whose certificate and key are on the token. */
  linked(): Promise<Set<string>>;
}

/** The name the module is registered under in NSS databases (modutil -list, Firefox's security devices). */
export const NSS_MODULE_NAME = 'KeyTalk TPM (tpm2-pkcs11)';

/** True when the database's pkcs11.txt already loads the module (under any name: a user may have added it). */
export async function moduleRegistered(dbDir: string, modulePath: string): Promise<boolean> {
  const text = await fs.readFile(path.join(dbDir, 'pkcs11.txt'), 'utf8').catch(() => '');
  return text.split(/\r?\n/).some((l) => l.trim() === `library=${modulePath}`);
}

/** Registers the module in the database unless it is there already (idempotent). */
export async function registerModule(
  o: { storeId: string; dbDir: string; runner: CommandRunner; modutil?: string },
  token: NssTpmToken,
): Promise<void> {
  if (await moduleRegistered(o.dbDir, token.modulePath)) return;
  await runChecked(
    o.runner,
    {
      command: o.modutil ?? 'modutil',
      // -force: no "is the browser running?" question (the backup around every change covers a failure).
      args: ['-dbdir', `sql:${o.dbDir}`, '-add', NSS_MODULE_NAME, '-libfile', token.modulePath, '-force'],
      env: token.env,
    },
    {
      cannotStart: (m) => new StoreError(o.storeId, m, 'install the NSS tools (Debian/Ubuntu: apt install libnss3-tools)'),
      explain: (f) => new StoreError(o.storeId, `modutil could not register the TPM's PKCS#11 module in ${o.dbDir}: ${f.text}`),
    },
  );
}

/**
 * What to do for a bundle: undefined when it is not TPM-bound, its key cannot be linked (made before the agent kept
 * the wrapped blobs) or no module is installed; otherwise the token to put it on.
 */
export async function tokenFor(token: NssTpmToken | undefined, bundle: CertificateBundle): Promise<NssTpmToken | undefined> {
  if (!token || !bundle.tpmKey?.wrapped || bundle.keyPem) return undefined;
  return (await token.unavailable()) ? undefined : token;
}

/** Fingerprints reachable through the token in this database (on the token, and the module registered here). */
export async function reachableOnToken(token: NssTpmToken | undefined, dbDir: string): Promise<Set<string>> {
  if (!token || !(await moduleRegistered(dbDir, token.modulePath))) return new Set();
  return token.linked();
}
