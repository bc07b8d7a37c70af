import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { enrollWithPassword, importRccdFile, nextEvent } from '../../test-support/agent/agent-helpers';
import { startMfaIdp, type MfaIdp } from '../../test-support/oidc/mfa-idp';
import { createAgent } from '../agent/create-agent';
import type { AgentRuntime } from '../agent/index';
import type { MfaSignIn } from '../mfa/mfa-sign-in';
import { MemorySecretStore } from '../system/secret-store';

/**
 * Issue 22, "no secret in any log at the most verbose level": the real core at log level debug enrolls with a
 * password + OTP (remembered), through an MFA service (real IdP in Chromium, MSAL) and through a seat service; then
 * every byte of every file under the home's logs/ is searched for each secret the enrollments handled.
 */
const PASSWORD = 'Pw-Lg7!xK3v#9';
const OTP = 'Q7otpz91';
const MFA_USER = 'alice@example.test';
const MFA_PASSWORD = 'Mfa-Pw-8u!Yq2';
const SEAT_PASSWORD = 'Seat-Pw-4r#Tz6';
let mfaIdp: MfaIdp;
let kt: TempSimulator;
let agent: AgentRuntime;
let home: string;
const accessTokens: string[] = [];

beforeAll(async () => {
  mfaIdp = await startMfaIdp();
  kt = await startTempSimulator('kt-log-secrets-', {
    providers: [
      {
        name: 'Acme',
        services: [
          { name: 'OTP', credentials: ['USERID', 'PASSWD', 'OTP'], cert: {} },
          mfaIdp.service('MFA'),
          { name: 'SEAT', credentials: ['USERID', 'PASSWD'], supplyComputerName: true, seat: true, cert: {} },
        ],
        users: [
          { id: 'alice', password: PASSWORD, otp: OTP },
          { id: MFA_USER, password: MFA_PASSWORD },
          { id: 'seat-user', password: SEAT_PASSWORD, computerName: 'testhost' },
        ],
      },
    ],
  });
  home = path.join(kt.dir, 'home');
  await fs.mkdir(path.join(home, 'state'), { recursive: true });
  await fs.writeFile(
    path.join(home, 'state', 'settings.json'),
    JSON.stringify({ logLevel: 'debug', stores: ['file'], autostart: false, theme: 'system' }),
  );
  const secretStore = new MemorySecretStore();
  const msal = mfaIdp.signIn(path.join(home, 'state', 'mfa'), secretStore);
  // The real sign-in; the wrapper only keeps each access token so the test knows what to look for.
  const mfa: MfaSignIn = {
    acquireToken: async (settings, opts) => {
      const token = await msal.acquireToken(settings, opts);
      accessTokens.push(token);
      return token;
    },
    signOut: (settings, account) => msal.signOut(settings, account),
  };
  agent = createAgent({
    home,
    userHome: path.join(kt.dir, 'user'),
    secretStore,
    scheduler: false,
    engine: { mfa, computerName: () => 'testhost', sleep: async () => {} },
  });
  await importRccdFile(agent, kt.sim.rccds.Acme!);
});

afterAll(async () => {
  await agent?.stop();
  await kt?.stop();
  await mfaIdp?.stop();
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('logs at debug level after enrollments with password + OTP, MFA and seat', () => {
  it('hold no password, OTP, MFA token, session cookie or private key', async () => {
    // Password + OTP, remembered for renewal.
    const credsPrompt = nextEvent(agent, 'flow:prompt', (p) => p.prompt.kind === 'credentials');
    const { flowId } = await agent.handlers['enroll:start']({ provider: 'Acme', service: 'OTP' });
    const done = nextEvent(agent, 'flow:done', (p) => p.flowId === flowId);
    await credsPrompt;
    const otpPrompt = nextEvent(agent, 'flow:prompt', (p) => p.prompt.kind === 'otp');
    await agent.handlers['flow:answer']({
      flowId,
      answer: { kind: 'credentials', values: { USERID: 'alice', PASSWD: PASSWORD }, remember: true },
    });
    await otpPrompt;
    await agent.handlers['flow:answer']({ flowId, answer: { kind: 'otp', otp: OTP } });
    expect((await done).outcome).toMatchObject({ status: 'issued' });

    // MFA: the KeyTalk password, then the IdP sign-in in Chromium; the access token goes to the server as OTP.
    const mfaOutcome = await enrollWithPassword(agent, {
      provider: 'Acme',
      service: 'MFA',
      user: MFA_USER,
      password: MFA_PASSWORD,
    });
    expect(mfaOutcome).toMatchObject({ status: 'issued' });
    expect(mfaIdp.driver.opened).toHaveLength(1);
    expect(accessTokens.length).toBeGreaterThan(0);

    // Seat: user name + password + this computer's name resolve the seat.
    const seatOutcome = await enrollWithPassword(agent, {
      provider: 'Acme',
      service: 'SEAT',
      user: 'seat-user',
      password: SEAT_PASSWORD,
    });
    expect(seatOutcome).toMatchObject({ status: 'issued' });

    const cookies = ((await (await fetch(`${kt.sim.control}/log`)).json()) as { session?: string }[])
      .map((e) => e.session)
      .filter((c): c is string => typeof c === 'string' && c.length > 8);
    expect(cookies.length).toBeGreaterThan(0);
    const secrets = [
      PASSWORD,
      OTP,
      MFA_PASSWORD,
      SEAT_PASSWORD,
      mfaIdp.idp.users[0]!.password,
      ...accessTokens,
      ...new Set(cookies),
    ];

    const files = await filesUnder(path.join(home, 'logs'));
    expect(files.length).toBeGreaterThan(0);
    const all = (await Promise.all(files.map((f) => fs.readFile(f, 'utf8')))).join('\n');
    expect(all).toContain('"level":"debug"'); // really the most verbose level
    for (const file of files) {
      const text = await fs.readFile(file, 'utf8');
      for (const secret of secrets) expect(text.includes(secret), `${file} contains ${secret}`).toBe(false);
      expect(text, file).not.toMatch(/eyJ[\w-]{8,}\.[\w-]{8,}/); // any JWT (access or ID token)
      expect(text, file).not.toMatch(/Bearer\s+\S{8,}/i);
      expect(text, file).not.toMatch(/keytalkcookie=(?!\[redacted\])[^;\s"]{4,}/i);
      expect(text, file).not.toMatch(/PRIVATE KEY-----/);
    }
  });
});
