/**
 * Which stores exist, and building the enabled ones from configuration. The engine, the scheduler, the CLI
 * (`certs`, `--store`) and the UI only go through here and the CertificateStore interface.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { homeLayout } from '../config/home';
import type { Logger } from '../log/logger';
import { processRunner, type CommandRunner } from '../system/command-runner';
import type { SecretStore } from '../system/secret-store';
import { FileStore, type FileStoreOptions } from './file-store';
import { LinuxSystemCaStore } from './linux-system-ca';
import { MacKeychainStore } from './macos-keychain';
import { findMozillaProfiles } from './mozilla-profiles';
import { NssStore } from './nss-store';
import type { NssTpmToken } from './nss-tpm-token';
import type { CertificateStore, StoreDescription } from './store';
import { WindowsStore } from './windows-store';
import { Tpm2Pkcs11Token } from '../tpm/tpm2-pkcs11';

export interface StoresConfig {
  /** The agent home (see app/config/home.ts); the file store lives in <home>/certs. */
  home: string;
  /** Store ids to build, in order; see storeCatalog(). Unknown ids are an error naming the known ones. */
  enabled: string[];
  runner?: CommandRunner;
  platform?: NodeJS.Platform;
  /** The user's home directory (HOME / %USERPROFILE%); tests point it at a temp folder. */
  userHome?: string;
  env?: NodeJS.ProcessEnv;
  /** Where NSS token passwords and P12 passwords come from when not given directly. */
  secrets?: SecretStore;
  /** File store PKCS#12 password, fixed or per certificate. */
  p12Password?: FileStoreOptions['p12Password'];
  /** Write legacy (3DES/RC2) PKCS#12 files for old software. */
  legacyP12?: boolean;
  /** Prefix for system locations (system CA store); tests set it so the machine is never touched. */
  rootPrefix?: string;
  /** The TPM (same TCTI as key generation) whose handles the file store evicts when a TPM-bound certificate leaves. */
  tpmKeys?: FileStoreOptions['tpmKeys'];
  /** Where a failed eviction is logged (it never fails the renewal or removal). */
  log?: Logger;
  /**
   * The TPM's PKCS#11 token for NSS databases (Linux; needs `secrets` for its PINs): the module path (default Debian's
   * libtpm2_pkcs11.so; a missing file = no module, certificate only), the tpm2-pkcs11 store folder (default
   * TPM2_PKCS11_STORE, else ~/.tpm2_pkcs11, where the module looks when a browser loads it) and the TPM's TCTI
   * environment (default the agent's). `false`: never.
   */
  tpm2Pkcs11?: { modulePath?: string; storeDir?: string; env?: Record<string, string> } | false;
  /** Built by createStores from `tpm2Pkcs11`, one for all NSS stores. */
  tpmToken?: NssTpmToken;
}

export interface StoreCatalogEntry {
  id: string;
  name: string;
  platforms: NodeJS.Platform[] | 'all';
  /** Holds end-entity certificates with keys (false: CA certificates only). */
  personal: boolean;
}

/** One id may stand for several stores (every Firefox profile), hence an array. */
type Factory = (config: StoresConfig) => CertificateStore | CertificateStore[];

const factories = new Map<string, { entry: StoreCatalogEntry; create: Factory }>();

/** Stores register themselves here (see the bottom of this file) so this module stays the single list. */
export function registerStore(entry: StoreCatalogEntry, create: Factory): void {
  factories.set(entry.id, { entry, create });
}

function userHomeOf(c: StoresConfig): string {
  return c.userHome ?? os.homedir();
}

/**
 * The token password for an NSS database, in the secret store under "nss-password-<digest of the dir>": the
 * headless secret store keeps one file per name, so a path (slashes, colons) cannot be part of the name.
 */
export function nssPasswordKey(dbDir: string): string {
  return `nss-password-${createHash('sha256').update(dbDir).digest('hex').slice(0, 24)}`;
}

