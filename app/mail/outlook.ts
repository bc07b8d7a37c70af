import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CommandRunner } from '../system/command-runner';
import { writeFileAtomic } from '../system/atomic-write';
import type { DisclaimerContent } from './disclaimer-zip';
import { disclaimerAsHtml, disclaimerAsText, mergeHtmlSignature, mergeTextSignature } from './signature-merge';

/**
 * Outlook (Windows) integration. Signatures are files in %APPDATA%\Microsoft\Signatures (<name>.htm / .txt /
 * .rtf, images in <name>_files); the disclaimer goes into every signature there, keeping the user's text.
 * When the user has no signature, a "KeyTalk disclaimer" signature is created and made the default for new
 * mail and replies. Registry settings go through the command runner (`reg add`), so tests assert the exact
 * commands; the file writes take an injectable folder.
 */
export interface OutlookOptions {
  /** The Signatures folder (on Windows: %APPDATA%\Microsoft\Signatures; tests: a temp folder). */
  signaturesDir: string;
  runner: CommandRunner;
  /** Office version key under HKCU\Software\Microsoft\Office (16.0 = Office 2016–2024/365). */
  officeVersion?: string;
}

export const OUR_SIGNATURE = 'KeyTalk disclaimer';
const RTF_BEGIN = '{\\*\\keytalkdisclaimerbegin}';
const RTF_END = '{\\*\\keytalkdisclaimerend}';

export function outlookSignaturesDir(appData: string): string {
  return path.win32.join(appData, 'Microsoft', 'Signatures');
}

export interface OutlookResult {
  signatures: string[];
  commands: string[][];
}

export async function applyOutlookDisclaimer(content: DisclaimerContent | undefined, o: OutlookOptions): Promise<OutlookResult> {
  await fs.mkdir(o.signaturesDir, { recursive: true });
  const names = await fs.readdir(o.signaturesDir);
  const own = names.filter((n) => /\.(htm|html|txt|rtf)$/i.test(n) && !n.startsWith(`${OUR_SIGNATURE}.`));
  const result: OutlookResult = { signatures: [], commands: [] };
  const imageDir = `${OUR_SIGNATURE}_files`;
  if (content === undefined) {
    for (const n of names.filter((x) => x.startsWith(`${OUR_SIGNATURE}.`)))
      await fs.rm(path.join(o.signaturesDir, n), { force: true });
    await fs.rm(path.join(o.signaturesDir, imageDir), { recursive: true, force: true });
  } else {
    await fs.rm(path.join(o.signaturesDir, imageDir), { recursive: true, force: true });
    for (const [name, data] of content.images)
      await writeFileAtomic(path.join(o.signaturesDir, imageDir, path.posix.basename(name)), data);
  }
  let html = content ? disclaimerAsHtml(content) : undefined;
  // Image references point into our _files folder, which sits next to every signature in the folder.
  if (html && content)
    for (const name of content.images.keys())
      html = html.split(`src="${name}"`).join(`src="${imageDir}/${path.posix.basename(name)}"`);
  const text = content ? disclaimerAsText(content) : undefined;

  for (const n of own) {
    const file = path.join(o.signaturesDir, n);
    const ext = path.extname(n).toLowerCase();
    const raw = await fs.readFile(file);
    const before = ext === '.txt' ? decodeTxt(raw) : raw.toString(ext === '.rtf' ? 'latin1' : 'utf8');
    const next =
      ext === '.txt'
        ? mergeTextSignature(before, text)
        : ext === '.rtf'
          ? mergeRtf(before, content?.rtf ?? (text !== undefined ? rtfFromText(text) : undefined))
          : mergeHtmlSignature(before, html);
    if (next !== before)
      await writeFileAtomic(
        file,
        ext === '.txt'
          ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(next, 'utf16le')])
          : Buffer.from(next, ext === '.rtf' ? 'latin1' : 'utf8'),
      );
    result.signatures.push(n);
  }
  if (content && own.length === 0) {
    const base = path.join(o.signaturesDir, OUR_SIGNATURE);
    await writeFileAtomic(
      `${base}.htm`,
      `<html><head><meta charset="utf-8"></head><body>${mergeHtmlSignature('', html)}</body></html>`,
    );
    if (text !== undefined)
      await writeFileAtomic(
        `${base}.txt`,
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(mergeTextSignature('', text), 'utf16le')]),
      );
    if (content.rtf) await writeFileAtomic(`${base}.rtf`, Buffer.from(content.rtf, 'latin1'));
    result.signatures.push(`${OUR_SIGNATURE}.htm`);
    const key = `HKCU\\Software\\Microsoft\\Office\\${o.officeVersion ?? '16.0'}\\Common\\MailSettings`;
    for (const v of ['NewSignature', 'ReplySignature']) {
      result.commands.push(await reg(o.runner, ['add', key, '/v', v, '/t', 'REG_EXPAND_SZ', '/d', OUR_SIGNATURE, '/f']));
    }
  }
  return result;
}

