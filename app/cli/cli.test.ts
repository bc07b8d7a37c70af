import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeytalkSimulator } from '../../simulators/keytalk/index';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { EXIT } from './exit-codes';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { defaultStoreIds } from '../stores/default-stores';

/**
 * keytalk-agent end to end: spawned as a separate process (tsx), without a terminal, against the simulator over
 * real HTTPS, with a real RCCD import.
 */
let kt: TempSimulator;
let home: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('app', 'cli', 'main.ts'), ...args], {
      cwd: path.resolve(__dirname, '..', '..'),
      env: { PATH: process.env.PATH ?? '', HOME: kt.dir, KEYTALK_AGENT_HOME: home, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** The same CLI in this process (runCli), for the many exit-code checks: spawning tsx costs seconds each. */
async function inproc(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<Run> {
  // The spawned runs' HOME, so both find the same user stores (~/.pki/nssdb).
  return runCliCaptured(args, { home, ...opts, env: { HOME: kt.dir, ...opts.env } });
}

beforeAll(async () => {
  kt = await startTempSimulator('kt-cli-', {
    providers: [
      {
        name: 'Acme',
        services: [
          { name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} },
          { name: 'PIN', credentials: ['USERID', 'PIN'], cert: {} },
          { name: 'OTP', credentials: ['USERID', 'PASSWD', 'OTP'], cert: {} },
          { name: 'APPROVAL', credentials: ['USERID', 'PASSWD'], cert: { pendingApprovalPolls: 5 } },
        ],
        users: [
          {
            id: 'alice',
            password: 's3cret',
            pin: '4321',
            otp: '777888',
            messages: [{ text: 'Welcome alice', utc: '2026-03-01T00:00:00Z' }],
          },
          { id: 'locked', password: 's3cret', lockedSeconds: 900 },
        ],
      },
    ],
  });
  home = path.join(kt.dir, 'home');
});
afterAll(async () => {
  await kt?.stop();
});

describe('keytalk-agent CLI (non-TTY, spawned)', () => {
  it('rccd import, providers --json, rccd list', async () => {
    const imp = await cli(['rccd', 'import', kt.sim.rccds.Acme!, '--json']);
    expect(imp.code, imp.stderr).toBe(EXIT.ok);
    expect(JSON.parse(imp.stdout)).toMatchObject({ name: 'Acme', kind: 'keytalk', server: new URL(kt.sim.url).host });
    const again = await inproc(['rccd', 'import', kt.sim.rccds.Acme!]);
    expect(again.code).toBe(EXIT.badInput);
    expect(again.stderr).toMatch(/not newer.*--force/);
    const list = await inproc(['providers', '--json']);
    expect(JSON.parse(list.stdout).providers.map((p: { name: string }) => p.name)).toEqual(['Acme']);
    expect((await inproc(['rccd', 'list'])).stdout).toMatch(/Acme\s+127\.0\.0\.1:\d+\s+1\s+PASSWD, PIN, OTP, APPROVAL/);
  });

  it('enroll --json with --password-stdin prints one object and stores the certificate', async () => {
    const r = await cli(
      ['enroll', '--provider', 'Acme', '--service', 'PASSWD', '--user', 'alice', '--password-stdin', '--format', 'PEM', '--json'],
      { input: 's3cret\n' },
    );
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(
      [
        ...['notAfter', 'notBefore', 'provider', 'serialNumber', 'service', 'sha256Fingerprint', 'status', 'stores', 'subject'],
        ...['written', 'extras'],
      ].sort(),
    );
    expect(out).toMatchObject({ status: 'issued', provider: 'Acme', service: 'PASSWD', stores: defaultStoreIds() });
    expect(out.subject).toContain('CN=alice');
    const keyFile = path.join(home, 'certs', out.sha256Fingerprint, 'key.pem');
    expect((await fs.stat(keyFile)).mode & 0o777).toBe(0o600);
    const certs = JSON.parse((await inproc(['certs', '--json'])).stdout).certificates;
    expect(certs).toContainEqual(
      expect.objectContaining({
        sha256Fingerprint: out.sha256Fingerprint,
        provider: 'Acme',
        service: 'PASSWD',
        stores: defaultStoreIds(),
      }),
    );
    // One subject format everywhere (RFC 4514, most specific first): `certs` says what `enroll` said.
    expect(certs.find((c: { sha256Fingerprint: string }) => c.sha256Fingerprint === out.sha256Fingerprint).subject).toBe(
      out.subject,
    );
    const msgs = JSON.parse((await inproc(['messages', '--json', '--mark-read'])).stdout).messages;
    expect(msgs).toContainEqual(expect.objectContaining({ text: 'Welcome alice', provider: 'Acme', read: false }));
    expect(JSON.parse((await inproc(['messages', '--json', '--unread'])).stdout)).toEqual({ messages: [], warnings: [] });
  });

  it('takes credentials from the environment (KEYTALK_USER / KEYTALK_PIN) and the OTP from the next stdin line', async () => {
    const pin = await inproc(['enroll', '--provider', 'Acme', '--service', 'PIN', '--json'], {
      env: { KEYTALK_USER: 'alice', KEYTALK_PIN: '4321' },
    });
    expect(pin.code, pin.stdout + pin.stderr).toBe(EXIT.ok);
    const otp = await inproc(
      ['enroll', '--provider', 'Acme', '--service', 'OTP', '--user', 'alice', '--password-stdin', '--csr', '--json'],
      // As a Windows editor saves the file: a byte order mark first, CRLF line ends.
      { input: '\uFEFFs3cret\r\n777888\r\n' },
    );
    expect(otp.code, otp.stdout + otp.stderr).toBe(EXIT.ok);
  });

  it('without a terminal, fails naming what is missing (exit 2)', async () => {
    const r = await cli(['enroll', '--provider', 'Acme', '--service', 'PIN'], { env: { KEYTALK_USER: 'alice' } });
    expect(r.code).toBe(EXIT.badInput);
    expect(r.stderr).toMatch(/needs the PIN \(KEYTALK_PIN\)/);
  });

  // RCDP 2.6.3 DELAY: the rejected password is never resent; the CLI exits 3 and names the server's wait once.
  it('a rejected password: one authentication request, exit 3, the wait printed once', async () => {
    await fetch(`${kt.sim.control}/log`, { method: 'DELETE' });
    const r = await inproc(['enroll', '--provider', 'Acme', '--service', 'PASSWD', '--user', 'alice'], {
      env: { KEYTALK_PASSWORD: 'typo' },
    });
    expect(r.code).toBe(EXIT.authFailed);
    expect(r.stderr.match(/wait 1 s/g)).toEqual(['wait 1 s']);
    expect(r.stderr).not.toMatch(/waiting \d+ s/);
    const log = (await (await fetch(`${kt.sim.control}/log`)).json()) as Array<{ action?: string }>;
    expect(log.filter((e) => e.action === 'authentication')).toHaveLength(1);
    await fetch(`${kt.sim.control}/users/alice/unlock`, { method: 'POST', body: '{}' });
  });

  it('exit codes: auth failure 3, locked 4, pending approval 8, bad input 2, network 5', async () => {
    const wrong = await inproc(['enroll', '--provider', 'Acme', '--service', 'PASSWD', '--user', 'alice', '--json'], {
      env: { KEYTALK_PASSWORD: 'nope' },
    });
    expect(wrong.code).toBe(EXIT.authFailed);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ status: 'failed', code: 'auth-failed' });
    await fetch(`${kt.sim.control}/users/alice/unlock`, { method: 'POST', body: '{}' });

    const locked = await inproc(['enroll', '--provider', 'Acme', '--service', 'PASSWD', '--user', 'locked'], {
      env: { KEYTALK_PASSWORD: 's3cret' },
    });
    expect(locked.code).toBe(EXIT.locked);
    expect(locked.stderr).toMatch(/locked/);

    const pending = await inproc(['enroll', '--provider', 'Acme', '--service', 'APPROVAL', '--user', 'alice', '--json'], {
      env: { KEYTALK_PASSWORD: 's3cret' },
    });
    expect(pending.code).toBe(EXIT.pending);
    expect(JSON.parse(pending.stdout)).toMatchObject({ status: 'pending-approval', provider: 'Acme', service: 'APPROVAL' });

    expect((await inproc(['enroll', '--provider', 'Nope', '--service', 'X'], { env: { KEYTALK_PASSWORD: 'x' } })).code).toBe(
      EXIT.badInput,
    );
    expect((await inproc(['enroll', '--provider', 'Acme', '--service', 'NOPE'])).stderr).toMatch(/has no service "NOPE".*PASSWD/);
    expect((await inproc(['enroll', '--provider', 'Acme'])).code).toBe(EXIT.badInput);
    expect((await inproc(['enroll', '--provider', 'Acme', '--service', 'PASSWD', '--format', 'DER'])).code).toBe(EXIT.badInput);
    expect((await inproc(['frobnicate'])).code).toBe(EXIT.badInput);

    // The provider's server is gone: a separate home whose RCCD points at a closed port.
    const other = path.join(kt.dir, 'home-down');
    const down = await startKeytalkSimulator({
      stateDir: path.join(kt.dir, 'sim-down'),
      fixture: { providers: [{ name: 'Down', services: [{ name: 'S', cert: {} }] }] },
    });
    const rccd = down.rccds.Down!;
    await down.stop();
    expect((await inproc(['rccd', 'import', rccd], { env: { KEYTALK_AGENT_HOME: other } })).code).toBe(EXIT.ok);
    const net = await inproc(['enroll', '--provider', 'Down', '--service', 'S', '--user', 'a', '--home', other], {
      env: { KEYTALK_PASSWORD: 'x' },
    });
    expect(net.code).toBe(EXIT.network);
    expect(net.stderr).toMatch(/refused the connection/);
  });

  it('version and rccd remove', async () => {
    const v = await inproc(['version', '--json']);
    expect(JSON.parse(v.stdout)).toMatchObject({ version: expect.any(String), rcdp: { newest: '2.8.3', oldest: '2.0.0' } });
    expect((await inproc(['rccd', 'remove', 'Acme'])).code).toBe(EXIT.ok);
    expect(JSON.parse((await inproc(['providers', '--json'])).stdout)).toEqual({ providers: [], warnings: [] });
  });
});
