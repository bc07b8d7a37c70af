import { promises as fs } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright';
import { MsalMfaSignIn } from '../../app/mfa/msal-mfa-sign-in';
import type { SecretStore } from '../../app/system/secret-store';
import type { FixtureInput } from '../../simulators/keytalk/index';
import { browserDriver, CHROMIUM_ARGS, CHROMIUM_PATH, type BrowserDriver } from './browser-sign-in';
import { startTestIdp, type TestIdp } from './test-idp';

type SimService = FixtureInput['providers'][number]['services'][number];

/** The test IdP, Chromium signing its first user in, and the two ends a KeyTalk MFA service joins. */
export interface MfaIdp {
  idp: TestIdp;
  /** Signs idp.users[0] in; `opened` lists the sign-in pages it was sent to. */
  driver: BrowserDriver;
  /**
   * A simulator service `name` that asks for an MSAL sign-in at this IdP (mfa-popups) after USERID + PASSWD, and
   * accepts only a token of this IdP for its audience and scopes.
   */
  service(name: string): SimService;
  /** The real MsalMfaSignIn trusting the IdP's CA and opening the sign-in in this Chromium. */
  signIn(cacheDir: string, secrets: SecretStore): MsalMfaSignIn;
  stop(): Promise<void>;
}

/** The MFA set-up the engine and log tests share: one IdP (consent given), one Chromium, stopped together. */
export async function startMfaIdp(): Promise<MfaIdp> {
  const idp = await startTestIdp({ autoConsent: true });
  let browser: Browser | undefined;
  try {
    // The simulator reads the IdP's CA from a file to check tokens against its JWKS over TLS.
    const caFile = path.join(idp.tls.dir, 'ca.pem');
    await fs.writeFile(caFile, idp.caPem);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...idp.chromiumArgs] });
    const driver = browserDriver(browser, idp.users[0]!);
    const started = browser;
    return {
      idp,
      driver,
      service: (name) => ({
        name,
        credentials: ['USERID', 'PASSWD', 'OTP'],
        mfa: {
          kind: 'mfa-popups',
          clientId: idp.clientId,
          authority: idp.issuer,
          scopes: idp.resourceScopes,
          caFile,
          audience: idp.audience,
        },
        cert: {},
      }),
      signIn: (cacheDir, secrets) =>
        new MsalMfaSignIn({ cacheDir, secrets, extraCaPem: [idp.caPem], openBrowser: driver.openBrowser, warn: () => undefined }),
      async stop() {
        await driver.close();
        await started.close();
        await idp.stop();
      },
    };
  } catch (err) {
    await browser?.close();
    await idp.stop();
    throw err;
  }
}
