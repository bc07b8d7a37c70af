/**
 * The injection point for the popup variant of MFA sign-in (mfa-settings kind `mfa-popups`): a host that can show
 * the IdP's pages in a window of its own (Electron main, `main/windows/sign-in-window.ts`) passes a
 * `SignInWindowOpener` to the core. Everything else here is plain data so `app/` never needs electron.
 * Where no opener is injected (CLI, daemon, browser host) `mfa-popups` uses the system browser like `mfa-redirection`.
 */
export interface SignInWindowPage {
  /** The IdP page to load (authorization or end-session endpoint). */
  url: string;
  /** Origins the window may navigate within: the authority's and the page's own. Anything else opens nothing. */
  allowedOrigins: string[];
  /**
   * Navigation reaching this URL ends the page and closes the window: MSAL's loopback redirect for a sign-in (the
   * window lets that one request through so MSAL receives the code), the post-log-out-uri for a sign-out (not loaded).
   */
  doneUrl: string;
  /** The user closed the window before the page was done: the sign-in is cancelled. */
  onClosedByUser?: () => void;
}

export interface SignInWindowHandle {
  /** Closes the window without reporting a cancel (the sign-in ended another way: UI cancel, timeout, error). */
  close(): void;
}

export type SignInWindowOpener = (page: SignInWindowPage) => Promise<SignInWindowHandle>;

/** Loopback hosts a desktop app may receive redirects on (RFC 8252 §7.3). */
export function isLoopbackUrl(url: URL): boolean {
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** Same origin, and inside the done URL's path: where a page counts as done. */
export function reachesDoneUrl(url: string, doneUrl: string): boolean {
  try {
    const u = new URL(url);
    const done = new URL(doneUrl);
    if (u.origin !== done.origin) return false;
    const base = done.pathname.endsWith('/') ? done.pathname : `${done.pathname}/`;
    return u.pathname === done.pathname || u.pathname.startsWith(base);
  } catch {
    return false;
  }
}

export type SignInNavigation = 'allow' | 'done' | 'deny';

/**
 * What a sign-in window does with a navigation: `done` at the done URL, `allow` within the allowed https origins,
 * `deny` for everything else (other sites, http, file:, javascript:, custom schemes, credentials in the URL).
 */
export function signInNavigation(page: Pick<SignInWindowPage, 'allowedOrigins' | 'doneUrl'>, url: string): SignInNavigation {
  if (reachesDoneUrl(url, page.doneUrl)) return 'done';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'deny';
  }
  if (u.protocol !== 'https:' || u.username || u.password) return 'deny';
  return page.allowedOrigins.includes(u.origin) ? 'allow' : 'deny';
}

/**
 * Shows an IdP page: in the injected sign-in window for `mfa-popups` when the host has one, else in the system
 * browser (then there is no handle: the browser tab is the user's to close).
 */
export async function showSignInPage(
  settings: { kind: 'mfa-popups' | 'mfa-redirection'; authority: string },
  page: { url: string; doneUrl: string; onClosedByUser?: () => void },
  hosts: { openBrowser: (url: string) => Promise<void>; signInWindow?: SignInWindowOpener },
): Promise<SignInWindowHandle | undefined> {
  if (settings.kind !== 'mfa-popups' || !hosts.signInWindow) {
    await hosts.openBrowser(page.url);
    return undefined;
  }
  const allowedOrigins = [...new Set([new URL(settings.authority).origin, new URL(page.url).origin])];
  return hosts.signInWindow({ ...page, allowedOrigins });
}
