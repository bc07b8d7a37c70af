import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { chromium, type Browser, type BrowserContext } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserDriver, CHROMIUM_ARGS, CHROMIUM_PATH, type BrowserDriver } from '../../test-support/oidc/browser-sign-in';
import { startTestIdp, type TestIdp } from '../../test-support/oidc/test-idp';
import { MemorySecretStore } from '../system/secret-store';
import { MfaError, MfaInteractionRequired } from './errors';
import type { MfaProgress, MfaSettings } from './mfa-sign-in';
import { MsalMfaSignIn, type MsalMfaSignInOptions } from './msal-mfa-sign-in';

// One IdP, one Chromium and one post-logout landing server for the whole file; each test gets its own cache folder.
let idp: TestIdp;
let browser: Browser;
/** One browser profile for the file (a new one per test costs seconds on a busy machine); drivers clear its cookies. */
let context: BrowserContext;
let tmp: string;
let landing: http.Server;
let landingUrl: string;
const landed: string[] = [];

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mfa-test-'));
  landing = http.createServer((req, res) => {
    // Only the redirect itself: Chromium also asks for /favicon.ico, at a moment of its choosing.
    if (req.url?.startsWith('/signed-out')) landed.push(req.url);
    res.end('<p id="landed">back in the agent</p>');
  });
  await new Promise<void>((r) => landing.listen(0, '127.0.0.1', () => r()));
  landingUrl = `http://127.0.0.1:${(landing.address() as AddressInfo).port}/signed-out`;
  idp = await startTestIdp({ postLogoutRedirectUris: [landingUrl] });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...idp.chromiumArgs] });
  context = await browser.newContext();
});

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});

afterAll(async () => {
  await browser?.close();
  await idp?.stop();
  landing?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

function settings(overrides: Partial<MfaSettings> = {}): MfaSettings {
  return {
    kind: 'mfa-popups',
    clientId: idp.clientId,
    authority: idp.issuer,
    scopes: idp.resourceScopes,
    postLogoutUri: landingUrl,
    ...overrides,
  };
}

let n = 0;
const drivers: BrowserDriver[] = [];
interface Harness {
  signIn: MsalMfaSignIn;
  driver: BrowserDriver;
  secrets: MemorySecretStore;
  warnings: string[];
  cacheDir: string;
  /** A second agent process: same cache folder and secret store, nothing in memory. */
  restart(extra?: Partial<MsalMfaSignInOptions>): MsalMfaSignIn;
}

async function harness(extra: Partial<MsalMfaSignInOptions> = {}, shareSession = false): Promise<Harness> {
  const cacheDir = path.join(tmp, `cache-${++n}`);
  const secrets = new MemorySecretStore();
  const warnings: string[] = [];
  const driver = browserDriver(browser, idp.users[0]!, { shareSession, context });
  drivers.push(driver);
  const make = (more: Partial<MsalMfaSignInOptions> = {}) =>
    new MsalMfaSignIn({
      cacheDir,
      secrets,
      openBrowser: driver.openBrowser,
      extraCaPem: [idp.caPem],
      warn: (m) => warnings.push(m),
      ...extra,
      ...more,
    });
  return { signIn: make(), driver, secrets, warnings, cacheDir, restart: make };
}

const user = () => idp.users[0]!.username;

/** The server-side check, as the KeyTalk server would do it: JWKS fetched over HTTPS (trusting the IdP's CA), then signature, issuer, audience, expiry. */
async function verify(token: string) {
  const jwks = await new Promise<JSONWebKeySet>((resolve, reject) => {
    https
      .get(idp.jwksUri, { ca: idp.caPem }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as JSONWebKeySet));
      })
      .on('error', reject);
  });
  return jwtVerify(token, createLocalJWKSet(jwks), { issuer: idp.issuer, audience: idp.audience, typ: 'at+jwt' });
}

