import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { homeLayout } from '../config/home';
import { enrollments, type EnrollmentRecord } from '../engine/state';
import { FileStore } from '../stores/file-store';
import { forgetPolicy } from '../policy/load-policy';
import { readSettings } from './settings';
import { scopedStores, scopedSystemTarget } from './scope-stores';

/**
 * Issue 17 store-to-system, issue 20 machine scope: which stores the scheduler and the switch-over work on. A user
 * agent whose enrollment went to the machine store must list that store too, or its renewal job ends as "removed"
 * and a renewal could never take the old certificate out of /etc/pki/nssdb. (The switch-over itself, as root into
 * the real /etc/pki/nssdb: app/scheduler/machine-daemon.test.ts.)
 */
const record = (stores: string[]): EnrollmentRecord => ({
  sha256Fingerprint: 'AB'.repeat(32),
  provider: 'Demo',
  service: 'HOST',
  subject: 'CN=host01',
  notBefore: '2026-01-01T00:00:00Z',
  notAfter: '2027-01-01T00:00:00Z',
  issuedAt: '2026-01-01T00:00:00Z',
  stores,
  csr: false,
  credentialsRemembered: false,
  extras: {},
  rcdpVersion: '2.8.3',
});

describe.skipIf(process.platform !== 'linux')('stores per scope', () => {
  it('user scope: the configured stores, plus the machine stores a record names', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kt-scope-stores-'));
    const user = async () => [new FileStore(homeLayout(home).certs)];
    const ids = async () => (await scopedStores('user', home, user)).map((s) => s.id);
    expect(await ids()).toEqual(['file']);
    await enrollments.put(home, record(['file']));
    expect(await ids()).toEqual(['file']);
    await enrollments.put(home, { ...record(['system-nss', 'system-file']), sha256Fingerprint: 'CD'.repeat(32) });
    expect(await ids()).toEqual(['file', 'system-nss', 'system-file']);
  });

  it('machine scope: only the machine stores, the file store in the system home', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kt-scope-machine-'));
    const stores = await scopedStores('machine', home, () => Promise.reject(new Error('user stores asked for')));
    const described = await Promise.all(stores.map((s) => s.describe()));
    expect(described.map((d) => [d.id, d.location])).toEqual([
      ['system-nss', '/etc/pki/nssdb'],
      ['system-file', homeLayout(home).certs],
    ]);
  });

  describe('the policy store keys, per scope (app/policy/machine-stores.ts)', () => {
    const saved = process.env.KEYTALK_AGENT_POLICY_DIR;
    afterEach(() => {
      if (saved === undefined) delete process.env.KEYTALK_AGENT_POLICY_DIR;
      else process.env.KEYTALK_AGENT_POLICY_DIR = saved;
      forgetPolicy();
    });
    /** A policy folder (KEYTALK_AGENT_POLICY_DIR) holding `policy`, and a fresh home. */
    function underPolicy(policy: object): string {
      const root = mkdtempSync(path.join(os.tmpdir(), 'kt-scope-policy-'));
      mkdirSync(path.join(root, 'policy'));
      writeFileSync(path.join(root, 'policy', 'policy.json'), JSON.stringify(policy));
      process.env.KEYTALK_AGENT_POLICY_DIR = path.join(root, 'policy');
      forgetPolicy();
      return path.join(root, 'home');
    }
    const noUserStores = () => Promise.reject(new Error('user stores asked for'));

    it('one policy: the user stores in user scope, their machine counterparts in machine scope, the rest said', async () => {
      const home = underPolicy({ defaultStores: ['file', 'firefox'] });
      // User scope: precedence policy > user settings > defaults, as before.
      expect((await readSettings(home)).stores).toEqual(['file', 'firefox']);
      // Machine scope: "file" is the system file store in the system home; a Firefox profile has no machine store.
      const machine = await scopedStores('machine', home, noUserStores);
      expect(await Promise.all(machine.map(async (s) => [s.id, (await s.describe()).location]))).toEqual([
        ['system-file', homeLayout(home).certs],
      ]);
      // store-to-system in machine scope lands in the same, policy-filtered, stores.
      expect((await scopedSystemTarget('machine', home))!.stores.map((s) => s.id)).toEqual(['system-file']);
      // `status --system` shows the ignored store as a policy warning; user scope has nothing to say about it.
      const warnings = async (args: string[]) =>
        (JSON.parse((await runCliCaptured(['status', '--json', ...args], { home })).stdout) as { policy: { warnings: string[] } })
          .policy.warnings;
      expect(await warnings(['--system'])).toEqual([
        expect.stringMatching(
          /^policy key "defaultStores": store "firefox" has no machine store on this computer, so the system daemon ignores it/,
        ),
      ]);
      expect(await warnings([])).toEqual([]);
      const text = await runCliCaptured(['status', '--system'], { home });
      expect(text.stdout).toMatch(/^policy warning: policy key "defaultStores": store "firefox"/m);
    });

    it('a policy that allows none of the machine stores: no store, and status and doctor say why', async () => {
      // With a bad key beside it: doctor lists the policy's own problems and the machine-scope ones alike.
      const home = underPolicy({ allowedStores: ['firefox'], noSuchKey: true });
      expect(await scopedStores('machine', home, noUserStores)).toEqual([]);
      expect((await scopedSystemTarget('machine', home))!.stores).toEqual([]);
      const status = JSON.parse((await runCliCaptured(['status', '--json', '--system'], { home })).stdout) as {
        policy: { warnings: string[] };
      };
      expect(status.policy.warnings.at(-1)).toMatch(
        /^policy key "allowedStores" allows none of this computer's machine stores \(system-nss \(policy: nss\), system-file \(policy: file\)\): the system daemon can enroll and renew nothing/,
      );
      const doctor = JSON.parse((await runCliCaptured(['doctor', '--json', '--system'], { home })).stdout) as {
        checks: { id: string; status: string; summary: string }[];
      };
      expect(doctor.checks.filter((c) => c.id === 'store')).toEqual([
        expect.objectContaining({
          status: 'fail',
          summary: expect.stringMatching(/policy allows the system daemon none of the machine stores/),
        }),
      ]);
      expect(doctor.checks.filter((c) => c.id === 'policy').map((c) => [c.status, c.summary])).toEqual([
        ['warn', expect.stringMatching(/unknown policy key "noSuchKey"; ignored/)],
        ['warn', expect.stringMatching(/store "firefox" has no machine store/)],
        ['warn', expect.stringMatching(/allows none of this computer's machine stores/)],
      ]);
    });
  });
});