/** What every NSS store gets: the TPM token (and where its failures are logged). */
function nssTpm(c: StoresConfig): { tpmToken?: NssTpmToken; onTokenFailed?: (fp: string, message: string) => void } {
  if (!c.tpmToken) return {};
  return {
    tpmToken: c.tpmToken,
    onTokenFailed: (fingerprint, error) =>
      c.log?.warn("TPM-bound certificate not on the TPM's PKCS#11 token; NSS programs cannot use its key", {
        fingerprint,
        error,
      }),
  };
}

/** The TPM's PKCS#11 token (app/tpm/tpm2-pkcs11.ts) on Linux when a secret store can keep its PINs. */
function buildTpmToken(c: StoresConfig): NssTpmToken | undefined {
  if (c.tpm2Pkcs11 === false || c.platform !== 'linux' || !c.secrets) return undefined;
  const o = c.tpm2Pkcs11 ?? {};
  return new Tpm2Pkcs11Token({
    runner: c.runner ?? processRunner,
    secrets: c.secrets,
    modulePath: o.modulePath,
    storeDir: o.storeDir ?? c.env?.TPM2_PKCS11_STORE ?? path.join(userHomeOf(c), '.tpm2_pkcs11'),
    env: o.env ?? tctiEnv(c.env),
  });
}

/** The TPM's TCTI settings of the given environment (the CLI's, a test's); the agent's own process env applies anyway. */
function tctiEnv(env: NodeJS.ProcessEnv | undefined): Record<string, string> | undefined {
  const names = ['TPM2TOOLS_TCTI', 'TPM2_PKCS11_TCTI', 'DBUS_SESSION_BUS_ADDRESS'];
  const picked = Object.fromEntries(names.flatMap((n) => (env?.[n] ? [[n, env[n]!]] : [])));
  return Object.keys(picked).length ? picked : undefined;
}

function nssPassword(c: StoresConfig, dbDir: string): (() => Promise<string | undefined>) | undefined {
  const secrets = c.secrets;
  return secrets ? () => secrets.get(nssPasswordKey(dbDir)) : undefined;
}

registerStore(
  { id: 'nss', name: 'Shared NSS database (Chromium, Evolution, many Linux tools)', platforms: ['linux'], personal: true },
  (c) => {
    const dbDir = path.join(userHomeOf(c), '.pki', 'nssdb');
    return new NssStore({
      id: 'nss',
      name: 'Shared NSS database (~/.pki/nssdb)',
      dbDir,
      usedBy: ['Chromium', 'Google Chrome', 'Evolution', 'curl (NSS builds)', 'other NSS programs'],
      runner: c.runner ?? processRunner,
      create: true,
      password: nssPassword(c, dbDir),
      ...nssTpm(c),
    });
  },
);

for (const app of ['firefox', 'thunderbird'] as const) {
  const appName = app === 'firefox' ? 'Firefox' : 'Thunderbird';
  registerStore(
    {
      id: app,
      name: `${appName} profiles (each has its own NSS database)`,
      platforms: ['linux', 'win32', 'darwin'],
      personal: true,
    },
    (c) => {
      const profiles = findMozillaProfiles({ platform: c.platform, userHome: userHomeOf(c), env: c.env, apps: [app] });
      const seenIds = new Set<string>();
      return profiles.map((p) => {
        // Profile names repeat across Snap/Flatpak/deb installs; the flavour keeps the ids apart.
        let id = `${app}:${p.name}`;
        if (seenIds.has(id)) id = `${app}:${p.flavour}:${p.name}`;
        seenIds.add(id);
        return new NssStore({
          id,
          name: `${appName} profile "${p.name}"${p.flavour === 'deb' || p.flavour === 'windows' || p.flavour === 'macos' ? '' : ` (${p.flavour})`}`,
          dbDir: p.dir,
          usedBy: [appName],
          runner: c.runner ?? processRunner,
          create: false,
          password: nssPassword(c, p.dir),
          ...nssTpm(c),
        });
      });
    },
  );
}

