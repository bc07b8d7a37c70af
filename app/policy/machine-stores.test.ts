import { describe, expect, it } from 'vitest';
import { systemStoreTarget } from '../stores/system-stores';
import { MACHINE_STORE_IDS, machineStoresUnder } from './machine-stores';
import type { Policy } from './schema';

/**
 * Issue 20, machine scope: the policy's store keys for the system daemon. One policy per machine; its user store ids
 * stand for their machine counterparts (nss → /etc/pki/nssdb, file → the system file store, windows-user →
 * LocalMachine\My, macos-login → the System keychain); a store without one is ignored with a warning; a policy that
 * allows none of the machine stores says so. (Per scope through the real stores and CLI: app/agent/scope-stores.test.ts.)
 */
const LINUX = MACHINE_STORE_IDS.linux!;

describe('the policy store keys in machine scope', () => {
  it.each<[string, Policy, readonly string[], string[], RegExp[]]>([
    ['no store keys: every machine store', {}, LINUX, ['system-nss', 'system-file'], []],
    ['defaultStores nss: /etc/pki/nssdb only', { defaultStores: ['nss'] }, LINUX, ['system-nss'], []],
    ['defaultStores file: the system file store only', { defaultStores: ['file'] }, LINUX, ['system-file'], []],
    ['a machine store named by its own id', { defaultStores: ['system-file'] }, LINUX, ['system-file'], []],
    [
      'a Firefox profile has no machine store: ignored, said so, the rest applies',
      { defaultStores: ['firefox:abc', 'nss'] },
      LINUX,
      ['system-nss'],
      [/^policy key "defaultStores": store "firefox:abc" has no machine store on this computer.*system-nss \(policy: nss\)/],
    ],
    [
      'defaultStores naming no machine store: every machine store (a default, not a restriction)',
      { defaultStores: ['firefox'] },
      LINUX,
      ['system-nss', 'system-file'],
      [/store "firefox" has no machine store/],
    ],
    ['allowedStores filters', { allowedStores: ['file', 'firefox'] }, LINUX, ['system-file'], [/store "firefox"/]],
    [
      'allowedStores leaving nothing of defaultStores: the allowed machine stores',
      { defaultStores: ['nss'], allowedStores: ['file'] },
      LINUX,
      ['system-file'],
      [],
    ],
    ['lockedStores beat defaultStores', { lockedStores: ['nss'], defaultStores: ['file'] }, LINUX, ['system-nss'], []],
    [
      'a policy that allows none of the machine stores: none, and said clearly',
      { allowedStores: ['firefox', 'linux-system-ca'] },
      LINUX,
      [],
      [
        /store "firefox"/,
        /store "linux-system-ca"/,
        /^policy key "allowedStores" allows none of this computer's machine stores \(system-nss \(policy: nss\), system-file \(policy: file\)\): the system daemon can enroll and renew nothing/,
      ],
    ],
    [
      'Windows: windows-user is LocalMachine\\My',
      { defaultStores: ['windows-user'] },
      ['windows-machine'],
      ['windows-machine'],
      [],
    ],
    [
      'Windows: file has no machine store there',
      { defaultStores: ['file', 'windows-user'] },
      ['windows-machine'],
      ['windows-machine'],
      [/store "file" has no machine store on this computer.*\(its stores: windows-machine \(policy: windows-user\)\)/],
    ],
    ['macOS: macos-login is the System keychain', { allowedStores: ['macos-login'] }, ['macos-system'], ['macos-system'], []],
  ])('%s', (_name, policy, available, ids, warnings) => {
    const r = machineStoresUnder(policy, available);
    expect(r.ids).toEqual(ids);
    expect(r.warnings).toHaveLength(warnings.length);
    warnings.forEach((w, i) => expect(r.warnings[i]).toMatch(w));
  });

  it.each(['linux', 'win32', 'darwin'] as const)('knows the machine stores system-stores.ts makes on %s', (platform) => {
    const made = systemStoreTarget({ platform, fileStoreDir: '/nowhere' })!.stores.map((s) => s.id);
    expect(MACHINE_STORE_IDS[platform]).toEqual(made);
  });
});
