import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordingRunner } from '../system/command-runner';
import type { DisclaimerContent } from './disclaimer-zip';
import { applyOutlookDisclaimer, applyOutlookSmimeSettings, mergeRtf, OUR_SIGNATURE, outlookSignaturesDir } from './outlook';

let dir: string;
const ok = () => new RecordingRunner(() => ({ code: 0, stdout: 'The operation completed successfully.', stderr: '' }));
const content = (v: string): DisclaimerContent => ({
  html: `<p>Confidential ${v} <img src="signature_files/logo.png"></p>`,
  text: `Confidential ${v}`,
  images: new Map([['signature_files/logo.png', Buffer.from('89504e470d0a1a0a', 'hex')]]),
  ignored: [],
});
const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-outlook-'));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

describe('Outlook signatures', () => {
  it('the folder is %APPDATA%\\Microsoft\\Signatures', () => {
    expect(outlookSignaturesDir('C:\\Users\\a\\AppData\\Roaming')).toBe('C:\\Users\\a\\AppData\\Roaming\\Microsoft\\Signatures');
  });

  it('adds the disclaimer to every existing signature (htm, UTF-16 txt, rtf), replaces it on re-run, removes it on withdrawal', async () => {
    await fs.writeFile(path.join(dir, 'Work.htm'), '<html><body><p>Alice, ACME</p></body></html>');
    await fs.writeFile(path.join(dir, 'Work.txt'), utf16('Alice, ACME\r\n'));
    await fs.writeFile(path.join(dir, 'Work.rtf'), '{\\rtf1\\ansi Alice, ACME\\par }');
    const runner = ok();
    await applyOutlookDisclaimer(content('v1'), { signaturesDir: dir, runner });
    const r = await applyOutlookDisclaimer(content('v2'), { signaturesDir: dir, runner });
    expect(r.signatures.sort()).toEqual(['Work.htm', 'Work.rtf', 'Work.txt']);
    expect(runner.calls).toEqual([]); // the user's own signature stays the default
    const htm = await fs.readFile(path.join(dir, 'Work.htm'), 'utf8');
    expect(htm).toMatch(
      /^<html><body><p>Alice, ACME<\/p><!--keytalk-disclaimer:begin-->.*Confidential v2.*<!--keytalk-disclaimer:end--><\/body><\/html>$/,
    );
    expect(htm).toContain(`src="${OUR_SIGNATURE}_files/logo.png"`);
    expect(htm).not.toContain('v1');
    const txtRaw = await fs.readFile(path.join(dir, 'Work.txt'));
    expect(txtRaw.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    expect(txtRaw.subarray(2).toString('utf16le')).toBe('Alice, ACME\n\n\u2063\nConfidential v2\n\u2063\n');
    expect(await fs.readFile(path.join(dir, 'Work.rtf'), 'latin1')).toBe(
      '{\\rtf1\\ansi Alice, ACME\\par {\\*\\keytalkdisclaimerbegin}\\par  Confidential v2{\\*\\keytalkdisclaimerend}}',
    );
    expect(await fs.readFile(path.join(dir, `${OUR_SIGNATURE}_files`, 'logo.png'))).toHaveLength(8);

    await applyOutlookDisclaimer(undefined, { signaturesDir: dir, runner });
    expect(await fs.readFile(path.join(dir, 'Work.htm'), 'utf8')).toBe('<html><body><p>Alice, ACME</p></body></html>');
    expect(await fs.readFile(path.join(dir, 'Work.rtf'), 'latin1')).toBe('{\\rtf1\\ansi Alice, ACME\\par }');
    expect(await fs.readdir(dir)).not.toContain(`${OUR_SIGNATURE}_files`);
  });

  it('without signatures creates "KeyTalk disclaimer" and makes it the default (exact reg commands)', async () => {
    const runner = ok();
    await applyOutlookDisclaimer(content('v1'), { signaturesDir: dir, runner, officeVersion: '16.0' });
    expect((await fs.readdir(dir)).sort()).toEqual([`${OUR_SIGNATURE}.htm`, `${OUR_SIGNATURE}.txt`, `${OUR_SIGNATURE}_files`]);
    expect(runner.calls.map((c) => [c.command, ...c.args])).toEqual([
      [
        'reg',
        'add',
        'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\MailSettings',
        '/v',
        'NewSignature',
        '/t',
        'REG_EXPAND_SZ',
        '/d',
        'KeyTalk disclaimer',
        '/f',
      ],
      [
        'reg',
        'add',
        'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\MailSettings',
        '/v',
        'ReplySignature',
        '/t',
        'REG_EXPAND_SZ',
        '/d',
        'KeyTalk disclaimer',
        '/f',
      ],
    ]);
  });

  it('S/MIME settings: exact reg commands; a failing reg is an error naming it', async () => {
    const runner = ok();
    await applyOutlookSmimeSettings({ runner });
    expect(runner.calls.map((c) => [c.command, ...c.args])).toEqual([
      [
        'reg',
        'add',
        'HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Security',
        '/v',
        'AlwaysSign',
        '/t',
        'REG_DWORD',
        '/d',
        '1',
        '/f',
      ],
      [
        'reg',
        'add',
        'HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Security',
        '/v',
        'ClearSign',
        '/t',
        'REG_DWORD',
        '/d',
        '1',
        '/f',
      ],
    ]);
    const bad = new RecordingRunner(() => ({ code: 1, stdout: '', stderr: 'ERROR: Access is denied.' }));
    await expect(applyOutlookSmimeSettings({ runner: bad })).rejects.toThrow(/reg add .*Access is denied/);
  });

  it('RTF merge is idempotent', () => {
    const once = mergeRtf('{\\rtf1 A}', '{\\rtf1 D}');
    expect(mergeRtf(once, '{\\rtf1 D}')).toBe(once);
    expect(mergeRtf(once, undefined)).toBe('{\\rtf1 A}');
  });
});
