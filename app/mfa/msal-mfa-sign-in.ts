import { createHash } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { LogLevel, PublicClientApplication, type AccountInfo } from '@azure/msal-node';
import type { SecretStore } from '../system/secret-store';
import { authorityKind, loopbackPort, msalAuthConfig, normalizeAuthority } from './authority';
import { CacheKeyring, EncryptedCachePlugin } from './encrypted-cache-plugin';
import { explainMfaError, MfaError, MfaInteractionRequired, needsInteraction } from './errors';
import type { MfaAccountGroup, MfaProgress, MfaSettings, MfaSignIn } from './mfa-sign-in';
import { validateMfaSettings } from './mfa-settings';
import { HttpsNetworkClient } from './msal-network-client';
import { systemBrowserOpener } from './open-browser';
import { forgetSettings, rememberedSettings, rememberSettings } from './remembered-settings';
import { showSignInPage, type SignInWindowHandle, type SignInWindowOpener } from './sign-in-window';

export interface MsalMfaSignInOptions {
  /** The encrypted token caches, one file per authority + client: <home>/state/mfa (writes lock its parent). */
  cacheDir: string;
  /** Holds the cache key: Electron safeStorage in the app, FileKeySecretStore for the headless daemon. */
  secrets: SecretStore;
  /** Shows the sign-in page; default the OS browser (xdg-open / open / url.dll) through the command runner. */
  openBrowser?: (url: string) => Promise<void>;
  /**
   * For mfa-settings kind `mfa-popups`: shows the IdP's pages in a window of the host's own (Electron main injects
   * one). Without it `mfa-popups` uses `openBrowser` too (CLI, daemon, browser host).
   */
  signInWindow?: SignInWindowOpener;
  /** PEM CAs trusted for the IdP in addition to the system roots (on-premises IdP behind a private CA). */
  extraCaPem?: string[];
  warn?: (message: string) => void;
  /** How long to wait for the user to finish in the browser before giving up (default 5 minutes). */
  interactiveTimeoutMs?: number;
  /** OIDC prompt for interactive sign-in, e.g. 'select_account' or 'consent' for IdPs that only give refresh tokens then. */
  prompt?: string;
  /** After sign-out, open the IdP's end-session page (with post-log-out-uri) so the browser session ends too. Default true. */
  browserSignOut?: boolean;
  networkTimeoutMs?: number;
  now?: () => number;
}

interface ClientEntry {
  key: string;
  pca: PublicClientApplication;
  network: HttpsNetworkClient;
  cache: EncryptedCachePlugin;
  /** Running interactive sign-ins by login hint, shared so two renewals at once open one browser window, not two. */
  interactive: Map<string, Promise<string>>;
  /** Its mfa-settings are saved beside the cache (for Settings' sign-out). */
  remembered?: boolean;
}

const SUCCESS_PAGE =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Signed in</title></head><body><h1>Signed in</h1><p id="keytalk-signed-in">You can close this window and return to KeyTalk Agent.</p></body></html>';
const ERROR_PAGE =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign-in not completed</title></head><body><h1>Sign-in not completed</h1><p id="keytalk-sign-in-failed">Return to KeyTalk Agent for details.</p></body></html>';

/**
 * MFA sign-in with MSAL: the system browser with a loopback redirect and PKCE, silent renewal from an encrypted
 * token cache, and never a browser window in unattended mode.
 */
export class MsalMfaSignIn implements MfaSignIn {
  private readonly clients = new Map<string, ClientEntry>();
  private readonly keyring: CacheKeyring;
  private readonly openBrowser: (url: string) => Promise<void>;
  private readonly warn: (message: string) => void;
  private readonly interactiveTimeoutMs: number;

  constructor(private readonly options: MsalMfaSignInOptions) {
    this.warn = options.warn ?? ((m) => console.warn(m));
    this.openBrowser = options.openBrowser ?? systemBrowserOpener();
    this.interactiveTimeoutMs = options.interactiveTimeoutMs ?? 5 * 60_000;
    this.keyring = new CacheKeyring(options.secrets, this.warn);
    if (!options.secrets.osProtected) {
      this.warn(
        `MFA sign-ins are cached with a key kept in the "${options.secrets.kind}" secret store, which the operating system does not protect: anyone who can read this account's files can use the cached sign-in.`,
      );
    }
  }

