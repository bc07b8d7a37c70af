import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../test-support/cli/run-cli-captured';
import { forgetPolicy } from '../../policy/load-policy';
import { EXIT } from '../exit-codes';

/**
 * Issue 20, locked settings from the CLI: a command that would change a setting the policy locks exits 2 naming the
 * policy key and changes nothing; the same command on a free setting still works. The policy is a real folder
 * (KEYTALK_AGENT_POLICY_DIR), as an administrator trying a policy would lay it out.
 */
let root: string;
let home: string;
const saved = process.env.KEYTALK_AGENT_POLICY_DIR;
const run = (args: string[]) => runCliCaptured(args, { home, env: { HOME: root } });

async function usePolicy(policy: object) {
  const dir = path.join(root, 'policy');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'policy.json'), JSON.stringify(policy));
  process.env.KEYTALK_AGENT_POLICY_DIR = dir;
  forgetPolicy();
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'kt-policy-cli-'));
  home = path.join(root, 'home');
});
afterEach(async () => {
  if (saved === undefined) delete process.env.KEYTALK_AGENT_POLICY_DIR;
  else process.env.KEYTALK_AGENT_POLICY_DIR = saved;
  forgetPolicy();
  await rm(root, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('locked settings in the CLI (issue 20)', () => {
  it('stores enable|disable exit 2 naming lockedStores and leave settings.json alone', async () => {
    await usePolicy({ lockedStores: ['file'] });
    for (const args of [
      ['stores', 'enable', 'nss'],
      ['stores', 'disable', 'file'],
    ]) {
      const r = await run(args);
      expect(r.code, r.stdout).toBe(EXIT.badInput);
      expect(r.stderr).toMatch(/managed by your organisation \(policy key "lockedStores"\)/);
    }
    await expect(readFile(path.join(home, 'state', 'settings.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('allowedStores refuses a store outside the list, and allows one inside it', async () => {
    await usePolicy({ allowedStores: ['file', 'nss'] });
    const bad = await run(['stores', 'enable', 'firefox']);
    expect(bad.code).toBe(EXIT.badInput);
    expect(bad.stderr).toMatch(/policy key "allowedStores"/);
    const ok = await run(['stores', 'enable', 'nss']);
    expect(ok.code, ok.stderr).toBe(EXIT.ok);
    expect(JSON.parse(await readFile(path.join(home, 'state', 'settings.json'), 'utf8'))).toEqual({ stores: ['file', 'nss'] });
  });

  it('scan settings --send-private-keys on exits 2 naming neverUploadPrivateKeys; off and other settings still work', async () => {
    await usePolicy({ neverUploadPrivateKeys: true });
    const r = await run(['scan', 'settings', '--send-private-keys', 'on']);
    expect(r.code).toBe(EXIT.badInput);
    expect(r.stderr).toMatch(/policy key "neverUploadPrivateKeys"/);
    const ok = await run(['scan', 'settings', '--expired', 'on', '--json']);
    expect(ok.code, ok.stderr).toBe(EXIT.ok);
    expect(JSON.parse(ok.stdout)).toMatchObject({ includeExpired: true, sendPrivateKeys: false });
  });

  it('scan settings --scanning exits 2 naming lockedScannerConsent; the pinned value shows (issue 20)', async () => {
    await usePolicy({ lockedScannerConsent: true });
    const r = await run(['scan', 'settings', '--scanning', 'off']);
    expect(r.code).toBe(EXIT.badInput);
    expect(r.stderr).toMatch(/Certificate scanning is managed by your organisation \(policy key "lockedScannerConsent"\)/);
    const ok = await run(['scan', 'settings', '--scanning', 'on', '--json']);
    expect(ok.code, ok.stderr).toBe(EXIT.ok);
    expect(JSON.parse(ok.stdout)).toMatchObject({ scanningEnabled: true });
  });

  it('the consent given before the policy arrived no longer counts', async () => {
    expect((await run(['scan', 'settings', '--send-private-keys', 'on'])).code).toBe(EXIT.ok);
    await usePolicy({ neverUploadPrivateKeys: true });
    const r = await run(['scan', 'settings', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ sendPrivateKeys: false });
  });

  it('status shows the policy source, a bad key as a warning, and the support contact', async () => {
    await usePolicy({ supportContact: 'IT desk, ext. 4444', lockedLogLevel: 'loud' });
    const r = await run(['status']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/managed by policy: .*policy\.json/);
    expect(r.stdout).toMatch(/policy warning: .*lockedLogLevel: expected .*"lockedLogLevel" ignored/);
    expect(r.stdout).toMatch(/support: IT desk, ext\. 4444/);
  });
});
