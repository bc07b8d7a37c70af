import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureInput } from '../../simulators/keytalk/index';
import type { FlowAnswer, FlowPrompt } from '../model/flow-types';
import type { CommandSpec } from '../system/command-runner';
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
