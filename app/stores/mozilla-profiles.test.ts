import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findMozillaProfiles, profilesFromIni, profileRoots } from './mozilla-profiles';
import { NssStore } from './nss-store';
import { createStores } from './registry';
import { TestPki } from '../../test-support/stores/test-pki';

const userHome = mkdtempSync(path.join(os.tmpdir(), 'moz-home-'));
afterAll(() => rmSync(userHome, { recursive: true, force: true }));

function nssDb(dir: string) {
  mkdirSync(dir, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
}

// A Firefox-like tree: deb install with a relative default-release profile chosen by an [Install] section,
// an absolute-path profile elsewhere, a never-started profile; a Snap Firefox; a Thunderbird profile.
const ff = path.join(userHome, '.mozilla', 'firefox');
const absProfile = path.join(userHome, 'elsewhere', 'work profile');
writeFileSync(
  path.join((mkdirSync(ff, { recursive: true }), ff), 'profiles.ini'),
  [
    '\uFEFF[Install4F96D1932A9F858E]',
    'Default=abcd1234.default-release',
    'Locked=1',
    '',
    '[Profile1]',
    'Name=default',
    'IsRelative=1',
    'Path=wxyz.default',
    'Default=1',
    '',
    '[Profile0]',
    'Name=default-release',
    'IsRelative=1',
    'Path=abcd1234.default-release',
    '',
    '[Profile2]',
    'Name=Work',
    'IsRelative=0',
    `Path=${absProfile}`,
    '',
    '[General]',
    'StartWithLastProfile=1',
    'Version=2',
    '',
  ].join('\r\n'),
);
nssDb(path.join(ff, 'abcd1234.default-release'));
nssDb(absProfile);
mkdirSync(path.join(ff, 'wxyz.default'), { recursive: true });
const snap = path.join(userHome, 'snap', 'firefox', 'common', '.mozilla', 'firefox');
mkdirSync(snap, { recursive: true });
writeFileSync(
  path.join(snap, 'profiles.ini'),
  '[Profile0]\nName=default-release\nIsRelative=1\nPath=snapprof.default-release\nDefault=1\n',
);
nssDb(path.join(snap, 'snapprof.default-release'));
const tb = path.join(userHome, '.thunderbird');
mkdirSync(tb, { recursive: true });
writeFileSync(path.join(tb, 'profiles.ini'), '[Profile0]\nName=Mail ü\nIsRelative=1\nPath=t1.default\nDefault=1\n');
nssDb(path.join(tb, 't1.default'));

describe('Mozilla profile discovery', () => {
  it('finds Firefox (deb + snap) and Thunderbird profiles with relative/absolute paths and the install default', () => {
    const found = findMozillaProfiles({ platform: 'linux', userHome, env: {} });
    const summary = found.map((p) => [p.app, p.flavour, p.name, p.dir, p.isDefault, p.hasSqlDb]);
    expect(summary).toEqual([
      ['firefox', 'deb', 'default', path.join(ff, 'wxyz.default'), false, false],
      ['firefox', 'deb', 'default-release', path.join(ff, 'abcd1234.default-release'), true, true],
      ['firefox', 'deb', 'Work', absProfile, false, true],
      ['firefox', 'snap', 'default-release', path.join(snap, 'snapprof.default-release'), true, true],
      ['thunderbird', 'deb', 'Mail ü', path.join(tb, 't1.default'), true, true],
    ]);
  });

  it('knows the Windows and macOS locations and resolves Windows relative paths with backslashes', () => {
    expect(profileRoots('firefox', 'win32', 'C:\\Users\\ann', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' })).toEqual([
      { flavour: 'windows', dir: 'C:\\Users\\ann\\AppData\\Roaming\\Mozilla\\Firefox' },
    ]);
    expect(profileRoots('firefox', 'darwin', '/Users/ann')).toEqual([
      { flavour: 'macos', dir: '/Users/ann/Library/Application Support/Firefox' },
    ]);
    expect(profileRoots('thunderbird', 'darwin', '/Users/ann')).toEqual([
      { flavour: 'macos', dir: '/Users/ann/Library/Thunderbird' },
    ]);
    const ini =
      '[Profile0]\nName=default-release\nIsRelative=1\nPath=Profiles/ab.default-release\nDefault=1\n[Profile1]\nName=x\nIsRelative=0\nPath=D:\\FF\\x\n';
    expect(profilesFromIni(ini, 'C:\\Users\\ann\\AppData\\Roaming\\Mozilla\\Firefox', 'win32')).toEqual([
      {
        name: 'default-release',
        dir: 'C:\\Users\\ann\\AppData\\Roaming\\Mozilla\\Firefox\\Profiles\\ab.default-release',
        isDefault: true,
      },
      { name: 'x', dir: 'D:\\FF\\x', isDefault: false },
    ]);
  });

  it('the registry makes one NSS store per profile, and certificates land in the profile database', async () => {
    const stores = createStores({
      home: path.join(userHome, 'agent'),
      enabled: ['file', 'firefox', 'thunderbird'],
      platform: 'linux',
      userHome,
      env: {},
    });
    expect(stores.map((s) => s.id)).toEqual([
      'file',
      'firefox:default',
      'firefox:default-release',
      'firefox:Work',
      'firefox:snap:default-release',
      'thunderbird:Mail ü',
    ]);
    const release = stores[2] as NssStore;
    const descs = await Promise.all(stores.map((s) => s.describe()));
    expect(descs.map((d) => d.available)).toEqual([true, false, true, true, true, true]);
    const pki = new TestPki('Profile');
    const stored = await release.add({ ...pki.bundle('Firefox User é'), origin: { provider: 'P', service: 'S' } });
    const listing = execFileSync('certutil', ['-L', '-d', `sql:${path.join(ff, 'abcd1234.default-release')}`], {
      encoding: 'utf8',
    });
    expect(listing).toContain('KeyTalk P S Firefox User é');
    expect(stored.storeId).toBe('firefox:default-release');
  });
});