  async acquireToken(
    settings: MfaSettings,
    opts: { unattended: boolean; loginHint?: string; signal?: AbortSignal; onProgress?: (state: MfaProgress) => void },
  ): Promise<string> {
    checkSettings(settings);
    const progress = opts.onProgress ?? (() => undefined);
    const entry = this.client(settings);
    const explain = (err: unknown) => explainMfaError(err, this.context(settings, entry));
    if (opts.signal?.aborted) {
      progress('cancelled');
      throw new MfaError('user-cancelled', 'The sign-in was cancelled before it started.');
    }

    progress('silent');
    let why = 'there is no saved sign-in for this account';
    let cause: unknown;
    try {
      const account = await this.findAccount(entry, opts.loginHint);
      if (account) {
        const result = await entry.pca.acquireTokenSilent({ account, scopes: settings.scopes });
        if (result?.accessToken) {
          await this.remember(entry, settings);
          progress('done');
          return result.accessToken;
        }
      }
    } catch (err) {
      if (!needsInteraction(err)) throw explain(err);
      why = 'the saved sign-in has expired or was revoked';
      cause = err;
    }

    if (opts.unattended) throw new MfaInteractionRequired(settings.authority, opts.loginHint, why, { cause });
    const hintKey = opts.loginHint?.toLowerCase() ?? '';
    let running = entry.interactive.get(hintKey);
    if (!running) {
      running = this.interactive(entry, settings, opts, progress).finally(() => entry.interactive.delete(hintKey));
      entry.interactive.set(hintKey, running);
    }
    return running;
  }

  async signOut(settings: MfaSettings, account?: string): Promise<void> {
    checkSettings(settings);
    const entry = this.client(settings);
    const accounts = await entry.pca.getAllAccounts();
    const targets = account ? accounts.filter((a) => sameUser(a, account)) : accounts;
    const endSession =
      this.options.browserSignOut === false ? undefined : await this.endSessionUrl(settings, targets[0] ?? account);
    for (const a of targets) await entry.pca.signOut({ account: a });
    if (!(await entry.pca.getAllAccounts()).length && (await entry.cache.clearIfNoAccount()))
      await forgetSettings(entry.cache.file);
    if (endSession && settings.postLogoutUri) {
      try {
        await showSignInPage(settings, { url: endSession, doneUrl: settings.postLogoutUri }, this.hosts());
      } catch (err) {
        this.warn(
          `Signed out of KeyTalk Agent, but the identity provider's sign-out page could not be opened: ${(err as Error).message}`,
        );
      }
    }
  }

  /** Who is signed in where, from the caches of every remembered mfa-settings (usernames only, never tokens). */
  async accounts(): Promise<MfaAccountGroup[]> {
    const groups: MfaAccountGroup[] = [];
    for (const settings of await rememberedSettings(this.options.cacheDir, this.warn)) {
      const accounts = await this.client(settings).pca.getAllAccounts();
      if (!accounts.length) continue;
      groups.push({
        authority: normalizeAuthority(settings.authority),
        clientId: settings.clientId,
        endsIdpSession: Boolean(settings.postLogoutUri) && this.options.browserSignOut !== false,
        accounts: accounts.map((a) => ({ username: a.username, ...(a.name ? { name: a.name } : {}) })),
      });
    }
    return groups;
  }

  /** Sign-out from Settings: the remembered mfa-settings of that authority + client, then signOut(). */
  async signOutAccount(authority: string, clientId: string, username: string): Promise<void> {
    const wanted = normalizeAuthority(authority);
    const all = await rememberedSettings(this.options.cacheDir, this.warn);
    const settings = all.find((s) => normalizeAuthority(s.authority) === wanted && s.clientId === clientId);
    if (!settings)
      throw new MfaError(
        'configuration',
        `There is no saved sign-in for ${wanted} (client ${clientId}); nothing to sign out of.`,
      );
    await this.signOut(settings, username);
  }

