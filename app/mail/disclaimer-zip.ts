import path from 'node:path';
import { readZipSafely, type ZipLimits } from '../rccd/zip-guard';
import { sanitizeHtml } from './html-sanitize';

/**
 * The disclaimer zip of Public API set-disclaimer-for-smime-cert-email (signature files for mail clients).
 * Untrusted: read with the zip guard (no traversal, symlinks, bombs), small limits, only text/HTML/RTF and
 * images (checked by content, not by name), HTML sanitised, RTF stripped of embedded objects and fields.
 */
export const DISCLAIMER_ZIP_LIMITS: ZipLimits = {
  maxArchiveBytes: 2 * 1024 * 1024,
  maxEntries: 32,
  maxEntryBytes: 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 16 * 1024,
};

export interface DisclaimerContent {
  /** Sanitised HTML fragment (signature.htm). */
  html?: string;
  /** Plain text (signature.txt), control characters removed. */
  text?: string;
  /** RTF (signature.rtf) with objects, fields and pictures-by-link removed. */
  rtf?: string;
  /** Images by their path in the zip ("signature_files/logo.png"). */
  images: Map<string, Buffer>;
  /** Entries left out and why (shown in logs; a disclaimer with extra files still applies). */
  ignored: { name: string; reason: string }[];
}

export class DisclaimerZipError extends Error {
  constructor(message: string) {
    super(`disclaimer zip from the server: ${message}`);
    this.name = 'DisclaimerZipError';
  }
}

const IMAGE_MAGIC: [string, (b: Buffer) => boolean][] = [
  ['png', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['jpg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['jpeg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['gif', (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1'))],
];

export function parseDisclaimerZip(zip: string | Buffer): DisclaimerContent {
  const buf = typeof zip === 'string' ? Buffer.from(zip.replace(/\\\//g, '/'), 'base64') : zip;
  let entries: Map<string, Buffer>;
  try {
    entries = readZipSafely(buf, DISCLAIMER_ZIP_LIMITS);
  } catch (err) {
    throw new DisclaimerZipError(`${(err as Error).message}; ask the KeyTalk administrator to upload a valid disclaimer zip`);
  }
  const out: DisclaimerContent = { images: new Map(), ignored: [] };
  const html: [string, Buffer][] = [];
  for (const [name, data] of entries) {
    const ext = path.posix.extname(name).slice(1).toLowerCase();
    const base = path.posix.basename(name);
    if (base.startsWith('.') || name.startsWith('__MACOSX/')) {
      out.ignored.push({ name, reason: 'hidden or metadata file' });
      continue;
    }
    if (ext === 'htm' || ext === 'html') html.push([name, data]);
    else if (ext === 'txt') {
      if (out.text === undefined) out.text = cleanText(decodeText(data));
      else out.ignored.push({ name, reason: 'second text signature' });
    } else if (ext === 'rtf') {
      const t = data.toString('latin1');
      if (!t.startsWith('{\\rtf')) out.ignored.push({ name, reason: 'not RTF' });
      else if (out.rtf === undefined) out.rtf = sanitizeRtf(t);
      else out.ignored.push({ name, reason: 'second RTF signature' });
    } else {
      const magic = IMAGE_MAGIC.find(([e]) => e === ext);
      if (!magic)
        out.ignored.push({ name, reason: `.${ext || '(none)'} files are not allowed (only text, HTML, RTF, PNG/JPEG/GIF)` });
      else if (!magic[1](data)) out.ignored.push({ name, reason: `content is not a ${ext.toUpperCase()} image` });
      else out.images.set(name, data);
    }
  }
  if (html.length) {
    const [name, data] = html[0]!;
    out.html = sanitizeHtml(bodyOf(decodeText(data)), { localImages: new Set(out.images.keys()) }).trim();
    for (const [other] of html.slice(1)) out.ignored.push({ name: other, reason: `second HTML signature (using ${name})` });
  }
  if (out.html === undefined && out.text === undefined && out.rtf === undefined) {
    throw new DisclaimerZipError(
      'it holds no signature.htm, signature.txt or signature.rtf; ask the KeyTalk administrator to fix the disclaimer',
    );
  }
  return out;
}

function decodeText(b: Buffer): string {
  if (b[0] === 0xff && b[1] === 0xfe) return b.subarray(2).toString('utf16le');
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf8');
  return b.toString('utf8');
}

/** Outlook writes whole documents; the signature is the body. */
function bodyOf(html: string): string {
  const m = /<body[^>]*>([\s\S]*?)(<\/body>|$)/i.exec(html);
  return m ? m[1]! : html;
}

function cleanText(t: string): string {
  // Keep tabs and newlines; drop other controls and our own invisible marker characters.
  return (
    t
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u2063]/g, '')
      .trimEnd()
  );
}

/** Remove groups that can carry active content: objects, fields (HYPERLINK/INCLUDEPICTURE), linked pictures. */
export function sanitizeRtf(rtf: string): string {
  let out = rtf;
  for (const word of ['object', 'field', 'fldinst', 'datastore', 'objdata', 'template', 'xmlnstbl']) {
    out = removeGroups(out, word);
  }
  return out;
}

function removeGroups(rtf: string, controlWord: string): string {
  const re = new RegExp(`\\{(\\\\\\*)?\\\\${controlWord}(?![a-z])`, 'g');
  let result = rtf;
  for (;;) {
    re.lastIndex = 0;
    const m = re.exec(result);
    if (!m) return result;
    let depth = 0;
    let j = m.index;
    for (; j < result.length; j++) {
      const c = result[j];
      if (c === '\\') {
        j++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    result = result.slice(0, m.index) + result.slice(j + 1);
  }
}
