import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../../simulators/keytalk/temp-simulator';
import { runCliCaptured } from '../../../test-support/cli/run-cli-captured';
import { homeLayout } from '../../config/home';
import { credentialSecretKey } from '../../engine/state';
import { FileStore } from '../../stores/file-store';
import { FileKeySecretStore } from '../../system/file-key-secret-store';
import { issue, makeKey } from '../../../test-support/stores/test-pki';
import { EXIT } from '../exit-codes';

/**
 * Issue 18, renewal hooks (certmonger -C, `step ca renew --exec`), with real shell commands: the post-hook runs after
 * enrollment and after each renewal with the certificate's files and identity in the environment, follows the
 * certificate to its renewed successor, and a failing or hanging hook is recorded (status) without undoing anything.
 */
let kt: TempSimulator;
let home: string;
const run = (args: string[], env: Record<string, string> = {}) =>
  runCliCaptured(args, { home, env: { HOME: path.join(kt.dir, 'user'), ...env } });
const envOf = (file: string) =>
  Object.fromEntries(
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

beforeAll(async () => {
  kt = await startTempSimulator('kt-hooks-', {
    providers: [
      {
        name: 'Acme',
        services: [{ name: 'WEB', credentials: ['USERID', 'PASSWD'], cert: { lifetime: '1h', certExpirationMargin: 600 } }],
        users: [{ id: 'alice', password: 's3cret' }],
      },
    ],
  });
  home = path.join(kt.dir, 'home');
  expect((await run(['rccd', 'import', kt.sim.rccds.Acme!])).code).toBe(EXIT.ok);
  await new FileKeySecretStore(homeLayout(home).secrets).set(
    credentialSecretKey('Acme', 'WEB'),
    JSON.stringify({ USERID: 'alice', PASSWD: 's3cret' }),
  );
});
afterAll(async () => {
  await kt?.stop();
});

describe('renewal hooks (issue 18)', () => {
  it('runs the post-hook after enrollment and after renewal, with the files in the environment, following the certificate', async () => {
    const out = path.join(kt.dir, 'hook-env.txt');
    const hook = `env | grep ^KEYTALK_ | sort > ${out}; echo reloaded`;
    const enrolled = await run(['enroll', '--provider', 'Acme', '--user', 'alice', '--store', 'file', '--post-hook', hook], {
      KEYTALK_PASSWORD: 's3cret',
    });
    expect(enrolled.code, enrolled.stderr).toBe(EXIT.ok);
    expect(enrolled.stdout).toMatch(/hook\s+post-hook after enrollment succeeded .*: reloaded/);
    const first = envOf(out);
    expect(first).toMatchObject({
      KEYTALK_PROVIDER: 'Acme',
      KEYTALK_SERVICE: 'WEB',
      KEYTALK_SHA256: expect.stringMatching(/^[0-9A-F]{64}$/),
    });
    for (const k of ['KEYTALK_CERT_FILE', 'KEYTALK_KEY_FILE', 'KEYTALK_CHAIN_FILE', 'KEYTALK_P12_FILE'])
      expect(existsSync(first[k]!), k).toBe(true);
    expect(readFileSync(first.KEYTALK_CERT_FILE!, 'utf8')).toMatch(/BEGIN CERTIFICATE/);

    const renewed = await run(['renew', '--service', 'WEB', '--force', '--json']);
    expect(renewed.code, renewed.stdout).toBe(EXIT.ok);
    const second = envOf(out);
    expect(second.KEYTALK_SHA256).not.toBe(first.KEYTALK_SHA256);
    expect(second.KEYTALK_CERT_FILE).toContain(second.KEYTALK_SHA256);
    // The hook moved to the successor, with the renewal's result recorded.
    const { hooks } = JSON.parse((await run(['hooks', '--json'])).stdout) as {
      hooks: { sha256: string; last: { trigger: string; exitCode: number } }[];
    };
    expect(hooks).toEqual([
      expect.objectContaining({
        sha256: second.KEYTALK_SHA256,
        last: expect.objectContaining({ trigger: 'renewal', exitCode: 0 }),
      }),
    ]);
  });

  it('a failing hook is reported in status with its exit status; a hanging one is killed at its timeout', async () => {
    const set = await run(['hooks', 'set', '--service', 'WEB', '--post-hook', 'echo broken >&2; exit 3']);
    expect(set.code, set.stderr).toBe(EXIT.ok);
    const failed = await run(['renew', '--service', 'WEB', '--force']);
    expect(failed.code, failed.stderr).toBe(EXIT.ok); // the renewal stands
    const status = await run(['status']);
    expect(status.stdout).toMatch(/warning: hook for WEB [0-9A-F]{16}: post-hook after renewal failed with exit status 3 at /);
    const json = JSON.parse((await run(['status', '--json'])).stdout) as {
      hooks: { failures: number; last: { output: string } }[];
    };
    expect(json.hooks[0]).toMatchObject({ failures: 1, last: expect.objectContaining({ exitCode: 3, output: 'broken\n' }) });

    expect((await run(['hooks', 'set', '--service', 'WEB', '--post-hook', 'sleep 30', '--hook-timeout', '1'])).code).toBe(
      EXIT.ok,
    );
    const started = Date.now();
    expect((await run(['renew', '--service', 'WEB', '--force'])).code).toBe(EXIT.ok);
    expect(Date.now() - started).toBeLessThan(20_000);
    const hung = (
      JSON.parse((await run(['hooks', '--json'])).stdout) as { hooks: { failures: number; last: { timedOut: boolean } }[] }
    ).hooks;
    expect(hung[0]).toMatchObject({ failures: 2, last: expect.objectContaining({ timedOut: true }) });
    expect((await run(['status'])).stdout).toMatch(/post-hook after renewal killed after its timeout/);

    expect((await run(['hooks', 'clear', '--service', 'WEB'])).code).toBe(EXIT.ok);
    expect(JSON.parse((await run(['hooks', '--json'])).stdout)).toEqual({ hooks: [], warnings: [] });
    const bad = await run(['hooks', 'set', '--service', 'NOPE', '--post-hook', 'true']);
    expect(bad.stderr).toMatch(/no certificate of service "NOPE" is enrolled here; services with certificates: WEB/);
  });
});

// The same enrolled certificate (1 hour lifetime) serves the monitoring check, sparing a second simulator.
describe('certs --expiring DAYS (issue 18 monitoring)', () => {
  it('exits 1 naming the certificate when it expires within DAYS, 0 otherwise; --json is one object', async () => {
    const soon = await run(['certs', '--expiring', '1']);
    expect(soon.code).toBe(1);
    expect(soon.stdout).toMatch(/^EXPIRING: CN=alice \(Acme\/WEB\) expires \S+ — sha-256 [0-9A-F]{16}$/m);
    const fine = await run(['certs', '--expiring', '0']);
    expect(fine.code).toBe(0);
    expect(fine.stdout).toMatch(/^OK: none of the 1 managed certificate\(s\) expires within 0 day\(s\)/);
    const json = await run(['certs', '--expiring', '1', '--json']);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'expiring', exitCode: 1, days: 1, expiring: [{ service: 'WEB' }] });
    expect((await run(['certs', '--expiring', 'soon'])).stderr).toMatch(/--expiring needs a number of days/);
  });

  it('leaves out historical S/MIME certificates and superseded shared-mailbox certificates (nothing renews those)', async () => {
    // Found probing the CLI: a seat's second enrollment brought a new sales@ certificate and kept the old one, and an
    // S/MIME service's historical certificates are expired by nature: both made the check fail while all was well.
    const own = path.join(kt.dir, 'smime-home');
    const store = new FileStore(homeLayout(own).certs);
    const key = makeKey();
    const origin = { provider: 'Acme', service: 'MAIL' };
    const add = (cn: string, notBefore: Date, days: number, extra: object) =>
      store.add({
        certPem: issue({ subject: { CN: cn }, key, notBefore, days }).pem,
        keyPem: key.keyPem,
        chainPem: [],
        label: cn,
        origin,
        ...extra,
      });
    const ago = (d: number) => new Date(Date.now() - d * 86_400_000);
    await add('alice', ago(1), 365, {});
    await add('alice (2024)', ago(400), 30, { historical: true });
    await add('sales old', ago(364), 365, { origin: { ...origin, sharedMailbox: 'sales@acme.test' } });
    await add('sales', ago(1), 365, { origin: { ...origin, sharedMailbox: 'sales@acme.test' } });
    const r = await runCliCaptured(['certs', '--expiring', '14', '--store', 'file', '--json'], {
      home: own,
      env: { HOME: path.join(kt.dir, 'user') },
    });
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'ok', managed: 2, expiring: [] });
    expect(r.code).toBe(EXIT.ok);
    // The listing says which one is historical (kept to read old mail) and puts it after the current ones.
    const table = await runCliCaptured(['certs', '--store', 'file'], { home: own, env: { HOME: path.join(kt.dir, 'user') } });
    const subjects = table.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s{2,}/)[0]);
    expect(subjects.at(-1)).toBe('CN=alice (2024) (historical)');
    expect(subjects.filter((x) => x?.endsWith('(historical)'))).toHaveLength(1);
  });
});