describe('MsalMfaSignIn against a real OpenID provider', () => {
  it('signs in through the system browser, returns a JWT the server validates with the JWKS, caches it encrypted', async () => {
    const h = await harness();
    const states: MfaProgress[] = [];
    const consentBefore = idp.consentPagesShown();
    const token = await h.signIn.acquireToken(settings(), {
      unattended: false,
      loginHint: user(),
      onProgress: (s) => states.push(s),
    });
    expect(idp.consentPagesShown()).toBe(consentBefore + 1);
    // The other tests do not look at the consent page; skip it for them (as after an admin consent).
    idp.setAutoConsent(true);

    expect(states).toEqual(['silent', 'waiting-for-browser', 'done']);
    expect(h.driver.opened).toHaveLength(1);
    const auth = new URL(h.driver.opened[0]!);
    expect(auth.origin).toBe(idp.issuer);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+$/);
    expect(auth.searchParams.get('login_hint')).toBe(user());

    const { payload } = await verify(token);
    expect(payload.sub).toBe(user());
    expect(String(payload.scope).split(' ')).toContain('mfa.otp');
    expect(payload.exp! * 1000).toBeGreaterThan(Date.now());

    const file = h.signIn.cacheFile(settings());
    const stat = await fs.stat(file);
    expect(stat.mode & 0o777).toBe(0o600);
    const raw = await fs.readFile(file);
    expect(raw.subarray(0, 4).toString()).toBe('KTMC');
    expect(raw.includes(Buffer.from(token.slice(0, 30)))).toBe(false);
    expect(raw.includes(Buffer.from('alice'))).toBe(false);

    // A restarted agent (same cache folder and secret store) renews silently: no browser, no IdP round trip.
    const grantsBefore = idp.grants.length;
    const authorizeBefore = idp.authorizeCount();
    const silentStates: MfaProgress[] = [];
    const again = await h
      .restart()
      .acquireToken(settings(), { unattended: true, loginHint: user(), onProgress: (s) => silentStates.push(s) });
    expect(again).toBe(token);
    expect(silentStates).toEqual(['silent', 'done']);
    expect(h.driver.opened).toHaveLength(1);
    expect(idp.grants.length).toBe(grantsBefore);
    expect(idp.authorizeCount()).toBe(authorizeBefore);
  });

  it('uses the refresh token when the access token is close to expiry (unattended, no browser)', async () => {
    idp.setAccessTokenTtl(120); // inside MSAL's 5-minute renewal margin, so every silent call refreshes
    try {
      const h = await harness();
      // Two renewals at the same moment share one browser sign-in.
      const [first, twin] = await Promise.all([
        h.signIn.acquireToken(settings(), { unattended: false, loginHint: user() }),
        h.signIn.acquireToken(settings(), { unattended: false, loginHint: user() }),
      ]);
      expect(twin).toBe(first);
      expect(h.driver.opened).toHaveLength(1);
      const before = idp.grants.length;
      const second = await h.restart().acquireToken(settings(), { unattended: true, loginHint: user() });
      expect(second).not.toBe(first);
      expect(idp.grants.slice(before)).toEqual([{ grantType: 'refresh_token', ok: true }]);
      expect(h.driver.opened).toHaveLength(1);
      await verify(second);
    } finally {
      idp.setAccessTokenTtl(3600);
    }
  });

  it('expired or revoked refresh token: unattended asks for the popup (MfaInteractionRequired), attended signs in again in the browser', async () => {
    idp.setAccessTokenTtl(120);
    try {
      const h = await harness();
      await h.signIn.acquireToken(settings(), { unattended: false, loginHint: user() });
      expect(idp.expireRefreshTokens()).toBeGreaterThan(0);

      const unattended = h.restart().acquireToken(settings(), { unattended: true, loginHint: user() });
      await expect(unattended).rejects.toBeInstanceOf(MfaInteractionRequired);
      await expect(unattended).rejects.toMatchObject({ reason: 'interaction-required', loginHint: user() });
      expect(h.driver.opened).toHaveLength(1);
      expect(idp.grants.at(-1)).toMatchObject({ grantType: 'refresh_token', ok: false, error: 'invalid_grant' });

      const attended = h.restart();
      await verify(await attended.acquireToken(settings(), { unattended: false, loginHint: user() }));
      expect(h.driver.opened).toHaveLength(2);

      // An admin revoking the new sign-in (grant and refresh tokens deleted) has the same effect, still no browser.
      expect(idp.revokeRefreshTokens()).toBeGreaterThan(0);
      await expect(attended.acquireToken(settings(), { unattended: true, loginHint: user() })).rejects.toBeInstanceOf(
        MfaInteractionRequired,
      );
      expect(h.driver.opened).toHaveLength(2);
    } finally {
      idp.setAccessTokenTtl(3600);
    }
  });

  it('no saved sign-in + unattended: MfaInteractionRequired without touching the browser', async () => {
    const h = await harness();
    const err = await h.signIn.acquireToken(settings(), { unattended: true, loginHint: user() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MfaInteractionRequired);
    expect((err as Error).message).toContain('no saved sign-in');
    expect(h.driver.opened).toHaveLength(0);
  });

  it('user denies consent: explained, nothing stored', async () => {
    idp.setAutoConsent(false);
    try {
      const h = await harness();
      h.driver.behaviour = 'deny-consent';
      const err = await h.signIn.acquireToken(settings(), { unattended: false, loginHint: user() }).catch((e: unknown) => e);
      expect(err).toMatchObject({ reason: 'user-cancelled' });
      await expect(fs.stat(h.signIn.cacheFile(settings()))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      idp.setAutoConsent(true);
    }
  });

  it('user presses Cancel on the IdP page: clean "cancelled" error, nothing stored', async () => {
    const h = await harness();
    h.driver.behaviour = 'cancel';
    const states: MfaProgress[] = [];
    const err = await h.signIn
      .acquireToken(settings(), { unattended: false, loginHint: user(), onProgress: (s) => states.push(s) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MfaError);
    expect(err).toMatchObject({ reason: 'user-cancelled' });
    expect((err as Error).message).toMatch(/cancelled/);
    expect(states).toEqual(['silent', 'waiting-for-browser', 'cancelled']);
    await expect(fs.stat(h.signIn.cacheFile(settings()))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('user closes the browser page and cancels in the agent (abort signal): clean error, loopback port closed, nothing stored', async () => {
    const h = await harness();
    h.driver.behaviour = 'leave-open';
    const controller = new AbortController();
    const states: MfaProgress[] = [];
    const pending = h.signIn.acquireToken(settings(), {
      unattended: false,
      loginHint: user(),
      signal: controller.signal,
      onProgress: (s) => states.push(s),
    });
    const settled = pending.catch((e: unknown) => e);
    await expect.poll(() => h.driver.pages.length, { timeout: 15_000 }).toBe(1);
    await h.driver.pages[0]!.close();
    controller.abort();
    const err = await settled;
    expect(err).toMatchObject({ reason: 'user-cancelled' });
    expect(states.at(-1)).toBe('cancelled');
    const port = Number(new URL(new URL(h.driver.opened[0]!).searchParams.get('redirect_uri')!).port);
    await expect(
      new Promise((resolve, reject) => http.get({ host: '127.0.0.1', port, path: '/' }, resolve).on('error', reject)),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(fs.stat(h.signIn.cacheFile(settings()))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a tampered cache file is cleared with a warning, not a crash, and the user is asked to sign in', async () => {
    const h = await harness();
    await h.signIn.acquireToken(settings(), { unattended: false, loginHint: user() });
    const file = h.signIn.cacheFile(settings());
    const blob = await fs.readFile(file);
    blob[blob.length - 10]! ^= 0x01;
    await fs.writeFile(file, blob);

    const restarted = h.restart();
    await expect(restarted.acquireToken(settings(), { unattended: true, loginHint: user() })).rejects.toBeInstanceOf(
      MfaInteractionRequired,
    );
    expect(h.warnings.some((w) => w.includes('could not be read') && w.includes('integrity check failed'))).toBe(true);
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('sign-out clears that account from the cache and ends the IdP session in the browser, landing on the post-log-out-uri', async () => {
    const h = await harness({}, true);
    await h.signIn.acquireToken(settings(), { unattended: false, loginHint: user() });
    const endSession = new URL((await h.signIn.endSessionUrl(settings(), user()))!);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(landingUrl);
    expect(endSession.searchParams.get('client_id')).toBe(idp.clientId);
    expect(endSession.searchParams.get('logout_hint')).toBe(user());

    const landedBefore = landed.length;
    await h.restart().signOut(settings(), user());
    expect(h.driver.opened).toHaveLength(2);
    const opened = new URL(h.driver.opened[1]!);
    expect(opened.pathname).toBe('/session/end');
    expect(opened.searchParams.get('id_token_hint')).toBeTruthy();
    expect(h.driver.pages.at(-1)!.url()).toMatch(new RegExp(`^${landingUrl}`));
    expect(landed.length).toBe(landedBefore + 1);

    await expect(fs.stat(h.signIn.cacheFile(settings()))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(h.restart().acquireToken(settings(), { unattended: true, loginHint: user() })).rejects.toBeInstanceOf(
      MfaInteractionRequired,
    );
  });

  it('an IdP that gives refresh tokens only with prompt=consent works with the prompt option', async () => {
    const strict = await startTestIdp({ strictOfflineAccess: true, tls: idp.tls, accessTokenTtlSeconds: 120 });
    try {
      const s = settings({ authority: strict.issuer, postLogoutUri: undefined });
      const withConsent = await harness({ prompt: 'consent' });
      await withConsent.signIn.acquireToken(s, { unattended: false, loginHint: user() });
      expect(new URL(withConsent.driver.opened[0]!).searchParams.get('prompt')).toBe('consent');
      const renewed = await withConsent.restart().acquireToken(s, { unattended: true, loginHint: user() });
      expect(strict.grants.at(-1)).toEqual({ grantType: 'refresh_token', ok: true });
      expect(renewed).toBeTruthy();
    } finally {
      await strict.stop();
    }
  });

  it('an IdP that does not answer is reported as unreachable, in words', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const h = await harness();
    const err = await h.signIn
      .acquireToken(settings({ authority: `https://127.0.0.1:${port}` }), { unattended: false, loginHint: user() })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'idp-unreachable' });
    expect((err as Error).message).toContain(`Cannot reach the identity provider https://127.0.0.1:${port}`);
    expect(h.driver.opened).toHaveLength(0);
  });

  it('a browser that cannot be opened fails the sign-in cleanly; bad settings are a configuration MfaError', async () => {
    const h = await harness({
      openBrowser: async () => Promise.reject(new Error('could not open the web browser to sign in (xdg-open is not installed)')),
    });
    const states: MfaProgress[] = [];
    const err = await h.signIn
      .acquireToken(settings(), { unattended: false, loginHint: user(), onProgress: (s) => states.push(s) })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'failed' });
    expect((err as Error).message).toContain('xdg-open is not installed');
    expect(states).toEqual(['silent', 'waiting-for-browser']);

    const bad = await h.signIn
      .acquireToken(settings({ authority: 'http://127.0.0.1/insecure' }), { unattended: true })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(MfaError);
    expect(bad).toMatchObject({ reason: 'configuration' });
    expect((bad as Error).message).toMatch(/must use https/);
  });

  it('does not trust the IdP without its CA (no process-wide TLS switch)', async () => {
    const h = await harness({ extraCaPem: [] });
    const err = await h.signIn.acquireToken(settings(), { unattended: false, loginHint: user() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'idp-unreachable' });
    expect((err as Error).message).toMatch(/not trusted/);
    expect(h.driver.opened).toHaveLength(0);
  });
});
