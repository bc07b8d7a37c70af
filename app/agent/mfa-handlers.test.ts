import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserDriver, CHROMIUM_ARGS, CHROMIUM_PATH, type BrowserDriver } from '../../test-support/oidc/browser-sign-in';
import { startTestIdp, type TestIdp } from '../../test-support/oidc/test-idp';
import { homeLayout } from '../config/home';
import { dispatch, type RequestHandlers } from '../ipc/dispatcher';
import type { MfaSettings } from '../mfa/mfa-sign-in';
import { MsalMfaSignIn } from '../mfa/msal-mfa-sign-in';
import { MemorySecretStore } from '../system/secret-store';
import { createAgent } from './index';

// mfa:accounts and mfa:sign-out in the real core, over a sign-in made against the real test IdP in Chromium.
let tmp: string;
let idp: TestIdp;
let browser: Browser;
let driver: BrowserDriver;
let landing: http.Server;
let landingUrl: string;
const landed: string[] = [];

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-mfa-handlers-'));
  landing = http.createServer((req, res) => {
    if (req.url?.startsWith('/signed-out')) landed.push(req.url);
    res.end('<p id="signed-out">signed out</p>');
  });
  await new Promise<void>((r) => landing.listen(0, '127.0.0.1', () => r()));
  landingUrl = `http://127.0.0.1:${(landing.address() as AddressInfo).port}/signed-out`;
  idp = await startTestIdp({ postLogoutRedirectUris: [landingUrl], autoConsent: true });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...idp.chromiumArgs] });
  driver = browserDriver(browser, idp.users[0]!, { shareSession: true });
});

afterAll(async () => {
  await driver?.close();
  await browser?.close();
  await idp?.stop();
  landing?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('mfa:accounts / mfa:sign-out (Settings)', () => {
  it('lists the signed-in account per authority (no tokens), across a restart, and signs it out at the IdP', async () => {
    const home = path.join(tmp, 'home');
    const secretStore = new MemorySecretStore();
    const cacheDir = path.join(homeLayout(home).state, 'mfa');
    const msal = () =>
      new MsalMfaSignIn({
        cacheDir,
        secrets: secretStore,
        openBrowser: driver.openBrowser,
        extraCaPem: [idp.caPem],
        warn: () => undefined,
      });
    const agent = (mfa = msal()) =>
      createAgent({ home, userHome: `${home}.user`, secretStore, scheduler: false, engine: { mfa } });
    const settings: MfaSettings = {
      kind: 'mfa-redirection',
      clientId: idp.clientId,
      authority: `${idp.issuer}/`,
      scopes: idp.resourceScopes,
      postLogoutUri: landingUrl,
    };
    const username = idp.users[0]!.username;

    expect(await agent().handlers['mfa:accounts']({})).toEqual([]); // never signed in: MSAL is not even loaded

    const signIn = msal();
    await signIn.acquireToken(settings, { unattended: false, loginHint: username });
    const listed = await agent(signIn).handlers['mfa:accounts']({});
    expect(listed).toEqual([
      { authority: idp.issuer, clientId: idp.clientId, endsIdpSession: true, accounts: [expect.objectContaining({ username })] },
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/eyJ|secret|token/i); // usernames, never a token
    // the remembered settings beside the cache hold no account and no token either
    const remembered = (await fs.readdir(cacheDir)).filter((f) => f.endsWith('.settings.json'));
    expect(remembered).toHaveLength(1);
    const rememberedText = await fs.readFile(path.join(cacheDir, remembered[0]!), 'utf8');
    expect(rememberedText).not.toContain(username);
    expect((await fs.stat(path.join(cacheDir, remembered[0]!))).mode & 0o077).toBe(0);

    // after a restart (nothing in memory) the same, read from the encrypted cache
    const restarted = agent();
    expect(await restarted.handlers['mfa:accounts']({})).toEqual(listed);

    // sign-out through the contract's dispatcher (request validated like any IPC call)
    const call = (channel: string, payload: unknown) => dispatch(restarted.handlers, channel, payload);
    const before = landed.length;
    const opened = driver.opened.length;
    expect(await call('mfa:sign-out', { authority: idp.issuer, clientId: idp.clientId, username })).toMatchObject({
      ok: true,
      value: { ok: true },
    });
    expect(new URL(driver.opened[opened]!).pathname).toBe('/session/end'); // the IdP session ends too
    expect(landed.length).toBe(before + 1); // ...landing on the post-log-out-uri
    expect(await restarted.handlers['mfa:accounts']({})).toEqual([]);
    expect((await fs.readdir(cacheDir)).filter((f) => f.startsWith('msal-'))).toEqual([]); // cache and settings gone

    // the next unattended renewal must ask for a sign-in again
    await expect(msal().acquireToken(settings, { unattended: true, loginHint: username })).rejects.toMatchObject({
      name: 'MfaInteractionRequired',
    });
  });

  it('signing out of an unknown sign-in says so; a malformed request is refused by the contract', async () => {
    const home = path.join(tmp, 'home-empty');
    const handlers: RequestHandlers = createAgent({
      home,
      userHome: `${home}.user`,
      secretStore: new MemorySecretStore(),
      scheduler: false,
    }).handlers;
    const unknown = await dispatch(handlers, 'mfa:sign-out', {
      authority: 'https://idp.example.com/realms/x',
      clientId: 'c',
      username: 'u',
    });
    expect(unknown).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/no saved sign-in for https:\/\/idp\.example\.com\/realms\/x/) },
    });
    const bad = await dispatch(handlers, 'mfa:sign-out', { authority: 'not a url', clientId: 'c', username: 'u' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
  });
});
