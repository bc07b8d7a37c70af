import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { patchSettings, readSettings } from '../agent/settings';
import { EXIT } from '../cli/exit-codes';
import { describeRepaired, repairedFiles } from './repaired-files';
import { checkSettings } from './settings-check';
import { defaultStoreIds } from '../stores/default-stores';

describe('checkSettings: one bad value costs only that value', () => {
  const cases: { name: string; raw: unknown; valid: object; problems: RegExp[] }[] = [
    {
      name: 'a good file',
      raw: { autostart: true, stores: ['file', 'nss'], logLevel: 'debug', theme: 'dark' },
      valid: { autostart: true, stores: ['file', 'nss'], logLevel: 'debug', theme: 'dark' },
      problems: [],
    },
    {
      name: 'an unknown store among good ones',
      raw: { stores: ['file', 'foo'], logLevel: 'warn' },
      valid: { stores: ['file'], logLevel: 'warn' },
      problems: [/^stores: unknown certificate store "foo" \(stores on this computer: file, nss/],
    },
    {
      name: 'a store of another platform',
      raw: { stores: ['windows-user', 'nss'] },
      valid: { stores: ['nss'] },
      problems: [/"windows-user"/],
    },
    {
      name: 'only unknown stores',
      raw: { stores: ['foo'] },
      valid: {},
      problems: [/"foo"/, /no certificate store left enabled/],
    },
    {
      name: 'stores as comma text',
      raw: { stores: 'file, nss' },
      valid: {},
      problems: [/^stores: expected a list of store ids, got "file, nss"$/],
    },
    { name: 'a repeated store', raw: { stores: ['file', 'file'] }, valid: { stores: ['file'] }, problems: [] },
    {
      name: 'a log level of a newer version',
      raw: { logLevel: 'trace', theme: 'light' },
      valid: { theme: 'light' },
      problems: [/^logLevel: expected one of error, warn, info, debug, got "trace"$/],
    },
    {
      name: 'a theme that is not one',
      raw: { theme: 42 },
      valid: {},
      problems: [/^theme: expected one of system, light, dark, got 42$/],
    },
    {
      name: 'yes for a boolean',
      raw: { autostart: 'yes', openServiceUris: false },
      valid: { openServiceUris: false },
      problems: [/^autostart: expected true or false, got "yes"$/],
    },
    { name: 'a language the agent speaks', raw: { language: 'de' }, valid: { language: 'de' }, problems: [] },
    { name: 'following the OS language', raw: { language: 'system' }, valid: { language: 'system' }, problems: [] },
    {
      name: 'a language the agent does not speak',
      raw: { language: 'fr', theme: 'dark' },
      valid: { theme: 'dark' },
      problems: [/^language: expected one of system, en, nl, de, got "fr"$/],
    },
    { name: 'not an object', raw: ['file'], valid: {}, problems: [/^expected a JSON object/] },
  ];
  for (const c of cases)
    it(c.name, () => {
      const r = checkSettings(c.raw, 'linux');
      expect(r.valid).toEqual(c.valid);
      expect(r.problems).toHaveLength(c.problems.length);
      r.problems.forEach((p, i) => expect(p).toMatch(c.problems[i]!));
    });

  it('keeps keys this version does not know in the cleaned file (a newer version wrote them)', () => {
    expect(checkSettings({ fontSize: 'large', theme: 'x' }, 'linux').cleaned).toEqual({ fontSize: 'large' });
  });
});

describe('settings.json on disk', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kt-settings-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const homeWith = (name: string, text: string) => {
    const home = path.join(root, name);
    mkdirSync(path.join(home, 'state'), { recursive: true });
    writeFileSync(path.join(home, 'state', 'settings.json'), text);
    return home;
  };

  it('drops the bad value, keeps the rest, moves the original aside and warns with the value named', async () => {
    const home = homeWith('bad-store', JSON.stringify({ stores: ['file', 'foo'], logLevel: 'debug' }));
    expect(await readSettings(home)).toEqual({ autostart: false, stores: ['file'], logLevel: 'debug', theme: 'system' });
    const kept = readdirSync(path.join(home, 'state')).filter((n) => n.startsWith('settings.json.damaged-'));
    expect(kept).toHaveLength(1);
    expect(JSON.parse(readFileSync(path.join(home, 'state', kept[0]!), 'utf8'))).toEqual({
      stores: ['file', 'foo'],
      logLevel: 'debug',
    });
    expect(JSON.parse(readFileSync(path.join(home, 'state', 'settings.json'), 'utf8'))).toEqual({
      stores: ['file'],
      logLevel: 'debug',
    });
    // Read again: clean now, nothing more moved aside.
    await readSettings(home);
    expect(readdirSync(path.join(home, 'state')).filter((n) => n.includes('.damaged-'))).toHaveLength(1);
    const [warning] = (await repairedFiles(home)).map(describeRepaired);
    expect(warning).toMatch(
      /^settings\.json had invalid values .*stores: unknown certificate store "foo".*the defaults are used/,
    );
  });

  it('concurrent reads of a bad file move it aside once', async () => {
    const home = homeWith('concurrent', JSON.stringify({ stores: ['foo', 'file'] }));
    const all = await Promise.all([readSettings(home), readSettings(home), readSettings(home)]);
    expect(all.map((x) => x.stores)).toEqual([['file'], ['file'], ['file']]);
    expect(readdirSync(path.join(home, 'state')).filter((n) => n.includes('.damaged-'))).toHaveLength(1);
  });

  it('reads a file that is not JSON as the defaults', async () => {
    const home = homeWith('truncated', '{"stores": ["fi');
    expect((await readSettings(home)).stores).toEqual(defaultStoreIds());
    expect((await repairedFiles(home)).map(describeRepaired)[0]).toMatch(/settings\.json had invalid values .*not valid JSON/);
  });

  it('status names a damaged settings.json in the run that found it, not only in the next', async () => {
    const home = homeWith('status', '{"language": 42, "stores": "nss"');
    const r = await runCliCaptured(['status', '--json'], { home, env: { HOME: path.join(home, 'user') } });
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(JSON.parse(r.stdout).repaired).toEqual([expect.stringMatching(/^settings\.json had invalid values .*not valid JSON/)]);
  });

  it('refuses a patch with a bad value and leaves the file as it was', async () => {
    const home = homeWith('patch', JSON.stringify({ stores: ['file'] }));
    await expect(patchSettings(home, { stores: ['file', 'foo'] })).rejects.toThrow(
      /^not saved: stores: unknown certificate store "foo"/,
    );
    expect(JSON.parse(readFileSync(path.join(home, 'state', 'settings.json'), 'utf8'))).toEqual({ stores: ['file'] });
    expect((await patchSettings(home, { stores: ['nss', 'file'] })).stores).toEqual(['nss', 'file']);
  });

  it('the CLI keeps working with a bad store: certs lists, status warns and exits 0', async () => {
    const home = homeWith('cli', JSON.stringify({ stores: ['file', 'foo'] }));
    expect((await runCliCaptured(['certs'], { home })).code).toBe(EXIT.ok);
    const status = await runCliCaptured(['status'], { home });
    expect(status.code).toBe(EXIT.ok);
    expect(status.stdout + status.stderr).toMatch(/warning: settings\.json had invalid values .*"foo"/);
  });
});
