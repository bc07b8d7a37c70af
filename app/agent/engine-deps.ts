import path from 'node:path';
import { homeLayout } from '../config/home';
import type { EngineDeps } from '../engine/enroll-deps';
import { createHwsigFunction } from '../engine/hwsig-adapter';
import type { HwsigPlatform } from '../hwsig/index';
import type { ProviderRegistry } from '../engine/providers';
import type { Settings } from '../ipc/contract';
import type { Logger } from '../log/logger';
import type { MsalMfaSignIn } from '../mfa/index';
import type { SignInWindowOpener } from '../mfa/sign-in-window';
import type { MfaSignIn } from '../engine/mfa';
import type { SecretStore } from '../system/secret-store';
import type { TpmKeySource } from '../engine/tpm-csr';
import type { CommandRunner } from '../system/command-runner';
import { createProviderWiring } from './provider-wiring';
import type { AgentScope } from '../config/scope';
import { scopedStores, scopedSystemTarget } from './scope-stores';

export interface EngineWiringOptions {
  home: string;
  secretStore?: SecretStore;
  log?: Logger;
  appVersion?: string;
  settings: () => Promise<Settings>;
  providers?: ProviderRegistry;
  /** Shows mfa-popups sign-ins in a host window (Electron main); absent: the system browser. */
  signInWindow?: SignInWindowOpener;
  /**
   * The user's home, where the stores find their places (~/.pki/nssdb, Firefox profiles, the login keychain).
   * Default os.homedir(); tests point it at a temp folder so an enrollment never touches the real user's stores.
   */
  userHome?: string;
  /** `machine`: the system-wide daemon, which works only with the machine stores (app/agent/scope-stores.ts). */
  scope?: AgentScope;
}

/**
 * The TPM module (and its command runner) loads when a template first asks for a TPM key: tpm2-tools on Linux, the
 * Platform Crypto Provider through certreq on Windows. There the scope picks the key set: a user agent's keys are the
 * user's (the certificate goes to CurrentUser\My), the machine daemon's are the machine's (MachineKeySet, `-machine`),
 * because a non-exportable key cannot move later and certreq -accept binds only in the key set the request was made in.
 * `test` is for tests (a fake Windows runner, a pinned key name); the product uses the real process runner.
 */
export function lazyTpmKeys(
  platform: 'linux' | 'win32',
  scope: AgentScope = 'user',
  test?: { runner: CommandRunner; newName?: () => string },
): TpmKeySource {
  let source: TpmKeySource | undefined;
  const get = async (): Promise<TpmKeySource> => {
    const run = test?.runner ?? (await import('../system/command-runner')).processRunner;
    if (platform === 'win32') {
      const { PlatformCryptoKeys } = await import('../tpm/windows-pcp');
      // One instance: it remembers each key's size and public key between createKey, csr and publicPem.
      source ??= new PlatformCryptoKeys({ runner: run, keySet: scope, newName: test?.newName });
      return source;
    }
    return new (await import('../tpm/index')).TpmKeys(run);
  };
  return {
    createKey: async (size) => (await get()).createKey(size),
    csr: async (key, subject, san, digest) => (await get()).csr(key, subject, san, digest),
    publicPem: async (key) => (await get()).publicPem(key),
    remove: async (key) => (await get()).remove(key),
    // Attestation (yes-with-attestation) is done with tpm2-tools: Linux only; Windows templates that ask are refused.
    ...(platform === 'linux'
      ? {
          attest: async () =>
            new (await import('../tpm/index')).TpmKeys((await import('../system/command-runner')).processRunner).attest(),
        }
      : {}),
  };
}

/**
 * The real engine wiring shared by the agent core and the CLI: the registered provider kinds (KeyTalk from imported
 * RCCDs with TLS trust limited to their CAs, Online CA), the configured stores, HWSIG from this machine's probes, CMS
 * decryption for seats.
 */
export function createEngineDeps(o: EngineWiringOptions): EngineDeps & { providerRegistry: ProviderRegistry } {
  const wiring = createProviderWiring(o.home);
  const providerRegistry = o.providers ?? wiring.registry;
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
  // TPM keys (use-tpm-vsc-authentication: yes): tpm2-tools and tpm2-openssl on Linux, the Platform Crypto Provider
  // on Windows; macOS has no TPM, so there the engine refuses such templates.
  const platform = process.platform;
  const tpmKeys = platform === 'linux' || platform === 'win32' ? lazyTpmKeys(platform, o.scope ?? 'user') : undefined;
  const deps: EngineDeps & { providerRegistry: ProviderRegistry } = {
    home: o.home,
    providerRegistry,
    providerKinds: wiring.kinds,
    openProvider: (name) => providerRegistry.connect(name),
    // The store modules (NSS, Windows, macOS, system CA) and the CMS code load when first needed, not at start.
    stores: async () =>
      scopedStores(o.scope ?? 'user', o.home, async () => {
        const { createStores } = await import('../stores/registry');
        return createStores({
          home: o.home,
          enabled: (await o.settings()).stores,
          secrets: o.secretStore,
          userHome: o.userHome,
          // A renewed or removed TPM-bound certificate frees its persistent handle in the TPM its key was made in.
          // On Windows the key belongs to the certificate in My: Remove-Item -DeleteKey frees it with the certificate.
          tpmKeys: platform === 'linux' ? tpmKeys : undefined,
          log: o.log,
        });
      }),
    // store-to-system: this platform's machine store, loaded only when a server asks for it.
    systemStores: async () => scopedSystemTarget(o.scope ?? 'user', o.home),
    // Service URIs after issuance (execute-sync), unless the user turned it off in the settings.
    openServiceUri: async (uri, wait) => (await import('../engine/open-service-uri')).serviceUriOpener()(uri, wait),
    serviceUrisEnabled: async () => (await o.settings()).openServiceUris !== false,
    secretStore: o.secretStore,
    hwsig: createHwsigFunction(undefined, process.platform as HwsigPlatform, { home: o.home }),
    decryptSeatChallenge: async (...args) => (await import('../crypto/cms')).decryptCmsEnvelope(...args),
    mfa,
    log: o.log,
    appVersion: o.appVersion,
    tpmKeys,
    // Kerberos sign-on: the user's TGT when the server allows it; without one the engine asks for credentials.
    kerberosTicket: async () => {
      const { readKerberosTicket } = await import('../kerberos/index');
      const found = await readKerberosTicket({ env: process.env, platform: process.platform });
      if ('reason' in found) {
        o.log?.info(`Kerberos sign-on not used: ${found.reason}`);
        return undefined;
      }
      return found.ticket;
    },
    // S/MIME follow-up and cert scraping on the authenticated session (loaded only when a certificate is issued).
    afterIssued: async (ctx) => (await import('./after-issued')).runAfterIssued(ctx, deps),
  };
  return deps;
}
