import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentContext } from '../agent/agent-context';
import { settingsHandlers } from '../agent/settings-handlers';
import { defaultSettings, readSettings } from '../agent/settings';
import type { Settings } from '../ipc/contract';
import type { SecretStore } from '../system/secret-store';
import { applyPolicy } from './apply-settings';
import { forgetPolicy } from './load-policy';
import type { Policy } from './schema';

describe('precedence: policy > user settings > defaults', () => {
  it.each<[string, Partial<Settings>, Policy, Partial<Settings>, Record<string, string>]>([
    [
      'no policy: the user wins over defaults',
      { stores: ['nss'], autostart: true },
      {},
      { stores: ['nss'], autostart: true },
      {},
    ],
    ['defaultStores while the user chose none', {}, { defaultStores: ['file', 'nss'] }, { stores: ['file', 'nss'] }, {}],
    ['the user choice beats defaultStores', { stores: ['firefox'] }, { defaultStores: ['nss'] }, { stores: ['firefox'] }, {}],
    [
      'allowedStores drops the rest',
      { stores: ['file', 'firefox:abc', 'nss'] },
      { allowedStores: ['firefox', 'nss'] },
      { stores: ['firefox:abc', 'nss'] },
      {},
    ],
    [
      'nothing allowed left: allowed defaults',
      { stores: ['file'] },
      { allowedStores: ['nss'], defaultStores: ['nss', 'file'] },
      { stores: ['nss'] },
      {},
    ],
    [
      'lockedStores beat the user',
      { stores: ['file'] },
      { lockedStores: ['nss'] },
      { stores: ['nss'] },
      { stores: 'lockedStores' },
    ],
    ['lockedAutostart', { autostart: false }, { lockedAutostart: true }, { autostart: true }, { autostart: 'lockedAutostart' }],
    ['lockedLogLevel', { logLevel: 'debug' }, { lockedLogLevel: 'error' }, { logLevel: 'error' }, { logLevel: 'lockedLogLevel' }],
  ])('%s', (_name, user, policy, expected, locked) => {
    const r = applyPolicy(user, defaultSettings, policy);
    expect(r.settings).toMatchObject(expected);
    expect(r.locked).toEqual(locked);
    expect(r.settings.theme).toBe(user.theme ?? 'system'); // settings the policy does not speak about are the user's
  });
});

describe('settings read and written under a policy folder (KEYTALK_AGENT_POLICY_DIR)', () => {
  let root: string;
  let home: string;
  let policyDir: string;
  const saved = process.env.KEYTALK_AGENT_POLICY_DIR;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'kt-policy-settings-'));
    home = path.join(root, 'home');
    policyDir = path.join(root, 'policy');
    await mkdir(path.join(home, 'state'), { recursive: true });
    await mkdir(policyDir);
    await writeFile(path.join(policyDir, 'policy.json'), JSON.stringify({ lockedStores: ['nss'], lockedLogLevel: 'warn' }));
    await writeFile(path.join(home, 'state', 'settings.json'), JSON.stringify({ stores: ['file'], theme: 'dark' }));
    process.env.KEYTALK_AGENT_POLICY_DIR = policyDir;
    forgetPolicy();
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env.KEYTALK_AGENT_POLICY_DIR;
    else process.env.KEYTALK_AGENT_POLICY_DIR = saved;
    forgetPolicy();
    await rm(root, { recursive: true, force: true });
  });

  function handlers() {
    const emitted: unknown[] = [];
    const ctx = { home, sink: { emit: (_c: string, p: unknown) => emitted.push(p) }, state: async () => ({}) };
    return settingsHandlers(ctx as unknown as AgentContext, {} as SecretStore);
  }

  it('settings:get answers the policy values and which key locks each', async () => {
    expect(await readSettings(home)).toEqual({
      ...defaultSettings,
      stores: ['nss'],
      logLevel: 'warn',
      theme: 'dark',
      locked: { stores: 'lockedStores', logLevel: 'lockedLogLevel' },
    });
    expect(await handlers()['settings:get']({})).toMatchObject({ locked: { stores: 'lockedStores' } });
  });

  it('settings:set refuses a locked change naming the key, and writes only the user choices', async () => {
    const h = handlers();
    await expect(h['settings:set']({ stores: ['file'] })).rejects.toThrow(/policy key "lockedStores"/);
    await expect(h['settings:set']({ logLevel: 'debug', theme: 'light' })).rejects.toThrow(/"lockedLogLevel"/);
    // Setting a locked value to what it is locked to changes nothing and is allowed.
    const next = await h['settings:set']({ theme: 'light', logLevel: 'warn' });
    expect(next).toMatchObject({ theme: 'light', stores: ['nss'], logLevel: 'warn' });
    const file = JSON.parse(await readFile(path.join(home, 'state', 'settings.json'), 'utf8')) as Settings;
    expect(file).toEqual({ stores: ['file'], theme: 'light', logLevel: 'warn' }); // the policy's stores not copied in
  });

  it('a broken policy file locks nothing and never stops settings from being read', async () => {
    await writeFile(path.join(policyDir, 'policy.json'), '{');
    forgetPolicy();
    expect(await readSettings(home)).toEqual({ ...defaultSettings, stores: ['file'], theme: 'dark' });
  });
});