describe('status --prometheus FILE (issue 18 monitoring)', () => {
  it('writes node_exporter textfile metrics that parse, with the certificate expiry and renewal due time', async () => {
    const file = path.join(kt.dir, 'textfile', 'keytalk.prom');
    const r = await run(['status', '--prometheus', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const status = JSON.parse(r.stdout) as {
      certificates: { sha256Fingerprint: string; notBefore: string; notAfter: string; renewAt: string }[];
    };
    const text = readFileSync(file, 'utf8');
    const samples = new Map<string, number>();
    const typed = new Set<string>();
    for (const line of text.trim().split('\n')) {
      const type = /^# TYPE (\w+) gauge$/.exec(line);
      if (type) typed.add(type[1]!);
      if (line.startsWith('#')) {
        expect(line).toMatch(/^# (HELP \w+ .+|TYPE \w+ gauge)$/);
        continue;
      }
      // name{label="value",...} number — the exposition format's sample line.
      const m = /^(\w+)\{((?:\w+="(?:[^"\\]|\\.)*",?)*)\} (-?\d+(?:\.\d+)?)$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(typed.has(m![1]!), `${m![1]} has its TYPE first`).toBe(true);
      samples.set(`${m![1]}{${m![2]}}`, Number(m![3]));
    }
    const c = status.certificates[0]!;
    const l = `{provider="Acme",service="WEB",sha256="${c.sha256Fingerprint.toUpperCase()}"}`;
    expect(samples.get(`keytalk_agent_certificate_expiry_timestamp_seconds${l}`)).toBe(Math.floor(Date.parse(c.notAfter) / 1000));
    expect(samples.get(`keytalk_agent_certificate_renewal_due_timestamp_seconds${l}`)).toBe(
      Math.floor(Date.parse(c.renewAt) / 1000),
    );
    expect(samples.get(`keytalk_agent_certificate_renewal_consecutive_failures${l}`)).toBe(0);
    expect(samples.get(`keytalk_agent_certificate_issued_timestamp_seconds${l}`)).toBe(
      Math.floor(Date.parse(c.notBefore) / 1000),
    );
    // Not due yet: no renewal attempt to report.
    expect(samples.has(`keytalk_agent_certificate_renewal_last_attempt_success${l}`)).toBe(false);
  });
});