  /**
   * The IdP's end-session (logout) URL with post_logout_redirect_uri, or undefined when the settings have no
   * post-log-out-uri or the IdP advertises no end-session endpoint.
   */
  async endSessionUrl(settings: MfaSettings, account?: AccountInfo | string): Promise<string | undefined> {
    if (!settings.postLogoutUri) return undefined;
    const authority = normalizeAuthority(settings.authority);
    const info = typeof account === 'string' ? undefined : account;
    const username = typeof account === 'string' ? account : account?.username;
    let endpoint: string | undefined;
    if (authorityKind(authority) === 'oidc') {
      const entry = this.client(settings);
      try {
        const res = await entry.network.sendGetRequestAsync<{ end_session_endpoint?: string }>(
          `${authority}/.well-known/openid-configuration`,
        );
        endpoint = res.status === 200 ? res.body.end_session_endpoint : undefined;
      } catch (err) {
        this.warn(`Cannot read ${authority}'s sign-out endpoint: ${(err as Error).message}`);
        return undefined;
      }
      if (!endpoint) return undefined;
    } else {
      endpoint = `${authority}/oauth2/v2.0/logout`;
    }
    const url = new URL(endpoint);
    url.searchParams.set('client_id', settings.clientId);
    url.searchParams.set('post_logout_redirect_uri', settings.postLogoutUri);
    if (info?.idToken) url.searchParams.set('id_token_hint', info.idToken);
    const hint = (info?.idTokenClaims as { login_hint?: string } | undefined)?.login_hint ?? username;
    if (hint) url.searchParams.set('logout_hint', hint);
    return url.href;
  }

