import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { expectReturnsOrTypedError, fuzzParams, fuzzTimeout } from '../../test-support/fuzz/fuzz-config';
import { DisclaimerZipError, parseDisclaimerZip } from './disclaimer-zip';
import { sanitizeHtml } from './html-sanitize';
import { parsePrefs, prefLine, type PrefValue } from './prefs';
import { replaceBlock, writeUserJsBlock } from './user-js';

/**
 * Issue 22 fuzzing: disclaimer zips and their HTML (server data, Public API "disclaimer"), and the Mozilla prefs
 * files (user.js/prefs.js) the agent reads and rewrites in a user's mail profile.
 */
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kt-mail-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tagName = fc.constantFrom('p', 'a', 'img', 'div', 'span', 'script', 'style', 'svg', 'iframe', 'td', 'b', 'x-y', 'SCRIPT');
const attrName = fc.constantFrom('href', 'src', 'style', 'onclick', 'onerror', 'title', 'ONLOAD', 'xlink:href', 'srcset', 'alt');
const attrValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    'javascript:alert(1)',
    'jav&#x09;ascript:x',
    'u\\72l(x)',
    'e\\78pression(1)',
    'url(x)',
    'https://k.example/',
    'data:text/html,x',
    '&#106;avascript:x',
  ),
);
const attr = fc
  .tuple(attrName, attrValue, fc.constantFrom('"', "'", ''))
  .map(([n, v, q]) => ` ${n}=${q}${q ? v.replaceAll(q, '') : v.replace(/[\s>]/g, '')}${q}`);
const node: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 20 }),
    fc.constantFrom('<!--', '-->', '<', '>', '</', '<!doctype x>', '<?x?>', '&lt;script&gt;'),
    fc
      .tuple(tagName, fc.array(attr, { maxLength: 3 }), fc.array(tie('node'), { maxLength: 3 }), fc.boolean())
      .map(([t, as, kids, close]) => `<${t}${as.join('')}>${kids.join('')}${close ? `</${t}>` : ''}`),
  ),
})).node;

/** The tags of the sanitiser's output: from a '<' to the first '>' outside a double-quoted value. */
function tagsOf(out: string): string[] {
  return out.match(/<(?:[^>"]|"[^"]*")*>/g) ?? [];
}

describe('fuzz: disclaimer HTML sanitiser', () => {
  it('regression (FUZZ_MULTIPLIER=50, seed 22): an event handler left as text after a quoted ">" is inert text', () => {
    const out = sanitizeHtml(
      `<a>&lt;script&gt;<div src= srcset=&#106;avascript:x src=Q,'vDMd,U$>u<a ONLOAD=e\\78pression(1) title=_wDQG src='!'>N<</a></div>--><script onerror=/ij3 alt=&#106;avascript:x><td src=https://k.example/>V.RYXxxX(I6VtE<td style='uDMI>ate&B' ONLOAD= style="1 \`@Y$1L"></td><img href='al?<Z5M' style="e\\78pression(1)"><script alt=e></script>`,
    );
    expect(out).toContain('ONLOAD='); // the case: it is there, as text
    expect(tagsOf(out).join('')).not.toMatch(/\son[a-z]+\s*=/i);
    // Whatever the sanitiser made of the quoted '>', no tag in its output starts where the input's attributes were.
    expect(out).not.toMatch(/<[^>]*ONLOAD/i);
  });

  it('never lets script, event handlers, javascript: or CSS escapes through, and never throws', () => {
    fc.assert(
      fc.property(
        fc.array(node, { maxLength: 6 }).map((n) => n.join('')),
        (html) => {
          const out = sanitizeHtml(html);
          expect(out).not.toMatch(/<\s*(script|style|iframe|svg|object|embed)/i);
          // Attribute names only, inside tags: the sanitiser writes every value double-quoted with quotes escaped, and
          // its text never holds a raw '<', so text like `x' ONLOAD= y` (inert, seen by FUZZ_MULTIPLIER=50) is skipped.
          for (const tag of tagsOf(out)) expect(tag.replace(/"[^"]*"/g, '""')).not.toMatch(/\son[a-z]+\s*=/i);
          // Text in title/alt is inert; a script URL only matters where it is followed.
          expect(out).not.toMatch(/(href|src)="[^"]*(javascript|vbscript|data:text)/i);
          expect(out).not.toMatch(/style="[^"]*\\/i);
          expect(out).not.toMatch(/style="[^"]*(url|expression)\s*\(/i);
        },
      ),
      fuzzParams(400),
    );
  });
});

describe('fuzz: disclaimer zips', () => {
  const entryName = fc.oneof(
    fc.constantFrom(
      'sig.htm',
      'sig.html',
      'sig.txt',
      'sig.rtf',
      'logo.png',
      '../evil.htm',
      '/abs.htm',
      'a\\..\\b.htm',
      '__MACOSX/x',
      '.hidden',
    ),
    fc.string({ minLength: 1, maxLength: 30 }),
  );
  const zipOf = (entries: Array<[string, Uint8Array | string]>) => {
    const zip = new JSZip();
    for (const [n, d] of entries) zip.file(n, d, { createFolders: false });
    return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  };

  it(
    'any zip of any entries: parsed content or DisclaimerZipError',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(entryName, fc.oneof(fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 300 }))), {
            maxLength: 5,
          }),
          async (entries) => {
            const buf = await zipOf(entries);
            const content = expectReturnsOrTypedError(() => parseDisclaimerZip(buf), DisclaimerZipError);
            if (content?.html) expect(content.html).not.toMatch(/<script|\son\w+=/i);
          },
        ),
        fuzzParams(150),
      );
    },
    fuzzTimeout(),
  );

  it(
    'any bytes, base64 or raw, including truncated and bit-flipped zips: DisclaimerZipError at worst',
    async () => {
      const good = await zipOf([['sig.htm', '<p>Regards</p>']]);
      await fc.assert(
        fc.property(
          fc.oneof(
            fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
            fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
              const b = Buffer.from(good);
              b[i] = b[i]! ^ x;
              return b;
            }),
            fc.nat(good.length).map((n) => good.subarray(0, n)),
          ),
          fc.boolean(),
          (bytes, asBase64) => {
            expectReturnsOrTypedError(() => parseDisclaimerZip(asBase64 ? bytes.toString('base64') : bytes), DisclaimerZipError);
          },
        ),
        fuzzParams(300),
      );
    },
    fuzzTimeout(),
  );
});

