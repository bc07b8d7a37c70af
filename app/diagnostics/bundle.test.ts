import { promises as fs } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { createAgent } from '../agent/create-agent';
import { EXIT } from '../cli/exit-codes';
import { dispatch } from '../ipc/dispatcher';
import { homeLayout } from '../config/home';
import { CACHE_KEY_SECRET } from '../mfa/encrypted-cache-plugin';
import { nssPasswordKey } from '../stores/registry';
import { FileKeySecretStore } from '../system/file-key-secret-store';
import { tokenPinsSecretName } from '../tpm/tpm2-pkcs11';
import { redactLog, redactText } from './redact';

/**
 * Issue 19 "Diagnostics for the helpdesk": enroll with known secrets (password, one-time password, remembered for
 * renewal) at debug log level, build the bundle with the CLI, unzip it and grep every byte of every entry for them.
 */
const PASSWORD = 'Pw-Zq7!xK3v#9';
const OTP = 'Q7otpz91';
/**
 * Secrets the agent keeps beside the enrollment: an NSS database's token password, the MFA token cache and its key, the
 * TPM PKCS#11 token's SO PIN.
 */
const NSS_PIN = 'Nss-T0ken-Pin-4u7';
const MFA_KEY = 'bWZhLWNhY2hlLWtleS0zMi1ieXRlcy1leGFjdGx5IQ==';
const REFRESH_TOKEN = '0.AXkAr3fr3sh-T0ken-Kn0wn-V4lue';
const TPM_SO_PIN = 'tpm-so-pin-9f3c2a71';
let kt: TempSimulator;
let home: string;

beforeAll(async () => {
  kt = await startTempSimulator('kt-bundle-', {
    providers: [
      {
        name: 'Acme',
        services: [{ name: 'OTP', credentials: ['USERID', 'PASSWD', 'OTP'], cert: {} }],
        users: [{ id: 'alice', password: PASSWORD, otp: OTP }],
      },
    ],
  });
  home = path.join(kt.dir, 'home');
  await fs.mkdir(path.join(home, 'state'), { recursive: true });
  await fs.writeFile(
    path.join(home, 'state', 'settings.json'),
    JSON.stringify({ logLevel: 'debug', stores: ['file'], autostart: false, theme: 'system' }),
  );
  expect((await runCliCaptured(['rccd', 'import', kt.sim.rccds.Acme!], { home })).code).toBe(EXIT.ok);
});
afterAll(async () => {
  await kt?.stop();
});

