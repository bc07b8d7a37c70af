import { describe, expect, it, vi } from 'vitest';
import { signInNavigation } from '../../app/mfa/sign-in-window';
import { createSignInWindowOpener, SIGN_IN_PARTITION } from './sign-in-window';
import type { WindowFactory } from './window-manager';

type Listener = (...args: unknown[]) => void;

/** A BrowserWindow stand-in that records its options and lets the test fire its and its WebContents' events. */
function fakeWindows() {
  function makeWindow(options: Record<string, unknown>) {
    const events = new Map<string, Listener[]>();
    const contentsEvents = new Map<string, Listener[]>();
    const add = (m: Map<string, Listener[]>) => (e: string, fn: Listener) => void m.set(e, [...(m.get(e) ?? []), fn]);
    let destroyed = false;
    const w = {
      options,
      url: undefined as string | undefined,
      closes: 0,
      loadURL: vi.fn(async (url: string) => void (w.url = url)),
      show: vi.fn(),
      isDestroyed: () => destroyed,
      on: add(events),
      once: add(events),
      close: () => {
        w.closes++;
        if (destroyed) return;
        destroyed = true;
        for (const fn of events.get('closed') ?? []) fn();
      },
      openHandler: undefined as undefined | ((d: { url: string }) => { action: string }),
      webContents: {
        on: add(contentsEvents),
        setWindowOpenHandler: (fn: (d: { url: string }) => { action: string }) => void (w.openHandler = fn),
      },
      /** Fires a will-navigate / will-redirect and says whether the navigation was prevented. */
      navigate(event: 'will-navigate' | 'will-redirect', url: string, isMainFrame = true): boolean {
        let prevented = false;
        const e = { url, isMainFrame, preventDefault: () => void (prevented = true) };
        for (const fn of contentsEvents.get(event) ?? []) fn(e, url);
        return prevented;
      },
      fire(event: string, ...args: unknown[]) {
        for (const fn of contentsEvents.get(event) ?? []) fn({}, ...args);
      },
    };
    return w;
  }
  const made: Array<ReturnType<typeof makeWindow>> = [];
  const create = (o: Record<string, unknown>) => made[made.push(makeWindow(o)) - 1];
  return { made, create: create as unknown as WindowFactory };
}

const IDP = 'https://idp.example:8443';
const page = (over: Partial<Parameters<ReturnType<typeof createSignInWindowOpener>>[0]> = {}) => ({
  url: `${IDP}/auth?client_id=c&redirect_uri=http%3A%2F%2Flocalhost%3A51234&state=s`,
  allowedOrigins: [IDP],
  doneUrl: 'http://localhost:51234',
  ...over,
});

describe('MFA sign-in window (mfa-popups in Electron)', () => {
  it('is locked down: no preload, sandbox, context isolation, no node, its own session; loads the authority URL', async () => {
    const f = fakeWindows();
    await createSignInWindowOpener(f.create)(page());
    const w = f.made[0]!;
    const prefs = w.options.webPreferences as Record<string, unknown>;
    expect('preload' in prefs).toBe(false);
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      partition: SIGN_IN_PARTITION,
    });
    expect(w.url).toBe(page().url);
    expect(w.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(w.openHandler!({ url: `${IDP}/help` })).toEqual({ action: 'deny' });
  });

  it('navigates only within the authority origin and to the loopback redirect', async () => {
    const f = fakeWindows();
    await createSignInWindowOpener(f.create)(page());
    const w = f.made[0]!;
    expect(w.navigate('will-navigate', `${IDP}/interaction/abc/login`)).toBe(false);
    expect(w.navigate('will-redirect', `${IDP}/interaction/abc/consent`)).toBe(false);
    for (const url of [
      'https://evil.example/phish',
      'https://idp.example/other-port', // same host, other origin
      `http://idp.example:8443/auth`, // downgraded to http
      'https://user:pw@idp.example:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'app://keytalk/index.html',
      'http://localhost:9999/', // a loopback port that is not this sign-in's
    ]) {
      expect(w.navigate('will-navigate', url), url).toBe(true);
      expect(w.navigate('will-redirect', url), url).toBe(true);
    }
    expect(w.closes).toBe(0); // refused navigations open nothing and close nothing
    // the IdP's form_post to MSAL's loopback listener goes through, so MSAL receives the code
    expect(w.navigate('will-navigate', 'http://localhost:51234/')).toBe(false);
  });

  it('closes itself once the loopback redirect answered, without reporting a cancel', async () => {
    const f = fakeWindows();
    const onClosedByUser = vi.fn();
    await createSignInWindowOpener(f.create)(page({ onClosedByUser }));
    const w = f.made[0]!;
    w.navigate('will-navigate', 'http://localhost:51234/');
    w.fire('did-navigate', 'http://localhost:51234/', 200);
    expect(w.isDestroyed()).toBe(true);
    expect(onClosedByUser).not.toHaveBeenCalled();
  });

  it('closing the window by hand cancels the sign-in', async () => {
    const f = fakeWindows();
    const onClosedByUser = vi.fn();
    await createSignInWindowOpener(f.create)(page({ onClosedByUser }));
    f.made[0]!.close();
    expect(onClosedByUser).toHaveBeenCalledTimes(1);
  });

  it('closing it from the core (UI cancel, timeout) does not report a user close', async () => {
    const f = fakeWindows();
    const onClosedByUser = vi.fn();
    const handle = await createSignInWindowOpener(f.create)(page({ onClosedByUser }));
    handle.close();
    handle.close();
    expect(f.made[0]!.isDestroyed()).toBe(true);
    expect(onClosedByUser).not.toHaveBeenCalled();
  });

  it('a sign-out ends at the post-log-out-uri: not loaded, the window closes', async () => {
    const f = fakeWindows();
    await createSignInWindowOpener(f.create)(
      page({ url: `${IDP}/session/end?x=1`, doneUrl: 'https://keytalk.example/signed-out' }),
    );
    const w = f.made[0]!;
    expect(w.navigate('will-redirect', 'https://keytalk.example/signed-out?state=1')).toBe(true);
    expect(w.isDestroyed()).toBe(true);
  });

  it('refuses to open a page outside the allowed origins or over http', async () => {
    const f = fakeWindows();
    const open = createSignInWindowOpener(f.create);
    await expect(open(page({ url: 'https://evil.example/auth' }))).rejects.toThrow(/not the identity provider's origin/);
    await expect(
      open(page({ url: 'http://idp.example:8443/auth', allowedOrigins: ['http://idp.example:8443'] })),
    ).rejects.toThrow();
    expect(f.made).toHaveLength(0);
  });

  it('frames inside the IdP page are not the window: their navigations are left alone', async () => {
    const f = fakeWindows();
    await createSignInWindowOpener(f.create)(page());
    expect(f.made[0]!.navigate('will-navigate', 'https://captcha.example/frame', false)).toBe(false);
    expect(signInNavigation(page(), 'https://captcha.example/frame')).toBe('deny');
  });
});
