import { chmod, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { createTestPki, issueCertificate } from '../../test-support/crypto/test-pki';
import { makeRccdV2, type RccdCas } from '../../test-support/rccd/make-rccd';
import { EXIT } from '../cli/exit-codes';
import { listProviders } from '../rccd/provider-store';
import { forgetPolicy, loadPolicy } from './load-policy';
import { importProvisioned, provisionAtStart } from './provisioned';

/**
 * Issue 20, provisioned providers: real RCCD files (make-rccd) in the policy folder's rccd/ and named in the policy
 * are imported into a user's home at start; a newer ContentVersion replaces the installed one; a broken file is a
 * warning; and the user cannot remove a provisioned provider (CLI exit 2 naming the policy key).
 */
let root: string;
let cas: RccdCas;
const saved = process.env.KEYTALK_AGENT_POLICY_DIR;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'kt-provisioned-'));
  const pki = await createTestPki('Prov');
  const ca = (cn: string) => issueCertificate(pki.primary, { cn, isCa: true, keyPem: pki.server.keyPem });
  cas = { root: pki.root, primary: pki.primary, signing: await ca('Prov UCA'), server: await ca('Prov SCA') };
});
afterAll(async () => {
  if (saved === undefined) delete process.env.KEYTALK_AGENT_POLICY_DIR;
  else process.env.KEYTALK_AGENT_POLICY_DIR = saved;
  forgetPolicy();
  await rm(root, { recursive: true, force: true });
});

describe('provisioned providers', () => {
  it('imports rccd/ and policy-named RCCDs for a user, upgrades, reports broken files, and refuses removal', async () => {
    const policyDir = path.join(root, 'policy');
    await mkdir(path.join(policyDir, 'rccd'), { recursive: true });
    await writeFile(
      path.join(policyDir, 'rccd', 'acme.rccd'),
      await makeRccdV2({ cas, providerName: 'Acme', contentVersion: 1 }),
    );
    await writeFile(path.join(policyDir, 'rccd', 'broken.rccd'), 'not a zip');
    const named = path.join(root, 'elsewhere', 'beta.rccd');
    await mkdir(path.dirname(named));
    await writeFile(named, await makeRccdV2({ cas, providerName: 'Beta' }));
    await writeFile(path.join(policyDir, 'policy.json'), JSON.stringify({ providers: [named] }));
    process.env.KEYTALK_AGENT_POLICY_DIR = policyDir;
    forgetPolicy();

    const home = path.join(root, 'home');
    const warned: string[] = [];
    await provisionAtStart(home, { info: () => undefined, warn: (_e, f) => warned.push(String(f?.message)) });
    expect((await listProviders(home)).map((p) => p.name).sort()).toEqual(['Acme', 'Beta']);
    expect(warned).toEqual([expect.stringMatching(/broken\.rccd: .*not imported$/)]);

    // A second start with the same files changes nothing; a newer ContentVersion replaces the installed one.
    await writeFile(
      path.join(policyDir, 'rccd', 'acme.rccd'),
      await makeRccdV2({ cas, providerName: 'Acme', contentVersion: 2 }),
    );
    const again = await importProvisioned(
      home,
      await loadPolicy({ platform: 'linux', env: { KEYTALK_AGENT_POLICY_DIR: policyDir } }),
    );
    expect(again.names.sort()).toEqual(['Acme', 'Beta']);
    expect((await listProviders(home)).find((p) => p.name === 'Acme')?.contentVersion).toBe(2);

    // An RCCD any local user could have swapped in is not imported: it would install their server for everyone.
    await writeFile(path.join(policyDir, 'rccd', 'zz-open.rccd'), await makeRccdV2({ cas, providerName: 'Open' }));
    await chmod(path.join(policyDir, 'rccd', 'zz-open.rccd'), 0o666);
    const open = await importProvisioned(
      home,
      await loadPolicy({ platform: 'linux', env: { KEYTALK_AGENT_POLICY_DIR: policyDir } }),
    );
    expect(open.warnings).toContainEqual(
      expect.stringMatching(/zz-open\.rccd: the file is writable by every user \(mode 0666\)/),
    );
    expect((await listProviders(home)).map((p) => p.name)).not.toContain('Open');
    await rm(path.join(policyDir, 'rccd', 'zz-open.rccd'));

    const r = await runCliCaptured(['rccd', 'remove', 'Acme'], { home, env: { HOME: root } });
    expect(r.code).toBe(EXIT.badInput);
    expect(r.stderr).toMatch(/Provider "Acme" is managed by your organisation \(policy key "providers"\)/);
    expect((await listProviders(home)).map((p) => p.name)).toContain('Acme');
  });

  it('a bad policy key is logged at start as policy-invalid, ignored on its own, and never stops the start', async () => {
    const policyDir = path.join(root, 'policy-bad');
    await mkdir(policyDir, { recursive: true });
    await writeFile(
      path.join(policyDir, 'policy.json'),
      JSON.stringify({ renewalMarginFloorDays: -1, noSuchKey: true, supportContact: 'IT desk, ext. 1234' }),
    );
    process.env.KEYTALK_AGENT_POLICY_DIR = policyDir;
    forgetPolicy();
    const lines: [string, Record<string, unknown> | undefined][] = [];
    const log = {
      info: (e: string, f?: Record<string, unknown>) => lines.push([e, f]),
      warn: (e: string, f?: Record<string, unknown>) => lines.push([e, f]),
    };
    await provisionAtStart(path.join(root, 'home-bad'), log);
    expect(lines.filter(([e]) => e === 'policy-invalid').map(([, f]) => f?.message)).toEqual([
      expect.stringMatching(/policy\.json: .*renewalMarginFloorDays.*; "renewalMarginFloorDays" ignored$/),
      expect.stringMatching(/policy\.json: unknown policy key "noSuchKey"; ignored/),
    ]);
    // The good key still applies.
    expect(lines.find(([e]) => e === 'policy')?.[1]).toMatchObject({ keys: ['supportContact'] });
  });
});
