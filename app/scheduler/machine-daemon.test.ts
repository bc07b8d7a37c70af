import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { homeLayout } from '../config/home';
import { credentialSecretKey, type EnrollmentRecord } from '../engine/state';
import { FileKeySecretStore } from '../system/file-key-secret-store';
import { withLock } from '../system/home-lock';
import { forgetPolicy } from '../policy/load-policy';
import { EXIT } from '../cli/exit-codes';

/**
 * Issue 20 "Machine scope" and issue 17 "store-to-system": the real Linux system daemon — the CLI's `keytalk-agent
 * daemon --system` in its own process, as root — against the KeyTalk simulator, into the real system NSS database
 * /etc/pki/nssdb with the real certutil, stopped with SIGTERM as systemd stops it. The policy's autoEnroll makes the daemon enroll the machine certificate at its first start (a headless
 * machine has no tray app); the service's cert reply says store-to-system; the certificate lives 14 s with a 10 s
 * margin, so the daemon renews it once within seconds and the renewal switches over: the new certificate in
 * /etc/pki/nssdb and the system file store, the old one gone from both.
 *
 * A good citizen on the machine it runs on: only root can write /etc/pki/nssdb, so it is skipped (reason printed)
 * otherwise; a database that was not there is removed afterwards (and /etc/pki if it made it); one that was there
 * keeps exactly its nicknames (only this run's, unique by process id, are added and taken out again). Concurrent
 * runs on one machine take turns under a lock.
 */
const NSSDB = '/etc/pki/nssdb';
const root = process.platform === 'linux' && process.getuid?.() === 0;
const certutil = spawnSync('certutil', ['-H']).error === undefined;
const why = !root ? 'not running as root (the system NSS database needs it)' : !certutil ? 'certutil is not installed' : '';
if (why) console.warn(`skipped the machine-scope daemon test: ${why}`);

const PROVIDER = `Machine${process.pid}`;
let kt: TempSimulator;
let home: string;
let policyDir: string;

function nicknames(): string[] {
  const r = spawnSync('certutil', ['-L', '-d', `sql:${NSSDB}`], { encoding: 'utf8' });
  // Lines after the header: "<nickname>   <trust flags>".
  return r.stdout
    .split('\n')
    .slice(4)
    .map((l) => l.replace(/\s+\S*,\S*,\S*\s*$/, '').trim())
    .filter(Boolean);
}

/** Lock folders (proper-lockfile's `*.lock`) and their owner notes anywhere in a home (app/system/home-lock.ts). */
function locksIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.lock(\.owner)?$/.test(f));
}

/** The SHA-256 fingerprints of every certificate under a nickname, read with certutil. */
function fingerprintsOf(nickname: string): string[] {
  const r = spawnSync('certutil', ['-L', '-d', `sql:${NSSDB}`, '-n', nickname, '-a'], { encoding: 'utf8' });
  return (r.stdout.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? []).map((pem) =>
    new X509Certificate(pem).fingerprint256.replace(/:/g, ''),
  );
}

beforeAll(async () => {
  if (why) return;
  kt = await startTempSimulator('kt-machine-', {
    providers: [
      {
        name: PROVIDER,
        services: [
          {
            name: 'HOST',
            credentials: ['USERID', 'PASSWD'],
            cert: { lifetime: 14, certExpirationMargin: 10, storeToSystem: true },
          },
        ],
        users: [{ id: 'host01', password: 'secret' }],
      },
    ],
  });
  home = path.join(kt.dir, 'system-home');
  // The machine account's password, as an administrator's provisioning would leave it for the daemon.
  await new FileKeySecretStore(homeLayout(home).secrets).set(
    credentialSecretKey(PROVIDER, 'HOST'),
    JSON.stringify({ USERID: 'host01', PASSWD: 'secret' }),
  );
  policyDir = path.join(kt.dir, 'policy');
  mkdirSync(path.join(policyDir, 'rccd'), { recursive: true });
  copyFileSync(kt.sim.rccds[PROVIDER]!, path.join(policyDir, 'rccd', `${PROVIDER}.rccd`));
  // The store keys name user stores: for the system daemon nss is /etc/pki/nssdb, file the system file store, and a
  // Firefox profile has no machine store (ignored, with a warning: app/policy/machine-stores.ts).
  writeFileSync(
    path.join(policyDir, 'policy.json'),
    JSON.stringify({ autoEnroll: [{ provider: PROVIDER, service: 'HOST' }], defaultStores: ['nss', 'file', 'firefox'] }),
  );
}, 60_000);
afterAll(async () => {
  await kt?.stop();
});

