import type { BrowserContext, Page } from 'playwright';
import { isLoopbackUrl, signInNavigation, type SignInWindowOpener, type SignInWindowPage } from '../../app/mfa/sign-in-window';

export interface ChromiumSignInWindow {
  /** Hand this to MsalMfaSignIn as `signInWindow`. */
  opener: SignInWindowOpener;
  /** Each page the core asked to show. */
  readonly shown: SignInWindowPage[];
  /** Every main-frame navigation with the window's decision. */
  readonly navigations: Array<{ url: string; decision: string }>;
  /** How each window ended: closed by itself (redirect reached / sign-out done), by the core, or by the user. */
  readonly closes: Array<'done' | 'core' | 'user'>;
  /** The current window's page (the test drives the IdP's forms in it). */
  page(): Page | undefined;
  /** The user closes the window with its close button. */
  closeByUser(): Promise<void>;
}

/**
 * The Electron sign-in window's behaviour (main/windows/sign-in-window.ts) reproduced in real Chromium, so the core's
 * popup variant runs against the real IdP: every main-frame navigation passes `signInNavigation` (refused ones are
 * aborted), the loopback redirect goes through and then closes the window, and a close by the user reports a cancel.
 */
export function chromiumSignInWindow(context: BrowserContext): ChromiumSignInWindow {
  const shown: SignInWindowPage[] = [];
  const navigations: ChromiumSignInWindow['navigations'] = [];
  const closes: ChromiumSignInWindow['closes'] = [];
  let current: { page: Page; spec: SignInWindowPage; ended: boolean } | undefined;

  const end = async (how: 'done' | 'core' | 'user') => {
    const win = current;
    if (!win || win.ended) return;
    win.ended = true;
    closes.push(how);
    await win.page.close().catch(() => undefined);
    if (how === 'user') win.spec.onClosedByUser?.();
  };

  const opener: SignInWindowOpener = async (spec) => {
    // One in-memory session per agent process, like the Electron partition: cleared when this stand-in first opens.
    if (!shown.length) await context.clearCookies();
    shown.push(spec);
    const page = await context.newPage();
    const win = { page, spec, ended: false };
    current = win;
    await page.route('**/*', async (route) => {
      const request = route.request();
      if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return route.continue();
      const url = request.url();
      const decision = signInNavigation(spec, url);
      navigations.push({ url, decision });
      if (decision === 'allow') return route.continue();
      if (decision === 'done' && isLoopbackUrl(new URL(url))) {
        // MSAL's listener must receive the form post; the window closes once it has answered.
        await route.continue();
        page.once('load', () => void end('done'));
        return;
      }
      await route.abort('blockedbyclient');
      if (decision === 'done') await end('done');
    });
    void page.goto(spec.url).catch(() => undefined);
    return { close: () => void end('core') };
  };

  return {
    opener,
    shown,
    navigations,
    closes,
    page: () => current?.page,
    closeByUser: () => end('user'),
  };
}
