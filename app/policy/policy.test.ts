import { chmod, chown, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandRunner, CommandSpec, CommandResult } from '../system/command-runner';
import { loadPolicy } from './load-policy';
import { validatePolicy } from './schema';

/** A Windows/macOS tool that cannot run here: records each command and answers from fixture output. */
function fakeRunner(answers: Record<string, CommandResult>): CommandRunner & { calls: CommandSpec[] } {
  const calls: CommandSpec[] = [];
  return {
    calls,
    run: async (spec) => {
      calls.push(spec);
      return answers[[spec.command, ...spec.args].join(' ')] ?? { code: 1, stdout: '', stderr: 'unexpected command' };
    },
  };
}

const notFound: CommandResult = {
  code: 1,
  stdout: '',
  stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n',
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kt-policy-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('policy schema: every key validated on its own', () => {
  it.each([
    ['providers', ['/etc/keytalk-agent/rccd/a.rccd'], true],
    ['providers', '/one.rccd', false],
    ['defaultStores', ['file', 'nss'], true],
    ['allowedStores', [''], false],
    ['lockedStores', ['file'], true],
    ['lockedAutostart', true, true],
    ['lockedAutostart', 'yes', false],
    ['lockedLogLevel', 'debug', true],
    ['lockedLogLevel', 'verbose', false],
    ['lockedScannerConsent', false, true],
    ['neverUploadPrivateKeys', true, true],
    ['lockedRememberSecrets', false, true],
    ['renewalMarginFloorDays', 14, true],
    ['renewalMarginFloorDays', 14.5, false],
    ['renewalMarginFloorDays', -1, false],
    ['updateChannel', 'beta', true],
    ['updateChannel', 'nightly', false],
    ['updatesDisabled', true, true],
    ['telemetryDisabled', true, true],
    ['supportContact', 'helpdesk@example.com, +31 20 000 0000', true],
    ['supportContact', '', false],
    ['autoEnroll', [{ provider: 'Acme', service: 'Users' }], true],
    ['autoEnroll', [{ provider: 'Acme' }], false],
  ])('%s = %j → valid: %s', (key, value, valid) => {
    const r = validatePolicy({ updateChannel: 'beta', [key]: value }, 'test.json');
    if (key !== 'updateChannel') expect(r.policy.updateChannel).toBe('beta'); // the other key survives
    if (valid) {
      expect(r.policy).toHaveProperty(key, value);
      expect(r.warnings).toEqual([]);
    } else {
      if (key !== 'updateChannel') expect(r.policy).not.toHaveProperty(key);
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toMatch(new RegExp(`^test\\.json: ${key}.*; "${key}" ignored$`));
    }
  });

  it('an unknown key and a source that is not an object are warnings, not errors', () => {
    expect(validatePolicy({ lockStores: ['file'] }, 'p.json').warnings[0]).toMatch(/unknown policy key "lockStores"/);
    expect(validatePolicy([1], 'p.json')).toEqual({
      policy: {},
      warnings: [expect.stringMatching(/expected a JSON object/)],
      // coded for the UI's languages (app/model/core-text.ts)
      texts: [
        { code: 'policy.not-object', params: { source: 'p.json' }, message: expect.stringMatching(/expected a JSON object/) },
      ],
    });
  });
});

describe('Linux layout (KEYTALK_AGENT_POLICY_DIR): policy.json then policy.d/*.json in name order', () => {
  it('merges key by key, later files win, a broken file is reported and skipped', async () => {
    await writeFile(path.join(dir, 'policy.json'), JSON.stringify({ lockedLogLevel: 'warn', updateChannel: 'stable' }));
    await mkdir(path.join(dir, 'policy.d'));
    await writeFile(path.join(dir, 'policy.d', '20-beta.json'), JSON.stringify({ updateChannel: 'beta' }));
    await writeFile(path.join(dir, 'policy.d', '10-stores.json'), JSON.stringify({ updateChannel: 'x', lockedStores: ['nss'] }));
    await writeFile(path.join(dir, 'policy.d', '30-broken.json'), '{ "lockedAutostart": tru');
    await writeFile(path.join(dir, 'policy.d', 'README.txt'), 'not policy');
    const p = await loadPolicy({ platform: 'linux', env: { KEYTALK_AGENT_POLICY_DIR: dir } });
    expect(p.policy).toEqual({ lockedLogLevel: 'warn', updateChannel: 'beta', lockedStores: ['nss'] });
    expect(p.rccdDir).toBe(path.join(dir, 'rccd'));
    expect(p.sources).toEqual([
      path.join(dir, 'policy.json'),
      path.join(dir, 'policy.d', '10-stores.json'),
      path.join(dir, 'policy.d', '20-beta.json'),
    ]);
    expect(p.warnings).toEqual([
      expect.stringMatching(/10-stores\.json: updateChannel: expected "stable" or "beta"; "updateChannel" ignored/),
      expect.stringMatching(/30-broken\.json is not valid JSON/),
    ]);
  });

  it('a folder or file another local user could write is reported and ignored, never trusted', async () => {
    // The policy decides which servers every user trusts (its rccd/ installs providers): like sshd's StrictModes.
    await writeFile(path.join(dir, 'policy.json'), JSON.stringify({ lockedLogLevel: 'warn' }));
    await mkdir(path.join(dir, 'policy.d'));
    await writeFile(path.join(dir, 'policy.d', '10-evil.json'), JSON.stringify({ neverUploadPrivateKeys: false }));
    await chmod(path.join(dir, 'policy.d', '10-evil.json'), 0o666);
    const p = await loadPolicy({ platform: 'linux', env: { KEYTALK_AGENT_POLICY_DIR: dir } });
    expect(p.policy).toEqual({ lockedLogLevel: 'warn' });
    expect(p.warnings).toEqual([
      expect.stringMatching(/10-evil\.json is writable by every user \(mode 0666\); ignored \(chmod o-w /),
    ]);

    await chmod(path.join(dir, 'policy.d'), 0o777);
    expect((await loadPolicy({ platform: 'linux', env: { KEYTALK_AGENT_POLICY_DIR: dir } })).warnings).toEqual([
      expect.stringMatching(/policy\.d is writable by every user \(mode 0777\)/),
    ]);
    await chmod(dir, 0o777);
    const open = await loadPolicy({ platform: 'linux', env: { KEYTALK_AGENT_POLICY_DIR: dir } });
    expect(open).toMatchObject({ policy: {}, sources: [], warnings: [expect.stringMatching(/writable by every user/)] });
    await chmod(dir, 0o755);
    if (process.geteuid?.() === 0) {
      // Owned by another user: refused even when only the owner can write.
      await chown(path.join(dir, 'policy.json'), 65534, 65534);
      const theirs = await loadPolicy({ platform: 'linux', env: { KEYTALK_AGENT_POLICY_DIR: dir } });
      expect(theirs.policy).toEqual({});
      expect(theirs.warnings).toContainEqual(expect.stringMatching(/policy\.json is owned by user id 65534, not by root/));
    }
  });

  it('no folder at all is no policy', async () => {
    const p = await loadPolicy({ platform: 'linux', env: { KEYTALK_AGENT_POLICY_DIR: path.join(dir, 'none') } });
    expect(p).toMatchObject({ policy: {}, warnings: [], sources: [] });
  });
});

describe('Windows: %ProgramData% policy.json < HKCU < HKLM, read with reg query', () => {
  const hklm = [
    '',
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\KeyTalk\\Agent',
    '    lockedAutostart    REG_DWORD    0x1',
    '    renewalMarginFloorDays    REG_DWORD    0xe',
    '    lockedStores    REG_MULTI_SZ    windows\\0nss',
    '    supportContact    REG_SZ    Service desk, ext. 4444',
    '    autoEnroll    REG_SZ    [{"provider":"Acme","service":"Machine"}]',
    '    lockedLogLevel    REG_SZ    loud',
    '',
  ].join('\r\n');
  const hkcu = [
    '',
    'HKEY_CURRENT_USER\\SOFTWARE\\Policies\\KeyTalk\\Agent',
    '    lockedAutostart    REG_DWORD    0x0',
    '    updateChannel    REG_SZ    beta',
    '',
  ].join('\r\n');

  it('runs the exact commands and merges machine over user over file', async () => {
    const programData = path.join(dir, 'ProgramData');
    await mkdir(path.join(programData, 'KeyTalk Agent'), { recursive: true });
    await writeFile(
      path.join(programData, 'KeyTalk Agent', 'policy.json'),
      JSON.stringify({ updateChannel: 'stable', telemetryDisabled: true }),
    );
    const runner = fakeRunner({
      'reg query HKLM\\SOFTWARE\\Policies\\KeyTalk\\Agent /s': { code: 0, stdout: hklm, stderr: '' },
      'reg query HKCU\\SOFTWARE\\Policies\\KeyTalk\\Agent /s': { code: 0, stdout: hkcu, stderr: '' },
    });
    const p = await loadPolicy({ platform: 'win32', env: { ProgramData: programData }, runner });
    expect(runner.calls.map((c) => [c.command, ...c.args])).toEqual([
      ['reg', 'query', 'HKCU\\SOFTWARE\\Policies\\KeyTalk\\Agent', '/s'],
      ['reg', 'query', 'HKLM\\SOFTWARE\\Policies\\KeyTalk\\Agent', '/s'],
    ]);
    expect(p.policy).toEqual({
      telemetryDisabled: true,
      updateChannel: 'beta',
      lockedAutostart: true,
      renewalMarginFloorDays: 14,
      lockedStores: ['windows', 'nss'],
      supportContact: 'Service desk, ext. 4444',
      autoEnroll: [{ provider: 'Acme', service: 'Machine' }],
    });
    expect(p.warnings).toEqual([expect.stringMatching(/^HKLM.*Agent: lockedLogLevel: expected .*"lockedLogLevel" ignored$/)]);
  });

  it('reads a policy.json saved with a UTF-8 byte-order mark (Windows PowerShell 5.1 Set-Content -Encoding UTF8)', async () => {
    await mkdir(path.join(dir, 'KeyTalk Agent'));
    await writeFile(path.join(dir, 'KeyTalk Agent', 'policy.json'), '\uFEFF{"updatesDisabled": true}\r\n');
    const runner = fakeRunner({
      'reg query HKLM\\SOFTWARE\\Policies\\KeyTalk\\Agent /s': notFound,
      'reg query HKCU\\SOFTWARE\\Policies\\KeyTalk\\Agent /s': notFound,
    });
    const p = await loadPolicy({ platform: 'win32', env: { ProgramData: dir }, runner });
    expect(p).toMatchObject({ policy: { updatesDisabled: true }, warnings: [] });
  });

  it('absent keys are no policy; a failing reg is a warning', async () => {
    const runner = fakeRunner({
      'reg query HKLM\\SOFTWARE\\Policies\\KeyTalk\\Agent /s': notFound,
      'reg query HKCU\\SOFTWARE\\Policies\\KeyTalk\\Agent /s': { code: 5, stdout: '', stderr: 'ERROR: Access is denied.' },
    });
    const p = await loadPolicy({ platform: 'win32', env: { ProgramData: dir }, runner });
    expect(p.policy).toEqual({});
    expect(p.warnings).toEqual(['HKCU\\SOFTWARE\\Policies\\KeyTalk\\Agent reg query failed (ERROR: Access is denied.); ignored']);
  });
});

describe('macOS: managed preferences read with plutil', () => {
  const cmd = 'plutil -convert json -o - /Library/Managed Preferences/com.keytalk.agent.plist';

  it('runs the exact command and validates what it prints', async () => {
    const plist = { updatesDisabled: true, lockedScannerConsent: 'no', PayloadUUID: 'x', defaultStores: ['macos'] };
    const runner = fakeRunner({ [cmd]: { code: 0, stdout: JSON.stringify(plist), stderr: '' } });
    const p = await loadPolicy({ platform: 'darwin', env: {}, runner });
    expect(runner.calls).toEqual([
      {
        command: 'plutil',
        args: ['-convert', 'json', '-o', '-', '/Library/Managed Preferences/com.keytalk.agent.plist'],
        timeoutMs: 15_000,
      },
    ]);
    expect(p.policy).toEqual({ updatesDisabled: true, defaultStores: ['macos'] });
    expect(p.warnings).toEqual([expect.stringMatching(/lockedScannerConsent: expected boolean/)]);
  });

  it('no profile installed is no policy', async () => {
    const stderr = '/Library/Managed Preferences/com.keytalk.agent.plist: file does not exist or is not readable';
    const runner = fakeRunner({ [cmd]: { code: 1, stdout: '', stderr } });
    expect(await loadPolicy({ platform: 'darwin', env: {}, runner })).toMatchObject({ policy: {}, warnings: [] });
  });
});