describe('support bundle', () => {
  it('holds versions, providers, stores, settings, status, scanner, policy, doctor and logs — and none of the secrets', async () => {
    // On a terminal, so the user can say "remember": the password then also lives in the secrets folder.
    const enroll = await runCliCaptured(['enroll', '--provider', 'Acme', '--service', 'OTP', '--user', 'alice'], {
      home,
      tty: [PASSWORD, 'y', OTP],
    });
    expect(enroll.code, enroll.stderr).toBe(EXIT.ok);
    const secretsDir = await fs.readdir(path.join(home, 'secrets'));
    expect(secretsDir.length).toBeGreaterThan(0);
    // Where the other secrets live: the secret store (NSS token password, MFA cache key), the MFA token cache file,
    // and a debug log line of a sign-in that named them.
    const secrets = new FileKeySecretStore(homeLayout(home).secrets);
    await secrets.set(nssPasswordKey(path.join(kt.dir, 'user', '.pki', 'nssdb')), NSS_PIN);
    await secrets.set(CACHE_KEY_SECRET, MFA_KEY);
    await secrets.set(tokenPinsSecretName(path.join(home, 'tpm2-pkcs11')), JSON.stringify({ so: TPM_SO_PIN }));
    const mfaDir = path.join(home, 'state', 'mfa');
    await fs.mkdir(mfaDir, { recursive: true });
    await fs.writeFile(
      path.join(mfaDir, 'msal-0123456789abcdef.cache'),
      JSON.stringify({ RefreshToken: { rt: { secret: REFRESH_TOKEN } } }),
    );
    await fs.appendFile(
      path.join(home, 'logs', 'cli.log'),
      `${JSON.stringify({ time: new Date().toISOString(), level: 'debug', msg: 'mfa', fields: { refresh_token: REFRESH_TOKEN, nssPassword: NSS_PIN } })}\n`,
    );

    const out = path.join(kt.dir, 'bundle.zip');
    const run = await runCliCaptured(['diagnostics', '--out', out, '--json'], { home });
    expect(run.code, run.stdout + run.stderr).toBe(EXIT.ok);
    const zip = await JSZip.loadAsync(await fs.readFile(out));
    const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
    expect(names).toEqual(
      expect.arrayContaining([
        'versions.json',
        'providers.json',
        'stores.json',
        'settings.json',
        'status.json',
        'scanner.json',
        'policy.json',
        'doctor.json',
        'logs/cli.log',
      ]),
    );
    const log = await zip.file('logs/cli.log')!.async('string');
    expect(log).toContain('"level":"debug"');
    expect(JSON.parse(await zip.file('doctor.json')!.async('string'))).toMatchObject({ ok: true });
    expect(JSON.parse(await zip.file('status.json')!.async('string')).enrollments).toHaveLength(1);

    // The session cookie the server handed out is a secret too (its first 30 characters are the P12 password).
    const cookies = ((await (await fetch(`${kt.sim.control}/log`)).json()) as { session?: string }[])
      .flatMap((e) => [e.session])
      .filter((c): c is string => typeof c === 'string' && c.length > 8);
    for (const name of names) {
      const bytes = Buffer.from(await zip.file(name)!.async('uint8array'));
      for (const secret of [PASSWORD, OTP, NSS_PIN, MFA_KEY, REFRESH_TOKEN, TPM_SO_PIN, ...cookies]) {
        expect(bytes.includes(Buffer.from(secret)), `${name} contains ${secret}`).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${name} contains ${secret} (UTF-16)`).toBe(false);
      }
      expect(bytes.toString('latin1')).not.toMatch(/PRIVATE KEY-----/);
    }
  });
});

it('the core answers diagnostics:bundle with the same zip for the UI to download', async () => {
  const agent = createAgent({ home, userHome: path.join(home, '..', 'user'), scheduler: false });
  const reply = await dispatch(agent.handlers, 'diagnostics:bundle', {});
  await agent.stop();
  expect(reply.ok).toBe(true);
  const { fileName, dataBase64, entries } = (reply as { value: { fileName: string; dataBase64: string; entries: string[] } })
    .value;
  expect(fileName).toMatch(/^keytalk-agent-support-.*\.zip$/);
  const zip = await JSZip.loadAsync(Buffer.from(dataBase64, 'base64'));
  expect(Object.keys(zip.files)).toEqual(expect.arrayContaining(entries));
  expect(JSON.parse(await zip.file('doctor.json')!.async('string')).checks.length).toBeGreaterThan(5);
});

describe('redaction rules', () => {
  it('removes keys, tokens, cookies and secret fields from logs and text', () => {
    const pem = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----';
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const text = redactText(
      `key ${pem} GET /rcdp/2.8.3/authentication?USERID=alice&PASSWD=hunter2&otp=123 Cookie: keytalkcookie=abc123 Authorization: Bearer ${jwt} p12 ${'A'.repeat(300)}`,
    );
    for (const s of ['MIIB', 'hunter2', '=123', 'abc123', jwt, 'AAAA']) expect(text).not.toContain(s);
    expect(text).toContain('USERID=alice');
    // A hook's output (logged as hook-failed) naming a URL with a password in it.
    const hook = redactLog(
      JSON.stringify({
        msg: 'hook-failed',
        fields: { output: "curl: (22) https://deploy:S3cr3t!x@nginx.corp/reload 'ftp://u:pw@h'" },
      }),
    );
    expect(hook).not.toMatch(/S3cr3t|:pw@/);
    expect(hook).toContain('https://deploy:[redacted]@nginx.corp/reload');
    const line = redactLog(
      JSON.stringify({
        time: 't',
        level: 'debug',
        msg: 'auth',
        fields: { PASSWD: 'hunter2', pin: '1234', sessionId: 'xyz', sha256Fingerprint: 'AB' },
      }),
    );
    expect(JSON.parse(line)).toEqual({
      time: 't',
      level: 'debug',
      msg: 'auth',
      fields: { PASSWD: '[redacted]', pin: '[redacted]', sessionId: '[redacted]', sha256Fingerprint: 'AB' },
    });
  });
});