/**
 * apply-smime-settings for Outlook: sign (clear-signed) by default. The certificate itself goes to the
 * CurrentUser\My store (Windows store); Outlook picks it from there for the account's security settings.
 */
export async function applyOutlookSmimeSettings(o: Pick<OutlookOptions, 'runner' | 'officeVersion'>): Promise<string[][]> {
  const key = `HKCU\\Software\\Microsoft\\Office\\${o.officeVersion ?? '16.0'}\\Outlook\\Security`;
  return [
    await reg(o.runner, ['add', key, '/v', 'AlwaysSign', '/t', 'REG_DWORD', '/d', '1', '/f']),
    await reg(o.runner, ['add', key, '/v', 'ClearSign', '/t', 'REG_DWORD', '/d', '1', '/f']),
  ];
}

async function reg(runner: CommandRunner, args: string[]): Promise<string[]> {
  const r = await runner.run({ command: 'reg', args });
  if (r.code !== 0) throw new Error(`reg ${args.slice(0, 4).join(' ')} failed: ${(r.stderr || r.stdout).trim()}`);
  return ['reg', ...args];
}

function decodeTxt(b: Buffer): string {
  if (b[0] === 0xff && b[1] === 0xfe) return b.subarray(2).toString('utf16le');
  return b.toString('utf8');
}

/** Our RTF part sits between ignorable destinations (readers skip them), before the document's last brace. */
export function mergeRtf(rtf: string, disclaimerRtf: string | undefined): string {
  let own = rtf;
  const b = own.indexOf(RTF_BEGIN);
  if (b >= 0) {
    const e = own.indexOf(RTF_END, b);
    own = own.slice(0, b) + (e < 0 ? own.slice(own.lastIndexOf('}')) : own.slice(e + RTF_END.length));
  }
  if (disclaimerRtf === undefined) return own;
  const body = rtfBody(disclaimerRtf);
  const close = own.lastIndexOf('}');
  if (close < 0) return own;
  return `${own.slice(0, close)}${RTF_BEGIN}\\par ${body}${RTF_END}${own.slice(close)}`;
}

/** The content of an RTF document without its header groups (font/colour tables stay with the original). */
function rtfBody(rtf: string): string {
  const inner = rtf
    .trim()
    .replace(/^\{\\rtf1?/, '')
    .replace(/\}\s*$/, '');
  return inner.replace(/\{\\(fonttbl|colortbl|stylesheet|info)[\s\S]*?\}\}?/g, '');
}

function rtfFromText(text: string): string {
  const esc = [...text]
    .map((c) =>
      c === '\\' || c === '{' || c === '}'
        ? `\\${c}`
        : c === '\n'
          ? '\\par '
          : c.charCodeAt(0) > 127
            ? `\\u${c.charCodeAt(0)}?`
            : c,
    )
    .join('');
  return `{\\rtf1 ${esc}}`;
}