  private async interactive(
    entry: ClientEntry,
    settings: MfaSettings,
    opts: { loginHint?: string; signal?: AbortSignal },
    progress: (s: MfaProgress) => void,
  ): Promise<string> {
    let authUrl: URL | undefined;
    let cancelled: 'user' | 'timeout' | undefined;
    let popup: SignInWindowHandle | undefined;
    const cancel = (why: 'user' | 'timeout') => {
      if (cancelled) return;
      cancelled = why;
      popup?.close();
      if (authUrl) void this.endLoopbackWait(authUrl);
    };
    const onAbort = () => cancel('user');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => cancel('timeout'), this.interactiveTimeoutMs);
    timer.unref?.();
    try {
      const result = await entry.pca.acquireTokenInteractive({
        scopes: settings.scopes,
        ...(opts.loginHint ? { loginHint: opts.loginHint } : {}),
        ...(this.options.prompt ? { prompt: this.options.prompt } : {}),
        ...(loopbackPort(settings.redirectUri) ? { preferredPort: loopbackPort(settings.redirectUri) } : {}),
        successTemplate: SUCCESS_PAGE,
        errorTemplate: ERROR_PAGE,
        openBrowser: async (url) => {
          authUrl = new URL(url);
          if (cancelled || opts.signal?.aborted) {
            cancelled ??= 'user';
            await this.endLoopbackWait(authUrl);
            return;
          }
          progress('waiting-for-browser');
          const doneUrl = authUrl.searchParams.get('redirect_uri') ?? 'http://localhost/';
          // Closing the popup window is the user's "cancel"; the system browser has no such signal.
          popup = await showSignInPage(settings, { url, doneUrl, onClosedByUser: () => cancel('user') }, this.hosts());
          if (cancelled) popup?.close(); // cancelled while the window was being created
        },
      });
      const who = result.account?.username;
      if (opts.loginHint && who && who.toLowerCase() !== opts.loginHint.toLowerCase()) {
        this.warn(`You signed in as ${who}, but the KeyTalk user is ${opts.loginHint}; the server may refuse this sign-in.`);
      }
      await this.remember(entry, settings);
      progress('done');
      return result.accessToken;
    } catch (err) {
      if (cancelled) {
        progress('cancelled');
        throw new MfaError(
          'user-cancelled',
          cancelled === 'timeout'
            ? `No sign-in was completed in the browser within ${Math.round(this.interactiveTimeoutMs / 60_000)} minutes; start it again when ready.`
            : 'The sign-in was cancelled; nothing was saved.',
          'user_canceled',
          { cause: err },
        );
      }
      const explained = explainMfaError(err, this.context(settings, entry));
      if (explained.reason === 'user-cancelled') progress('cancelled');
      throw explained;
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      // Already closed when the redirect was reached; this ends a window left open by an error or timeout.
      popup?.close();
    }
  }

  /**
   * MSAL waits on its loopback listener with no way to cancel. Ending it the way the IdP would on "Cancel" (an
   * access_denied form post carrying the request's own state) makes MSAL stop and close the port cleanly.
   */
  private async endLoopbackWait(authUrl: URL): Promise<void> {
    const redirect = authUrl.searchParams.get('redirect_uri');
    const state = authUrl.searchParams.get('state');
    if (!redirect || !state) return;
    const target = new URL(redirect);
    if (!['localhost', '127.0.0.1'].includes(target.hostname)) return;
    const body = new URLSearchParams({
      error: 'access_denied',
      error_description: 'cancelled in KeyTalk Agent',
      state,
    }).toString();
    await new Promise<void>((resolve) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: target.port,
          path: target.pathname || '/',
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve());
        },
      );
      req.on('error', () => resolve()); // already closed: the sign-in finished or failed on its own
      req.end(body);
    });
  }

  private async remember(entry: ClientEntry, settings: MfaSettings): Promise<void> {
    if (entry.remembered) return;
    try {
      await rememberSettings(entry.cache.file, settings);
      entry.remembered = true;
    } catch (err) {
      this.warn(`Signed in, but Settings will not list this sign-in: ${(err as Error).message}`);
    }
  }

  private hosts() {
    return { openBrowser: this.openBrowser, signInWindow: this.options.signInWindow };
  }

  private async findAccount(entry: ClientEntry, loginHint: string | undefined): Promise<AccountInfo | undefined> {
    const accounts = await entry.pca.getAllAccounts();
    if (loginHint) return accounts.find((a) => sameUser(a, loginHint));
    return accounts[0];
  }

  private context(settings: MfaSettings, entry: ClientEntry) {
    return {
      authority: settings.authority,
      clientId: settings.clientId,
      clockSkewSeconds: entry.network.clockSkewSeconds,
      networkDetail: entry.network.lastFailure,
    };
  }

  private client(settings: MfaSettings): ClientEntry {
    const authority = normalizeAuthority(settings.authority);
    const key = `${authority}|${settings.clientId}`;
    const existing = this.clients.get(key);
    if (existing) return existing;
    const network = new HttpsNetworkClient({
      extraCaPem: this.options.extraCaPem,
      timeoutMs: this.options.networkTimeoutMs,
      now: this.options.now,
    });
    const file = path.join(this.options.cacheDir, `msal-${createHash('sha256').update(key).digest('hex').slice(0, 16)}.cache`);
    const cache = new EncryptedCachePlugin({
      file,
      keyring: this.keyring,
      cacheId: key,
      stateDir: path.dirname(this.options.cacheDir),
      warn: this.warn,
      // Policy lockedRememberSecrets: false covers MFA sign-ins as well as passwords (issue 22).
      mayPersist: async () => !(await (await import('../engine/remember-gate')).rememberForbidden()),
    });
    const { auth, protocolMode } = msalAuthConfig(settings);
    const pca = new PublicClientApplication({
      auth,
      cache: { cachePlugin: cache },
      system: {
        protocolMode,
        networkClient: network,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Error,
          loggerCallback: (_level, message) => this.warn(`MSAL: ${message}`),
        },
      },
    });
    const entry: ClientEntry = { key, pca, network, cache, interactive: new Map() };
    this.clients.set(key, entry);
    return entry;
  }

  /** Path of the encrypted cache for these settings (for support tooling and tests). */
  cacheFile(settings: MfaSettings): string {
    return this.client(settings).cache.file;
  }
}

/** Bad server settings are an MfaError too, so callers handle one error type. */
function checkSettings(settings: MfaSettings): void {
  try {
    validateMfaSettings(settings);
  } catch (err) {
    throw new MfaError('configuration', (err as Error).message, undefined, { cause: err });
  }
}

function sameUser(account: AccountInfo, name: string): boolean {
  const n = name.toLowerCase();
  return account.username.toLowerCase() === n || account.loginHint?.toLowerCase() === n;
}
