import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureInput } from '../../simulators/keytalk/index';
import type { FlowAnswer, FlowPrompt } from '../model/flow-types';
import type { CommandSpec } from '../system/command-runner';
import { scopedSystemTarget } from '../agent/scope-stores';
import { readSettings } from '../agent/settings';
import { forgetPolicy } from '../policy/load-policy';
import { createStores } from '../stores/registry';
import { systemStoreTarget, WINDOWS_ELEVATION_CHECK } from '../stores/system-stores';
import { runEnrollment } from './enroll';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';

/**
 * store-to-system (RCDP 2.7.2 cert reply) and should-cert-go-to-system-store (Public API 3.2.4): the certificate goes
 * to the machine store — here the Linux system NSS database and system file store under a temp prefix, written with
 * the real certutil — and without the rights the user is asked, before the certificate is requested.
 */
const fixture: FixtureInput = {
  providers: [
    {
      name: 'Demo',
      services: [
        { name: 'MACHINE', credentials: ['USERID', 'PASSWD'], cert: { storeToSystem: true } },
        { name: 'USER', credentials: ['USERID', 'PASSWD'], cert: {} },
      ],
      users: [{ id: 'alice', password: 'secret' }],
    },
  ],
};

let h: SimHarness;
beforeAll(async () => {
  h = await startSimHarness(fixture);
});
afterAll(async () => h?.stop());

const alice = () => creds({ USERID: 'alice', PASSWD: 'secret' });
const certRequests = async () => ((await h.control('/log')) as { action?: string }[]).filter((e) => e.action === 'cert').length;

async function enroll(
  service: string,
  answers: ((p: FlowPrompt) => FlowAnswer | undefined)[],
  o: { root: string; writable: boolean; unattended?: boolean },
) {
  const t = scriptedTestFrontEnd(answers);
  const deps = h.deps({
    systemStores: () => systemStoreTarget({ platform: 'linux', rootPrefix: o.root, canWrite: async () => o.writable }),
  });
  const outcome = await runEnrollment(
    {
      provider: 'Demo',
      service,
      unattended: o.unattended,
      credentials: o.unattended ? { USERID: 'alice', PASSWD: 'secret' } : undefined,
    },
    t.fe,
    deps,
  );
  return { outcome, prompts: t.prompts };
}

