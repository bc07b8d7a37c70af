import { promises as fs } from 'node:fs';
import { coreText, type CoreText } from '../model/core-text';
import path from 'node:path';
import { processRunner, type CommandRunner } from '../system/command-runner';
import { FileStore } from './file-store';
import { MacKeychainStore } from './macos-keychain';
import { NssStore } from './nss-store';
import { SYSTEM_ONLY_STORE_IDS, type CertificateStore } from './store';
import { WindowsStore } from './windows-store';

/**
 * The machine ("System") store that the server's `store-to-system` (RCDP cert reply) and the Public API's
 * `should-cert-go-to-system-store` (3.2.4) ask for instead of the user's store:
 *  - Windows: LocalMachine\My (writing it needs an elevated agent);
 *  - macOS: the System keychain (/Library/Keychains/System.keychain, needs root);
 *  - Linux: the system-wide NSS database /etc/pki/nssdb (what Fedora/RHEL's system NSS programs read) and a system
 *    file store /var/lib/keytalk-agent/certs (PEM + PKCS#12 for services configured by path), both root-owned.
 * `rootPrefix` moves the Linux locations under a folder so tests never touch the machine. `missingRights()` says in
 * words why the agent cannot write there (undefined: it can); the engine then asks before using the user's store.
 */
export interface SystemStoreTarget {
  stores: CertificateStore[];
  /**
   * e.g. "the agent is not running as an administrator" (coded for the UI's languages, app/model/core-text.ts);
   * undefined when the machine store can be written.
   */
  missingRights(): Promise<CoreText | undefined>;
  /**
   * Set when the policy's store keys leave none of this platform's machine stores (`stores` is then empty): why, in
   * English, and the machine stores' ids, which the user-store fallback must not include (app/agent/scope-stores.ts).
   */
  refusedByPolicy?: { reason: string; machineStoreIds: string[] };
}

export interface SystemStoreOptions {
  platform?: NodeJS.Platform;
  runner?: CommandRunner;
  /** Linux: prefix for /etc/pki/nssdb and /var/lib/keytalk-agent/certs (tests: a temp folder). */
  rootPrefix?: string;
  /** Linux: the system file store's folder; the machine-scope daemon keeps it in its own home's certs/. */
  fileStoreDir?: string;
  /** Linux: whether this process may write a folder (default: fs.access W_OK on it or its nearest existing parent). */
  canWrite?: (dir: string) => Promise<boolean>;
  /** Linux/macOS: the process's user id (default process.getuid). */
  uid?: () => number | undefined;
}

export const LINUX_SYSTEM_NSSDB = '/etc/pki/nssdb';
export const LINUX_SYSTEM_FILE_STORE = '/var/lib/keytalk-agent/certs';

/** PowerShell's own answer to "is this process elevated?" (a member of Administrators with an elevated token). */
export const WINDOWS_ELEVATION_CHECK =
  '([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)';

async function writableOrCreatable(dir: string): Promise<boolean> {
  // The nearest folder that exists decides: creating /etc/pki/nssdb needs write access to /etc/pki.
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      await fs.access(d, fs.constants.W_OK);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(d) === d) return false;
    }
  }
}

/** The machine store of this platform, or undefined where the agent knows none. */
export function systemStoreTarget(o: SystemStoreOptions = {}): SystemStoreTarget | undefined {
  const platform = o.platform ?? process.platform;
  const runner = o.runner ?? processRunner;
  const uid = o.uid ?? (() => process.getuid?.());
  if (platform === 'win32') {
    return {
      stores: [new WindowsStore({ runner, location: 'LocalMachine' })],
      async missingRights() {
        const r = await runner
          .run({
            command: 'powershell.exe',
            args: ['-NoProfile', '-NonInteractive', '-Command', WINDOWS_ELEVATION_CHECK],
            timeoutMs: 15_000,
          })
          .catch(() => undefined);
        return r?.stdout.trim() === 'True'
          ? undefined
          : coreText(
              'store.system-not-admin',
              'the agent is not running as an administrator, so it cannot write the LocalMachine\\My store',
            );
      },
    };
  }
  if (platform === 'darwin') {
    return {
      stores: [new MacKeychainStore({ runner, keychain: 'system' })],
      async missingRights() {
        return uid() === 0
          ? undefined
          : coreText('store.system-not-root', 'the agent is not running as root, so it cannot write the System keychain');
      },
    };
  }
  if (platform !== 'linux') return undefined;
  const prefix = o.rootPrefix ?? '';
  const nssDir = path.join(prefix, LINUX_SYSTEM_NSSDB);
  const fileDir = o.fileStoreDir ?? path.join(prefix, LINUX_SYSTEM_FILE_STORE);
  const canWrite = o.canWrite ?? writableOrCreatable;
  return {
    stores: [
      new NssStore({
        id: SYSTEM_ONLY_STORE_IDS[0],
        name: `System NSS database (${LINUX_SYSTEM_NSSDB})`,
        dbDir: nssDir,
        usedBy: ['system-wide NSS programs'],
        runner,
        create: true,
      }),
      new FileStore(fileDir, { id: SYSTEM_ONLY_STORE_IDS[1] }),
    ],
    async missingRights() {
      for (const dir of [nssDir, fileDir])
        if (!(await canWrite(dir)))
          return coreText(
            'store.system-not-writable',
            `the agent may not write ${dir} (run it as root to use the machine store)`,
            {
              dir,
            },
          );
      return undefined;
    },
  };
}