describe('fuzz: Mozilla prefs files', () => {
  const prefValue: fc.Arbitrary<PrefValue> = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.boolean());

  it('parsePrefs reads any text without throwing, and reads back every line prefLine writes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.string({ minLength: 1, maxLength: 30 }), prefValue, (junk, name, value) => {
        parsePrefs(junk);
        const text = `${junk.replace(/[\r\n]/g, ' ')}\n${prefLine(name, value)}\n`;
        expect(parsePrefs(text).get(name)).toEqual(value);
      }),
      fuzzParams(300),
    );
  });

  it(
    'our user.js block replaces only itself, keeps the user lines, and is written only inside the profile',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.string({ maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, '')),
            { maxLength: 8 },
          ),
          fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), prefValue), { maxLength: 4 }),
          async (userLines, prefs) => {
            const userText = userLines
              .filter((l) => !l.startsWith('// BEGIN KeyTalk') && !l.startsWith('// END KeyTalk'))
              .join('\n');
            const profile = mkdtempSync(path.join(tmp, 'p-'));
            writeFileSync(path.join(profile, 'user.js'), userText);
            await writeUserJsBlock(profile, 'smime', prefs);
            await writeUserJsBlock(profile, 'smime', prefs); // idempotent
            expect(readdirSync(profile)).toEqual(['user.js']);
            expect(readdirSync(tmp).filter((f) => !f.startsWith('p-'))).toEqual([]);
            const text = readFileSync(path.join(profile, 'user.js'), 'utf8');
            const parsed = parsePrefs(text);
            for (const [n, v] of prefs.filter(
              ([n]) => prefs.findLastIndex(([m]) => m === n) === prefs.findIndex(([m]) => m === n),
            ))
              expect(parsed.get(n)).toEqual(v);
            // Removing the block gives the user's text back (trailing blank lines aside).
            expect(replaceBlock(text, 'smime', []).trimEnd()).toBe(
              userText.split(/\r?\n/).join('\n').replace(/\n+$/, '').trimEnd(),
            );
          },
        ),
        fuzzParams(60),
      );
    },
    fuzzTimeout(),
  );
});
