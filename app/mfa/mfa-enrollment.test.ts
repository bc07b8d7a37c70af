import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMfaIdp, type MfaIdp } from '../../test-support/oidc/mfa-idp';
import type { BrowserDriver } from '../../test-support/oidc/browser-sign-in';
import type { TestIdp } from '../../test-support/oidc/test-idp';
import { runEnrollment } from '../engine/enroll';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';
import { MemorySecretStore } from '../system/secret-store';
import type { MsalMfaSignIn } from './msal-mfa-sign-in';

// The whole chain: KeyTalk simulator (answers WAIT-FOR-OTP with mfa-settings and checks the token against the IdP's
// JWKS, audience, scopes and user) + the engine + MsalMfaSignIn + the test IdP + Chromium as the system browser.
let mfaIdp: MfaIdp;
let idp: TestIdp;
let sim: SimHarness;
let driver: BrowserDriver;
let mfa: MsalMfaSignIn;
const USER = 'alice@example.test';

beforeAll(async () => {
  mfaIdp = await startMfaIdp();
  ({ idp, driver } = mfaIdp);
  sim = await startSimHarness({
    providers: [{ name: 'Demo', services: [mfaIdp.service('MFA')], users: [{ id: USER, password: 'secret' }] }],
  });
  mfa = mfaIdp.signIn(path.join(sim.tmp, 'mfa'), new MemorySecretStore());
});

afterAll(async () => {
  await sim?.stop();
  await mfaIdp?.stop();
});

describe('enrollment with MFA (engine + simulator + MSAL + IdP)', () => {
  it('signs in once in the browser, the server accepts the token as OTP/MFA; the unattended renewal needs no browser', async () => {
    const attended = scriptedTestFrontEnd([() => creds({ USERID: USER, PASSWD: 'secret' })]);
    const first = await runEnrollment({ provider: 'Demo', service: 'MFA' }, attended.fe, sim.deps({ mfa }));
    expect(first).toMatchObject({ status: 'issued' });
    expect(driver.opened).toHaveLength(1);
    expect(attended.progress).toContainEqual(expect.objectContaining({ kind: 'mfa', state: 'waiting-for-browser' }));

    const unattended = scriptedTestFrontEnd([]);
    const renewal = await runEnrollment(
      { provider: 'Demo', service: 'MFA', unattended: true, credentials: { USERID: USER, PASSWD: 'secret' } },
      unattended.fe,
      sim.deps({ mfa }),
    );
    expect(renewal, JSON.stringify(renewal)).toMatchObject({ status: 'issued' });
    expect(driver.opened).toHaveLength(1);
    expect(unattended.prompts).toEqual([]);
  });

  it('after sign-out the unattended renewal stops with needs-input instead of opening a browser', async () => {
    await mfa.signOut({ kind: 'mfa-popups', clientId: idp.clientId, authority: idp.issuer, scopes: idp.resourceScopes }, USER);
    const t = scriptedTestFrontEnd([]);
    const outcome = await runEnrollment(
      { provider: 'Demo', service: 'MFA', unattended: true, credentials: { USERID: USER, PASSWD: 'secret' } },
      t.fe,
      sim.deps({ mfa }),
    );
    expect(outcome).toMatchObject({ status: 'failed', code: 'needs-input' });
    expect(driver.opened).toHaveLength(1);
  });
});