registerStore(
  {
    id: 'linux-system-ca',
    name: 'System CA certificates (update-ca-certificates / update-ca-trust)',
    platforms: ['linux'],
    personal: false,
  },
  (c) => new LinuxSystemCaStore({ runner: c.runner ?? processRunner, rootPrefix: c.rootPrefix }),
);

registerStore(
  { id: 'windows-user', name: 'Windows certificate store (CurrentUser\\My)', platforms: ['win32'], personal: true },
  (c) => new WindowsStore({ runner: c.runner ?? processRunner, location: 'CurrentUser', legacyP12: c.legacyP12 }),
);
registerStore(
  {
    id: 'windows-machine',
    name: 'Windows certificate store (LocalMachine\\My, needs administrator)',
    platforms: ['win32'],
    personal: true,
  },
  (c) => new WindowsStore({ runner: c.runner ?? processRunner, location: 'LocalMachine', legacyP12: c.legacyP12 }),
);
registerStore(
  { id: 'macos-login', name: 'macOS login keychain', platforms: ['darwin'], personal: true },
  (c) => new MacKeychainStore({ runner: c.runner ?? processRunner, keychain: 'login', userHome: userHomeOf(c) }),
);
registerStore(
  { id: 'macos-system', name: 'macOS System keychain (needs administrator)', platforms: ['darwin'], personal: true },
  (c) => new MacKeychainStore({ runner: c.runner ?? processRunner, keychain: 'system' }),
);

registerStore(
  { id: 'file', name: 'Certificate files (PEM and PKCS#12)', platforms: 'all', personal: true },
  (c) =>
    new FileStore(homeLayout(c.home).certs, {
      p12Password: c.p12Password,
      legacyP12: c.legacyP12,
      tpmKeys: c.tpmKeys,
      onTpmEvictFailed: (handle, error) =>
        c.log?.warn('TPM key of a retired certificate not evicted; free it with tpm2_evictcontrol -C o -c HANDLE', {
          handle,
          error,
        }),
    }),
);

/** Every store id the agent knows, with the platforms it works on. */
export function storeCatalog(platform?: NodeJS.Platform): StoreCatalogEntry[] {
  return [...factories.values()]
    .map((f) => f.entry)
    .filter((e) => !platform || e.platforms === 'all' || e.platforms.includes(platform));
}

export { defaultStoreIds } from './default-stores';

export function createStores(config: StoresConfig): CertificateStore[] {
  const platform = config.platform ?? process.platform;
  const base: StoresConfig = { ...config, platform, runner: config.runner ?? processRunner };
  const full: StoresConfig = { ...base, tpmToken: config.tpmToken ?? buildTpmToken(base) };
  const seen = new Set<string>();
  return config.enabled.flatMap((id) => {
    const f = factories.get(id);
    if (!f) {
      throw new Error(`unknown certificate store "${id}"; known stores: ${[...factories.keys()].join(', ')}`);
    }
    if (f.entry.platforms !== 'all' && !f.entry.platforms.includes(platform)) {
      throw new Error(`the "${id}" store (${f.entry.name}) does not exist on ${platform}; remove it from the enabled stores`);
    }
    if (seen.has(id)) throw new Error(`certificate store "${id}" is listed twice in the enabled stores`);
    seen.add(id);
    return f.create(full);
  });
}

/** Descriptions for the UI and `certs`; a store that fails to describe itself is reported, not thrown. */
export async function describeStores(stores: CertificateStore[]): Promise<StoreDescription[]> {
  return Promise.all(
    stores.map(async (s) => {
      try {
        return await s.describe();
      } catch (err) {
        return { id: s.id, name: s.id, location: '', usedBy: [], available: false, unavailableReason: (err as Error).message };
      }
    }),
  );
}

/** Pick one store by id for `--store`, with an error listing the enabled ones. */
export function pickStore(stores: CertificateStore[], id: string): CertificateStore {
  const s = stores.find((x) => x.id === id);
  if (!s) throw new Error(`store "${id}" is not enabled; enabled stores: ${stores.map((x) => x.id).join(', ') || 'none'}`);
  return s;
}
