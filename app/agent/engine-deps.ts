import path from 'node:path';
import { homeLayout } from '../config/home';
import type { EngineDeps } from '../engine/enroll';
import { createHwsigFunction } from '../engine/hwsig-adapter';
import type { HwsigPlatform } from '../hwsig/index';
import type { ProviderRegistry } from '../engine/providers';
import type { Settings } from '../ipc/contract';
import type { Logger } from '../log/logger';
import type { MsalMfaSignIn } from '../mfa/index';
import type { SignInWindowOpener } from '../mfa/sign-in-window';
import type { MfaSignIn } from '../engine/mfa';
import type { SecretStore } from '../system/secret-store';

export interface EngineWiringOptions {
  home: string;
  secretStore?: SecretStore;
  log?: Logger;
  appVersion?: string;
  settings: () => Promise<Settings>;
  providers?: ProviderRegistry;
  /** Shows mfa-popups sign-ins in a host window (Electron main); absent: the system browser. */
  signInWindow?: SignInWindowOpener;
}

/**
 * The provider registry, its module (RCCD importer with jszip and yaml, TLS trust with node-forge) imported on
 * first use: the idle daemon and commands that never touch a provider should not carry it.
 */
export function lazyProviderRegistry(home: string): ProviderRegistry {
  let registry: Promise<ProviderRegistry> | undefined;
  const get = () => (registry ??= import('../engine/provider-registry').then((m) => m.createProviderRegistry(home)));
  return {
    import: async (fileName, data, options) => (await get()).import(fileName, data, options),
    list: async () => (await get()).list(),
    remove: async (name) => (await get()).remove(name),
    connect: async (name) => (await get()).connect(name),
  };
}

/**
 * The real engine wiring shared by the agent core and the CLI: providers from imported RCCDs with TLS trust
 * limited to their CAs, the configured stores, HWSIG from this machine's probes, CMS decryption for seats.
 */
export function createEngineDeps(o: EngineWiringOptions): EngineDeps & { providerRegistry: ProviderRegistry } {
  const providerRegistry = o.providers ?? lazyProviderRegistry(o.home);
  // MSAL is set up on first use only: most enrollments never need it, and it warns about weak secret stores.
  let msal: MsalMfaSignIn | undefined;
  const secrets = o.secretStore;
  // Loaded on demand too: MSAL is a large module and the CLI should start fast.
  const getMsal = async (store: SecretStore) => {
    const { MsalMfaSignIn } = await import('../mfa/index');
    msal ??= new MsalMfaSignIn({
      cacheDir: path.join(homeLayout(o.home).state, 'mfa'),
      secrets: store,
      signInWindow: o.signInWindow,
      warn: (m) => o.log?.warn(m),
    });
    return msal;
  };
  const mfa: MfaSignIn | undefined = secrets && {
    acquireToken: async (settings, opts) => (await getMsal(secrets)).acquireToken(settings, opts),
    signOut: async (settings, account) => (await getMsal(secrets)).signOut(settings, account),
    accounts: async () => (await getMsal(secrets)).accounts(),
    signOutAccount: async (authority, clientId, username) =>
      (await getMsal(secrets)).signOutAccount(authority, clientId, username),
  };
  const deps: EngineDeps & { providerRegistry: ProviderRegistry } = {
    home: o.home,
    providerRegistry,
    openProvider: (name) => providerRegistry.connect(name),
    // The store modules (NSS, Windows, macOS, system CA) and the CMS code load when first needed, not at start.
    stores: async () => {
      const { createStores } = await import('../stores/registry');
      return createStores({ home: o.home, enabled: (await o.settings()).stores, secrets: o.secretStore });
    },
    secretStore: o.secretStore,
    hwsig: createHwsigFunction(undefined, process.platform as HwsigPlatform, { home: o.home }),
    decryptSeatChallenge: async (...args) => (await import('../crypto/cms')).decryptCmsEnvelope(...args),
    mfa,
    log: o.log,
    appVersion: o.appVersion,
    // S/MIME follow-up and cert scraping on the authenticated session (loaded only when a certificate is issued).
    afterIssued: async (ctx) => (await import('./after-issued')).runAfterIssued(ctx, deps),
  };
  return deps;
}
