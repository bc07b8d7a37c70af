import { deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { DisclaimerZipError, parseDisclaimerZip, sanitizeRtf } from './disclaimer-zip';
import { sanitizeHtml } from './html-sanitize';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

async function zipOf(files: Record<string, string | Buffer>, opts: { symlink?: string } = {}): Promise<Buffer> {
  const z = new JSZip();
  for (const [n, d] of Object.entries(files)) z.file(n, d, { createFolders: false });
  if (opts.symlink) z.file(opts.symlink, '/etc/passwd', { unixPermissions: 0o120777 });
  return z.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: opts.symlink ? 'UNIX' : 'DOS' });
}

describe('disclaimer zip (untrusted)', () => {
  it('reads signature.htm/txt/rtf and images, ignoring other types and fake images', async () => {
    const d = parseDisclaimerZip(
      (
        await zipOf({
          'signature.htm':
            '<html><head><title>x</title></head><body><p>Hi <img src="signature_files/logo.png" onerror="x()"></p></body></html>',
          'signature.txt': 'Hi\r\n',
          'signature.rtf': '{\\rtf1 Hi}',
          'signature_files/logo.png': PNG,
          'signature_files/fake.png': Buffer.from('MZ not a png'),
          'run.exe': 'MZ',
          'evil.js': 'alert(1)',
        })
      ).toString('base64'),
    );
    expect(d.html).toBe('<p>Hi <img src="signature_files/logo.png"></p>');
    expect(d.text).toBe('Hi');
    expect(d.rtf).toBe('{\\rtf1 Hi}');
    expect([...d.images.keys()]).toEqual(['signature_files/logo.png']);
    expect(d.ignored.map((i) => i.name).sort()).toEqual(['evil.js', 'run.exe', 'signature_files/fake.png']);
  });

  it.each([
    ['path traversal', { '../../.bashrc.txt': 'x', 'signature.txt': 'x' }, /\.\./],
    ['absolute path', { '/etc/cron.d/x.txt': 'x' }, /absolute|\//],
    ['windows drive path', { 'C:/Users/x.txt': 'x' }, /drive|C:/],
    ['too many entries', Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}.txt`, 'x'])), /entries/],
    ['nothing usable', { 'readme.md': 'x' }, /no signature/],
  ])('refuses %s', async (_name, files, message) => {
    const zip = await zipOf(files as Record<string, string>);
    expect(() => parseDisclaimerZip(zip)).toThrow(DisclaimerZipError);
    expect(() => parseDisclaimerZip(zip)).toThrow(message);
  });

  it('refuses symlinks, zip bombs, oversized archives and garbage', async () => {
    expect(() => parseDisclaimerZip(zipSync('signature.txt'))).toThrow(/ratio|bytes|more than/);
    await expect(zipOf({ 'signature.txt': 'x' }, { symlink: 'link.txt' }).then(parseDisclaimerZip)).rejects.toThrow(/link/i);
    expect(() => parseDisclaimerZip(Buffer.alloc(3 * 1024 * 1024))).toThrow(/bytes/);
    expect(() => parseDisclaimerZip('bm90IGEgemlw')).toThrow(DisclaimerZipError);
  });
});

/** A zip whose one entry inflates to 8 MB of zeros (a bomb for our 1 MB per-entry limit). */
function zipSync(name: string): Buffer {
  const data = Buffer.alloc(8 * 1024 * 1024);
  const comp = deflateRawSync(data);
  const nameBuf = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(0, 14); // CRC left wrong on purpose: size checks must fire first
  local.writeUInt32LE(comp.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBuf.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(comp.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBuf.length, 28);
  const cdOffset = 30 + nameBuf.length + comp.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(46 + nameBuf.length, 12);
  eocd.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, nameBuf, comp, central, nameBuf, eocd]);
}

describe('HTML sanitiser: malicious corpus', () => {
  const cases: [string, string][] = [
    ['<script>alert(1)</script><p>ok</p>', '<p>ok</p>'],
    ['<SCRIPT src=//x></SCRIPT >ok', 'ok'],
    ['<script>never closed <p>hidden</p>', ''],
    ['<iframe src="https://x"></iframe>a', 'a'],
    ['<object data="x.swf"><embed src="x"></object>b', 'b'],
    ['<img src=x onerror=alert(1)>', '<img>'],
    ['<p onclick="x()" ONMOUSEOVER=\'y()\' style="color:red">t</p>', '<p style="color:red">t</p>'],
    ['<a href="javascript:alert(1)">l</a>', '<a>l</a>'],
    ['<a href="jav&#x09;ascript:alert(1)">l</a>', '<a>l</a>'],
    ['<a href="&#106;avascript:alert(1)">l</a>', '<a>l</a>'],
    ['<a href=" JaVaScRiPt:alert(1)">l</a>', '<a>l</a>'],
    ['<a href="vbscript:x">l</a>', '<a>l</a>'],
    ['<a href="data:text/html,<script>">l</a>', '<a>l</a>'],
    ['<a href="https://keytalk.com/?a=1&amp;b=2" target="_blank">k</a>', '<a href="https://keytalk.com/?a=1&amp;b=2">k</a>'],
    ['<img src="data:text/html;base64,PHNjcmlwdD4=">', '<img>'],
    ['<img src="data:image/png;base64,iVBORw0KGgo=">', '<img src="data:image/png;base64,iVBORw0KGgo=">'],
    ['<div style="background:url(javascript:x)">s</div>', '<div>s</div>'],
    ['<div style="width:expression(alert(1))">s</div>', '<div>s</div>'],
    // Security review (issue 22): CSS escapes and comments hid url( and expression( from the match.
    ['<div style="background:u\\72l(https://evil/t.png)">s</div>', '<div>s</div>'],
    ['<div style="width:e\\78pression(alert(1))">s</div>', '<div>s</div>'],
    ['<div style="background:\\75\\72\\6c (https://evil/t.png)">s</div>', '<div>s</div>'],
    ['<div style="background:u&#92;72l(https://evil/t.png)">s</div>', '<div>s</div>'],
    ['<div style="width:expr/**/ession(alert(1))">s</div>', '<div>s</div>'],
    ['<div style="background-image:image-set(&quot;https://evil/t.png&quot; 1x)">s</div>', '<div>s</div>'],
    [
      '<div style="color:#336;font-family:Arial, sans-serif">s</div>',
      '<div style="color:#336;font-family:Arial, sans-serif">s</div>',
    ],
    ['<svg onload=alert(1)><circle/></svg>z', 'z'],
    ['<style>body{}</style><form action=x><input name=p></form>f', 'f'],
    ['<!--keytalk-disclaimer:end--><b>x</b>', '<b>x</b>'],
    ['<p title="a&quot;onmouseover=&quot;x()">q</p>', '<p title="a&quot;onmouseover=&quot;x()">q</p>'],
    ['<<script>script>alert(1)<</script>/script>', '&lt;/script&gt;'],
    ['<meta http-equiv="refresh" content="0;url=https://evil"><base href="https://evil/">m', 'm'],
    ['<link rel=stylesheet href=https://evil/x.css>n', 'n'],
  ];
  it.each(cases)('%s', (input, expected) => {
    expect(sanitizeHtml(input)).toBe(expected);
  });
  it('keeps no event handler, script or javascript: in any output', () => {
    for (const [input] of cases) {
      const out = sanitizeHtml(input);
      expect(out).not.toMatch(/<script|\son\w+=|javascript:|<iframe|<object|<embed|<svg/i);
    }
  });
  it('RTF: objects and fields are removed, text kept', () => {
    const rtf = '{\\rtf1 Hello {\\object\\objemb{\\*\\objdata 0105}} {\\field{\\*\\fldinst HYPERLINK "x"}{\\fldrslt y}} bye}';
    expect(sanitizeRtf(rtf)).toBe('{\\rtf1 Hello   bye}');
  });
});
