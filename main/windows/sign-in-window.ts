import type { Event, WebPreferences } from 'electron';
import {
  isLoopbackUrl,
  reachesDoneUrl,
  signInNavigation,
  type SignInWindowOpener,
  type SignInWindowPage,
} from '../../app/mfa/sign-in-window';
import { lockedDownWebPreferences, type WindowFactory, type WindowLike } from './window-manager';

/**
 * In-memory session for the IdP's pages: their cookies stay apart from the app's session and go with the process.
 * start-main.ts recognises the sign-in window's WebContents by this session and leaves its navigation rules to
 * this module instead of the app windows' deny-all rules.
 */
export const SIGN_IN_PARTITION = 'keytalk-mfa-sign-in';

/** No preload (so no window.keytalk and no IPC at all), sandboxed, isolated, no node, its own session. */
export function signInWebPreferences(): WebPreferences {
  return { ...lockedDownWebPreferences(), partition: SIGN_IN_PARTITION };
}

type NavigationEvent = Event & { url?: string; isMainFrame?: boolean };

/**
 * The popup variant of MFA sign-in (mfa-settings kind `mfa-popups`) inside Electron: the IdP's page in a BrowserWindow
 * owned by main, with MSAL's loopback redirect and PKCE unchanged. The window may navigate only within the allowed
 * origins (the authority's); it lets the navigation to the loopback redirect through so MSAL receives the code, then
 * closes itself. Closing it by hand cancels the sign-in. Anything else (other sites, new windows) opens nothing.
 */
export function createSignInWindowOpener(
  create: WindowFactory,
  options: { icon?: string; title?: () => string } = {},
): SignInWindowOpener {
  return async (page) => {
    if (signInNavigation(page, page.url) !== 'allow')
      throw new Error(
        `refusing to show ${new URL(page.url).origin} in the sign-in window: it is not the identity provider's origin`,
      );
    const win = create({
      width: 520,
      height: 680,
      show: false,
      minimizable: false,
      maximizable: false,
      title: options.title?.() ?? 'Sign in – KeyTalk Agent', // in the UI's language when start-main passes it
      ...(options.icon ? { icon: options.icon } : {}),
      webPreferences: signInWebPreferences(),
    });
    let done = false;
    const close = () => {
      done = true;
      if (!win.isDestroyed()) win.close();
    };
    guardNavigation(win, page, () => (done = true), close);
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      if (!done) page.onClosedByUser?.();
      done = true;
    });
    void win.loadURL(page.url).catch(() => undefined); // a failed load shows Chromium's error page; the user closes it to cancel
    return { close };
  };
}

function guardNavigation(win: WindowLike, page: SignInWindowPage, reachedDone: () => void, close: () => void): void {
  const contents = win.webContents;
  const check = (event: NavigationEvent, legacyUrl?: string) => {
    if (event.isMainFrame === false) return; // frames inside the IdP page carry no privilege and cannot move the window
    const url = event.url ?? legacyUrl ?? '';
    const decision = signInNavigation(page, url);
    if (decision === 'allow') return;
    if (decision === 'done' && isLoopbackUrl(new URL(url))) {
      reachedDone(); // MSAL's loopback listener must receive this request; the window closes once it answered
      return;
    }
    event.preventDefault();
    if (decision === 'done') close(); // a sign-out's post-log-out-uri: done, and not loaded
  };
  contents.on('will-navigate', check as never);
  contents.on('will-redirect', check as never);
  contents.on('did-navigate', ((_e: Event, url: string) => {
    if (reachesDoneUrl(url, page.doneUrl)) close();
  }) as never);
  contents.on('did-fail-load', ((_e: Event, _code: number, _desc: string, url: string, isMainFrame: boolean) => {
    if (isMainFrame && reachesDoneUrl(url, page.doneUrl)) close();
  }) as never);
  contents.on('will-attach-webview', ((event: Event) => event.preventDefault()) as never);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
