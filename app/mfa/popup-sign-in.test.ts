import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test-support/oidc/browser-sign-in';
import { chromiumSignInWindow } from '../../test-support/oidc/chromium-sign-in-window';
import { startTestIdp, type TestIdp } from '../../test-support/oidc/test-idp';
import { MemorySecretStore } from '../system/secret-store';
import { MfaError } from './errors';
import type { MfaProgress, MfaSettings } from './mfa-sign-in';
import { MsalMfaSignIn, type MsalMfaSignInOptions } from './msal-mfa-sign-in';

// The popup variant (kind mfa-popups with a host window injected) against the real test IdP in real Chromium; the
// window's navigation rules are the ones Electron's sign-in window applies (shared signInNavigation()).
let idp: TestIdp;
let browser: Browser;
let context: BrowserContext;
let tmp: string;
const landing = 'https://keytalk.example/signed-out';

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mfa-popup-test-'));
  idp = await startTestIdp({ postLogoutRedirectUris: [landing], autoConsent: true });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...idp.chromiumArgs] });
  context = await browser.newContext();
});

afterAll(async () => {
  await browser?.close();
  await idp?.stop();
  await fs.rm(tmp, { recursive: true, force: true });
});

const settings = (kind: MfaSettings['kind'] = 'mfa-popups'): MfaSettings => ({
  kind,
  clientId: idp.clientId,
  authority: idp.issuer,
  scopes: idp.resourceScopes,
  postLogoutUri: landing,
});
const user = () => idp.users[0]!;

let n = 0;
function setup(extra: Partial<MsalMfaSignInOptions> = {}) {
  const win = chromiumSignInWindow(context);
  const systemBrowser: string[] = [];
  const make = () =>
    new MsalMfaSignIn({
      cacheDir: path.join(tmp, `cache-${++n}`),
      secrets: new MemorySecretStore(),
      extraCaPem: [idp.caPem],
      warn: () => undefined,
      openBrowser: async (url) => void systemBrowser.push(url),
      signInWindow: win.opener,
      ...extra,
    });
  return { win, systemBrowser, signIn: make() };
}

async function signInOnPage(page: Page): Promise<void> {
  await page.waitForSelector('#password', { timeout: 15_000 });
  await page.fill('#username', user().username);
  await page.fill('#password', user().password);
  await page.click('#sign-in');
}

describe('MFA sign-in in a popup window (mfa-popups inside Electron)', () => {
  it('signs in inside the window, never leaves the IdP origin, and the window closes at the loopback redirect', async () => {
    const { win, systemBrowser, signIn } = setup();
    const states: MfaProgress[] = [];
    const pending = signIn.acquireToken(settings(), {
      unattended: false,
      loginHint: user().username,
      onProgress: (s) => states.push(s),
    });
    await expect.poll(() => win.page(), { timeout: 15_000 }).toBeDefined();
    await signInOnPage(win.page()!);
    const token = await pending;

    expect(token.split('.')).toHaveLength(3);
    expect(systemBrowser).toEqual([]); // no system browser for mfa-popups when the host has a window
    const shown = win.shown[0]!;
    expect(shown.allowedOrigins).toEqual([new URL(idp.issuer).origin]);
    expect(shown.doneUrl).toMatch(/^http:\/\/localhost:\d+/);
    expect(new URL(shown.url).searchParams.get('code_challenge_method')).toBe('S256'); // still PKCE + loopback
    expect(win.navigations.filter((nav) => nav.decision === 'deny')).toEqual([]);
    expect(win.navigations.at(-1)).toMatchObject({ decision: 'done' });
    // Closed by the redirect: either the window saw the loopback page load ('done') or, a moment earlier, the core
    // finished with the code MSAL received from that very request ('core'). Never reported as a user cancel.
    expect(win.closes).toHaveLength(1);
    expect(['done', 'core']).toContain(win.closes[0]);
    expect(states).toEqual(['silent', 'waiting-for-browser', 'done']);
  });

  it('closing the window cancels the sign-in: "user cancelled", loopback port closed, nothing stored', async () => {
    const { win, signIn } = setup();
    const states: MfaProgress[] = [];
    const settled = signIn
      .acquireToken(settings(), { unattended: false, loginHint: user().username, onProgress: (s) => states.push(s) })
      .catch((e: unknown) => e);
    await expect.poll(() => win.page(), { timeout: 15_000 }).toBeDefined();
    await win.page()!.waitForSelector('#password', { timeout: 15_000 });
    await win.closeByUser();

    const err = await settled;
    expect(err).toBeInstanceOf(MfaError);
    expect(err).toMatchObject({ reason: 'user-cancelled', message: 'The sign-in was cancelled; nothing was saved.' });
    expect(states.at(-1)).toBe('cancelled');
    const port = Number(new URL(win.shown[0]!.doneUrl).port);
    await expect(
      new Promise((resolve, reject) => http.get({ host: '127.0.0.1', port, path: '/' }, resolve).on('error', reject)),
    ).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    await expect(fs.stat(signIn.cacheFile(settings()))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('cancel in the agent (abort signal) closes the window too', async () => {
    const { win, signIn } = setup();
    const controller = new AbortController();
    const settled = signIn.acquireToken(settings(), { unattended: false, signal: controller.signal }).catch((e: unknown) => e);
    await expect.poll(() => win.page(), { timeout: 15_000 }).toBeDefined();
    controller.abort();
    expect(await settled).toMatchObject({ reason: 'user-cancelled' });
    expect(win.closes).toEqual(['core']);
  });

  it('sign-out shows the end-session page in the window and closes it at the post-log-out-uri without loading it', async () => {
    const { win, signIn } = setup();
    const pending = signIn.acquireToken(settings(), { unattended: false, loginHint: user().username });
    await expect.poll(() => win.page(), { timeout: 15_000 }).toBeDefined();
    await signInOnPage(win.page()!);
    await pending;

    await signIn.signOut(settings(), user().username);
    const page = win.page()!;
    expect(new URL(win.shown[1]!.url).pathname).toBe('/session/end');
    expect(win.shown[1]!.doneUrl).toBe(landing);
    await page.waitForSelector('#logout-yes', { timeout: 15_000 });
    await page.click('#logout-yes');
    await expect.poll(() => win.closes.length, { timeout: 15_000 }).toBe(2);
    expect(win.closes[1]).toBe('done'); // closed by reaching the post-log-out-uri, not by the core or the user
    expect(win.navigations.at(-1)).toMatchObject({ decision: 'done' });
    expect(win.navigations.at(-1)!.url.startsWith(landing)).toBe(true);
  });
});

describe('mfa-popups where there is no Electron window (CLI, daemon, browser host)', () => {
  it('falls back to the system browser; mfa-redirection always uses the system browser', async () => {
    for (const [kind, withWindow] of [
      ['mfa-popups', false],
      ['mfa-redirection', true],
    ] as const) {
      const { win, systemBrowser, signIn } = setup(withWindow ? {} : { signInWindow: undefined });
      const controller = new AbortController();
      const settled = signIn
        .acquireToken(settings(kind), { unattended: false, signal: controller.signal })
        .catch((e: unknown) => e);
      await expect.poll(() => systemBrowser.length, { timeout: 15_000 }).toBe(1);
      controller.abort();
      expect(await settled).toMatchObject({ reason: 'user-cancelled' });
      expect(new URL(systemBrowser[0]!).origin).toBe(new URL(idp.issuer).origin);
      expect(win.shown).toEqual([]);
    }
  });
});
