import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scannerSettingsFile } from '../../scanner/settings';
import { EXIT } from '../exit-codes';
import { runCliCaptured } from '../../../test-support/cli/run-cli-captured';

let tmp: string;
let home: string;
const cli = (args: string[]) => runCliCaptured(args, { home });

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-cli-scan-settings-'));
  home = path.join(tmp, 'home');
});
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

describe('keytalk-agent scan settings', () => {
  it('shows the defaults without changing anything', async () => {
    const r = await cli(['scan', 'settings']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/folders: +\(none\)/);
    expect(r.stdout).toMatch(/send private keys: +off \(certificates only\)/);
    await expect(fs.stat(scannerSettingsFile(home))).rejects.toThrow(/ENOENT/);
  });

  it('adds folders (relative ones resolved), an NSS database and the consent; --json gives the settings', async () => {
    const r = await cli([
      'scan',
      'settings',
      '--add-folder',
      '/srv/certs',
      '--add-folder',
      'rel',
      '--add-nssdb',
      '/home/me/.pki/nssdb',
      '--send-private-keys',
      'on',
      '--expired',
      'on',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(JSON.parse(r.stdout)).toEqual({
      scanningEnabled: true,
      folders: ['/srv/certs', path.resolve('rel')],
      nssDbs: ['/home/me/.pki/nssdb'],
      includeExpired: true,
      sendPrivateKeys: true,
    });
    expect(JSON.parse(await fs.readFile(scannerSettingsFile(home), 'utf8'))).toMatchObject({
      folders: ['/srv/certs', path.resolve('rel')],
      sendPrivateKeys: true,
    });
    const shown = await cli(['scan', 'settings']);
    expect(shown.stdout).toMatch(/send private keys: +on \(unprotected private keys are uploaded/);
  });

  it('removes a folder and turns the consent off', async () => {
    const r = await cli(['scan', 'settings', '--remove-folder', 'rel', '--send-private-keys', 'off']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/folders: +\/srv\/certs\n/);
    expect(r.stdout).toMatch(/saved in .*scanner-settings\.json/);
  });

  it('bad input exits 2 and names the fix', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['scan', 'settings', '--remove-folder', '/nope'],
        /folder \/nope is not in the scanner settings; configured: \/srv\/certs/,
      ],
      [['scan', 'settings', '--expired', 'maybe'], /--expired takes on or off/],
      [['scan', '--add-folder', '/x'], /--add-folder belongs to "scan settings"/],
      [['scan', 'report', '--dry-run'], /--dry-run belongs to "scan" itself, not "scan report"/],
      [['scan', 'rport'], /unknown scan sub-command "rport"/],
    ];
    for (const [args, msg] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(EXIT.badInput);
      expect(r.stderr).toMatch(msg);
    }
  });

  it('a broken settings file is reported with its fix (exit 2)', async () => {
    await fs.writeFile(scannerSettingsFile(home), JSON.stringify({ sendPrivateKeys: 'yes' }));
    const r = await cli(['scan', 'settings', '--expired', 'off']);
    expect(r.code).toBe(EXIT.badInput);
    expect(r.stderr).toMatch(/scanner-settings\.json: sendPrivateKeys: .*fix or delete the file/);
  });
});

describe('keytalk-agent scan report', () => {
  it('before any scan says how to start one', async () => {
    await fs.rm(scannerSettingsFile(home));
    const r = await cli(['scan', 'report']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/no scan has run yet/);
    expect(JSON.parse((await cli(['scan', 'report', '--json'])).stdout)).toMatchObject({ targets: [], lastScans: [] });
  });
});