describe.skipIf(!!why)('the machine-scope daemon as root (issue 20, issue 17 store-to-system)', () => {
  it('auto-enrolls a machine certificate into /etc/pki/nssdb and the system file store, and renews it with a switch-over', async () => {
    await withLock(path.join(os.tmpdir(), 'keytalk-agent-etc-pki-nssdb-test.lock'), NSSDB, async () => {
      const hadPki = existsSync(path.dirname(NSSDB));
      const hadDb = existsSync(path.join(NSSDB, 'cert9.db'));
      const before = hadDb ? nicknames() : [];
      try {
        // The daemon itself, as the systemd unit runs it (`ExecStart=<node> <cli> daemon --system --home …`): the real
        // CLI in its own process, as root, its policy folder from KEYTALK_AGENT_POLICY_DIR and the system home moved to
        // a temp folder with --home (the unit's own flag), so nothing is left in /var/lib/keytalk-agent.
        process.env.KEYTALK_AGENT_POLICY_DIR = policyDir;
        forgetPolicy();
        const child = spawn(process.execPath, ['--import', 'tsx', 'app/cli/main.ts', 'daemon', '--system', '--home', home], {
          // HOME: a user home beside the system one, never the real ~/.pki/nssdb (machine scope must not use it).
          env: { ...process.env, HOME: `${home}.user`, KEYTALK_AGENT_POLICY_DIR: policyDir },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        // The renewal's job is finished (and the schedule written) once the scheduler says job-done for it.
        const renewed = new Promise<void>((resolve) =>
          child.stdout.on('data', (d) => {
            out += d;
            if (/"msg":"job-done"[^\n]*"id":"renewal:/.test(out)) resolve();
          }),
        );
        await Promise.race([
          renewed,
          exited.then((code) => Promise.reject(new Error(`daemon exited early (${code}):\n${out}${err}`))),
        ]);
        // SIGTERM, as `systemctl stop` sends it: an orderly stop, exit 0, the last line "daemon-stopped", no lock
        // left in the system home (a leaked one would hold off the next start or a CLI for up to the stale time).
        child.kill('SIGTERM');
        expect(await exited, err).toBe(EXIT.ok);
        // Nothing went wrong on the way out (the stop watchdog and any error say so on stderr).
        expect(err).not.toMatch(/keytalk-agent:|error/i);
        const msgs = out
          .trim()
          .split('\n')
          .map((l) => (JSON.parse(l) as { msg: string }).msg);
        expect(msgs.slice(-2)).toEqual(['daemon-stopping', 'daemon-stopped']);
        expect(locksIn(home)).toEqual([]);
        expect(out).toContain('"scope":"machine"');
        expect(out).not.toContain('machine-stores-not-writable');
        expect(out).toMatch(/"msg":"machine-stores-policy"[^\n]*store \\"firefox\\" has no machine store/);

        const records = Object.values(
          JSON.parse(readFileSync(path.join(homeLayout(home).state, 'enrollments.json'), 'utf8')) as Record<
            string,
            EnrollmentRecord
          >,
        );
        // The renewal's record names the certificate it replaced (whose record left with it).
        expect(records).toHaveLength(1);
        const renewal = records[0]!;
        expect(renewal.stores).toEqual(['system-nss', 'system-file']);
        const oldFp = renewal.replaces!.toUpperCase();
        const newFp = renewal.sha256Fingerprint.toUpperCase();
        expect(out).toContain('"msg":"auto-enrolled"');
        expect(out).toContain('"msg":"renewed"');

        // /etc/pki/nssdb, read with certutil: of this provider's certificates only the renewed one is left.
        // Under the old one's nickname, so a service configured by nickname finds it after the renewal.
        const mine = nicknames().filter((n) => n.includes(PROVIDER));
        expect(mine).toEqual([`KeyTalk ${PROVIDER} HOST host01`]);
        expect(mine.flatMap(fingerprintsOf)).toEqual([newFp]);
        // The system file store (the system home's certs/): the new key 0600 root's, the old folder gone.
        const certs = homeLayout(home).certs;
        const key = statSync(path.join(certs, newFp, 'key.pem'));
        expect([key.mode & 0o777, key.uid]).toEqual([0o600, 0]);
        expect(statSync(certs).mode & 0o777).toBe(0o700);
        expect(existsSync(path.join(certs, oldFp))).toBe(false);
        // `certs --system` is the machine stores: the renewed certificate in both, with its key in each.
        const certsRun = await runCliCaptured(['certs', '--json', '--system', '--home', home], { home });
        const listed = (JSON.parse(certsRun.stdout) as { certificates: { provider?: string; sha256Fingerprint: string }[] })
          .certificates;
        expect(listed.filter((c) => c.provider === PROVIDER)).toEqual([
          expect.objectContaining({
            sha256Fingerprint: newFp,
            stores: ['system-nss', 'system-file'],
            keyLocations: ['nss', 'file'],
          }),
        ]);
        // `status --system` is the machine daemon's schedule: the renewed certificate, due again.
        // And it reads the same policy the daemon ran under, saying what the system daemon ignores in it.
        // With --prometheus, the fleet's monitoring: the machine certificate's expiry for the textfile collector.
        const prom = path.join(kt.dir, 'keytalk.prom');
        const status = await runCliCaptured(['status', '--json', '--system', '--home', home, '--prometheus', prom], { home });
        const expiry =
          Date.parse(new X509Certificate(readFileSync(path.join(homeLayout(home).certs, newFp, 'cert.pem'))).validTo) / 1000;
        expect(readFileSync(prom, 'utf8')).toContain(
          `keytalk_agent_certificate_expiry_timestamp_seconds{provider="${PROVIDER}",service="HOST",sha256="${newFp}"} ${expiry}`,
        );
        const statusJson = JSON.parse(status.stdout) as {
          certificates: { sha256Fingerprint: string }[];
          policy: { sources: string[]; warnings: string[] };
        };
        expect(statusJson.certificates).toEqual([expect.objectContaining({ sha256Fingerprint: newFp })]);
        expect(statusJson.policy).toMatchObject({
          sources: [path.join(policyDir, 'policy.json')],
          warnings: [expect.stringMatching(/^policy key "defaultStores": store "firefox" has no machine store/)],
        });
      } finally {
        delete process.env.KEYTALK_AGENT_POLICY_DIR;
        forgetPolicy();
        if (!hadDb) rmSync(hadPki ? NSSDB : path.dirname(NSSDB), { recursive: true, force: true });
        else {
          // Only this run's nicknames (its certificate, keys and the simulator's CAs) leave; the rest stays as it was.
          for (const n of nicknames().filter((x) => !before.includes(x))) {
            spawnSync('certutil', ['-F', '-d', `sql:${NSSDB}`, '-n', n]);
            while (spawnSync('certutil', ['-D', '-d', `sql:${NSSDB}`, '-n', n]).status === 0);
          }
          expect(nicknames().sort()).toEqual([...before].sort());
        }
      }
    });
  }, 45_000);
});