describe('store-to-system: the machine store', () => {
  it('with the rights, the certificate and key go to the system NSS database and the system file store, not the user store', async () => {
    const root = await fs.mkdtemp(path.join(h.tmp, 'root-'));
    const { outcome } = await enroll('MACHINE', [alice], { root, writable: true });
    if (outcome.status !== 'issued') expect.fail(JSON.stringify(outcome));
    expect(outcome.stores).toEqual(['system-nss', 'system-file']);
    const nssdb = path.join(root, 'etc/pki/nssdb');
    const listing = execFileSync('certutil', ['-L', '-d', `sql:${nssdb}`]).toString();
    expect(listing).toMatch(/Demo MACHINE alice\s+u,u,u/);
    expect(listing).toContain('KeyTalk Simulator Signing CA'); // the chain went along
    const keys = execFileSync('certutil', ['-K', '-d', `sql:${nssdb}`], { input: '' }).toString();
    expect(keys).toMatch(/rsa/);
    expect(await fs.readdir(path.join(root, 'var/lib/keytalk-agent/certs'))).toContain('index.json');
  });

  it('a service without the directive keeps the user store', async () => {
    const root = await fs.mkdtemp(path.join(h.tmp, 'root-'));
    const { outcome } = await enroll('USER', [alice], { root, writable: true });
    expect(outcome).toMatchObject({ status: 'issued', stores: ['file'] });
  });

  it('without the rights the user is asked before any certificate is requested; "use my own store" stores it there', async () => {
    const root = await fs.mkdtemp(path.join(h.tmp, 'root-'));
    await h.control('/log', undefined, 'DELETE');
    let certsWhenAsked = -1;
    const { outcome, prompts } = await enroll(
      'MACHINE',
      [
        alice,
        (p) => {
          if (p.kind !== 'system-store') return undefined;
          void certRequests().then((n) => (certsWhenAsked = n));
          return { kind: 'system-store', useUserStore: true };
        },
      ],
      { root, writable: false },
    );
    expect(outcome).toMatchObject({ status: 'issued', stores: ['file'] });
    const asked = prompts.find((p) => p.kind === 'system-store');
    expect(asked).toMatchObject({ reason: expect.stringContaining(path.join(root, 'etc/pki/nssdb')) });
    // Coded for the window's languages, with the folder as its value.
    expect(asked).toMatchObject({
      reasonText: { code: 'store.system-not-writable', params: { dir: path.join(root, 'etc/pki/nssdb') } },
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(certsWhenAsked).toBe(0);
  });

  it('declining stops with store-failed and no certificate is requested; unattended stops with needs-input', async () => {
    const root = await fs.mkdtemp(path.join(h.tmp, 'root-'));
    await h.control('/log', undefined, 'DELETE');
    const declined = await enroll('MACHINE', [alice, () => ({ kind: 'system-store', useUserStore: false })], {
      root,
      writable: false,
    });
    expect(declined.outcome).toMatchObject({ status: 'failed', code: 'store-failed' });
    if (declined.outcome.status === 'failed') expect(declined.outcome.message).toMatch(/machine \(system\) store/);
    expect(await certRequests()).toBe(0);
    const unattended = await enroll('MACHINE', [], { root, writable: false, unattended: true });
    expect(unattended.outcome).toMatchObject({ status: 'failed', code: 'needs-input' });
    expect(declined.outcome).toMatchObject({ text: { code: 'store.system-declined' } });
    expect(unattended.outcome).toMatchObject({
      text: { code: 'store.system-unattended', params: { reason: { code: 'store.system-not-writable' } } },
    });
  });
});

describe.skipIf(process.platform !== 'linux')(
  'store-to-system under the policy (issue 20): the policy wins over the server',
  () => {
    afterEach(() => {
      delete process.env.KEYTALK_AGENT_POLICY_DIR;
      forgetPolicy();
    });

    /**
     * A per-user agent as the core wires it (agent/engine-deps.ts): the user's stores as readSettings chose them under
     * the policy, the machine stores as scopedSystemTarget leaves them — the real NSS databases under a temp root,
     * a Firefox profile with its own NSS database in a temp user home.
     */
    async function enrollUnder(policy: object, o: { unattended?: boolean } = {}) {
      const dir = await fs.mkdtemp(path.join(h.tmp, 'policy-'));
      const [root, userHome, home] = ['root', 'user', 'home'].map((n) => path.join(dir, n)) as [string, string, string];
      await fs.mkdir(path.join(dir, 'policy'));
      await fs.writeFile(path.join(dir, 'policy', 'policy.json'), JSON.stringify(policy));
      process.env.KEYTALK_AGENT_POLICY_DIR = path.join(dir, 'policy');
      forgetPolicy();
      const profile = path.join(userHome, '.mozilla/firefox/ab12.default-release');
      await fs.mkdir(profile, { recursive: true });
      await fs.writeFile(
        path.join(userHome, '.mozilla/firefox/profiles.ini'),
        '[Profile0]\nName=default-release\nIsRelative=1\nPath=ab12.default-release\nDefault=1\n',
      );
      execFileSync('certutil', ['-N', '-d', `sql:${profile}`, '--empty-password']);
      const t = scriptedTestFrontEnd([alice]);
      const deps = h.deps({
        home,
        stores: async () => createStores({ home, enabled: (await readSettings(home)).stores, userHome }),
        systemStores: () => scopedSystemTarget('user', home, { platform: 'linux', rootPrefix: root, canWrite: async () => true }),
      });
      const outcome = await runEnrollment(
        {
          provider: 'Demo',
          service: 'MACHINE',
          ...(o.unattended ? { unattended: true, credentials: { USERID: 'alice', PASSWD: 'secret' } } : {}),
        },
        t.fe,
        deps,
      );
      const list = (db: string) =>
        (
          execFileSync('certutil', ['-L', '-d', `sql:${db}`])
            .toString()
            .match(/Demo MACHINE alice/g) ?? []
        ).length;
      return { outcome, prompts: t.prompts, progress: t.progress, root, profile, list };
    }

    it("allowedStores without a machine store: into the user's allowed store, no question, a coded notice; unattended too", async () => {
      for (const unattended of [false, true]) {
        const r = await enrollUnder({ defaultStores: ['firefox'], allowedStores: ['firefox'] }, { unattended });
        if (r.outcome.status !== 'issued') expect.fail(JSON.stringify(r.outcome));
        expect(r.outcome.stores).toEqual([expect.stringMatching(/^firefox/)]);
        expect(r.prompts.map((p) => p.kind)).not.toContain('system-store');
        expect(r.progress).toContainEqual(
          expect.objectContaining({ kind: 'step', step: 'system-store-refused', detail: r.outcome.stores[0] }),
        );
        expect(r.list(r.profile)).toBe(1); // in the Firefox profile's NSS database, read with certutil
        // Nothing in the machine stores: no /etc/pki/nssdb, no system file store was even made.
        await expect(fs.access(path.join(r.root, 'etc/pki/nssdb'))).rejects.toThrow();
        await expect(fs.access(path.join(r.root, 'var/lib/keytalk-agent/certs'))).rejects.toThrow();
        expect(r.outcome.notice).toEqual({
          code: 'policy.system-store-refused',
          params: { stores: r.outcome.stores[0] },
          message: expect.stringMatching(
            /policy \(allowedStores\) allows none of the machine stores \(system-nss, system-file\), so it was stored in your own certificate store/,
          ),
        });
      }
    });

    it('allowedStores naming "nss": the machine counterpart only (/etc/pki/nssdb), as the system daemon would, no notice', async () => {
      const r = await enrollUnder({ allowedStores: ['nss', 'firefox'] });
      if (r.outcome.status !== 'issued') expect.fail(JSON.stringify(r.outcome));
      expect(r.outcome.stores).toEqual(['system-nss']);
      expect(r.outcome.notice).toBeUndefined();
      expect(r.list(path.join(r.root, 'etc/pki/nssdb'))).toBe(1);
      expect(r.list(r.profile)).toBe(0);
      await expect(fs.access(path.join(r.root, 'var/lib/keytalk-agent/certs'))).rejects.toThrow();
    });
  },
);

describe('machine-store rights on Windows and macOS (exact commands)', () => {
  const runner = (stdout: string, calls: CommandSpec[]) => ({
    run: async (spec: CommandSpec) => {
      calls.push(spec);
      return { code: 0, stdout, stderr: '' };
    },
  });

  it('Windows: LocalMachine\\My, usable only when PowerShell says the process is elevated', async () => {
    const calls: CommandSpec[] = [];
    const t = systemStoreTarget({ platform: 'win32', runner: runner('False\r\n', calls) })!;
    expect(t.stores.map((s) => s.id)).toEqual(['windows-machine']);
    expect((await t.missingRights())?.message).toMatch(/not running as an administrator/);
    expect((await t.missingRights())?.code).toBe('store.system-not-admin');
    expect(calls[0]).toMatchObject({
      command: 'powershell.exe',
      args: ['-NoProfile', '-NonInteractive', '-Command', WINDOWS_ELEVATION_CHECK],
    });
    const ok = systemStoreTarget({ platform: 'win32', runner: runner('True\r\n', []) })!;
    expect(await ok.missingRights()).toBeUndefined();
  });

  it('macOS: the System keychain, usable only as root', async () => {
    const t = systemStoreTarget({ platform: 'darwin', runner: runner('', []), uid: () => 501 })!;
    expect(t.stores.map((s) => s.id)).toEqual(['macos-system']);
    expect((await t.missingRights())?.message).toMatch(/not running as root/);
    expect(
      await systemStoreTarget({ platform: 'darwin', runner: runner('', []), uid: () => 0 })!.missingRights(),
    ).toBeUndefined();
  });
});
