import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { de as mainDe } from '../main/i18n/locales/de';
import { en as mainEn } from '../main/i18n/locales/en';
import { nl as mainNl } from '../main/i18n/locales/nl';
import { de } from '../renderer/i18n/locales/de';
import { en } from '../renderer/i18n/locales/en';
import { nl } from '../renderer/i18n/locales/nl';

// Every user-visible text exists in English, Dutch and German, with the same keys and the same placeholders; every
// English text is used; and no .tsx writes English into the page past the locale files (issue 19, "Languages").

const root = path.resolve(import.meta.dirname, '..');

function flatten(obj: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string') out.set(`${prefix}${k}`, v);
    else for (const [kk, vv] of flatten(v as object, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1]).sort();

/** Differences of one translation from English, in words (empty when it is complete). */
function translationProblems(reference: Map<string, string>, other: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [key, text] of reference) {
    const t = other.get(key);
    if (t === undefined) problems.push(`missing ${key}`);
    else if (t.trim() === '') problems.push(`empty ${key}`);
    else if (placeholders(t).join() !== placeholders(text).join())
      problems.push(`${key}: placeholders ${placeholders(t).join(', ')} instead of ${placeholders(text).join(', ')}`);
  }
  for (const key of other.keys()) if (!reference.has(key)) problems.push(`extra ${key}`);
  return problems;
}

describe('translations', () => {
  const sets = [
    { name: 'renderer', en, others: { nl, de } },
    { name: 'main (tray, notifications)', en: mainEn, others: { nl: mainNl, de: mainDe } },
  ];
  for (const set of sets)
    for (const [lang, resource] of Object.entries(set.others))
      it(`${set.name}: ${lang} has exactly the English keys, none empty, with the same placeholders`, () => {
        expect(translationProblems(flatten(set.en), flatten(resource))).toEqual([]);
      });

  it('the check itself finds a missing, an extra, an empty key and a lost placeholder', () => {
    const reference = flatten({ a: { b: 'B {{n}}', c: 'C', d: 'D' } });
    const broken = flatten({ a: { b: 'B', d: ' ', e: 'E' } });
    expect(translationProblems(reference, broken)).toEqual([
      'a.b: placeholders  instead of n',
      'missing a.c',
      'empty a.d',
      'extra a.e',
    ]);
  });
});

function files(dir: string, test: (f: string) => boolean): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p, test) : test(p) ? [p] : [];
  });
}

const productSource = (dir: string, exts: RegExp) =>
  files(path.join(root, dir), (f) => exts.test(f) && !/\.test\.tsx?$/.test(f) && !f.includes(`${path.sep}locales${path.sep}`));

/**
 * Which keys the code reads: a literal key (`tr('nav.unread')`, `t('tray.open')`), a key built from a literal prefix
 * (`tr(\`certificates.keyPlaces.${w}\`)`), or a property of the `strings` facade (renderer/strings.ts) — `strings.nav.label`,
 * or `s.label` in a file that reads `strings.nav` — where a read of a group (`s.themes[t]`) counts for all its keys.
 */
function unusedKeys(resource: object, sources: string[]): string[] {
  const texts = sources.map((f) => readFileSync(f, 'utf8'));
  const all = texts.join('\n');
  const unused: string[] = [];
  for (const key of flatten(resource).keys()) {
    const base = key.replace(/_(zero|one|other|[a-z]+)$/, '');
    const parts = base.split('.');
    if (all.includes(`'${base}'`) || all.includes(`\`${base}\``)) continue;
    if (parts.some((_, i) => i > 0 && all.includes(`\`${parts.slice(0, i).join('.')}.\${`))) continue;
    // A group named as a literal and looked up by a code from the core (`known('flowProgress.steps', step)`).
    if (parts.some((_, i) => i > 1 && all.includes(`'${parts.slice(0, i).join('.')}'`))) continue;
    const [area, first] = parts;
    const viaFacade = texts.some((t) =>
      first === undefined
        ? new RegExp(`strings\\.${area}\\b`).test(t)
        : t.includes(`strings.${area}[`) || // a lookup by value (strings.nav[page]) reads every key of the group
          (new RegExp(`strings\\.${area}\\b`).test(t) && new RegExp(`\\.${first}\\b|\\['${first}'\\]`).test(t)),
    );
    if (!viaFacade) unused.push(key);
  }
  return unused;
}

describe('every English text is used', () => {
  it('renderer', () => {
    expect(unusedKeys(en, productSource('renderer', /\.tsx?$/))).toEqual([]);
  });
  it('main', () => {
    expect(unusedKeys(mainEn, productSource('main', /\.ts$/))).toEqual([]);
  });
  it('the check finds a text nobody reads', () => {
    expect(unusedKeys({ status: { label: 'x', ghostText: 'y' } }, productSource('renderer', /\.tsx?$/))).toEqual([
      'status.ghostText',
    ]);
  });
});

/**
 * English written straight into a page: JSX text, a user-visible attribute given as a literal, or a literal shown as an
 * expression's value (`{busy ? 'Saving' : …}`). Comparisons (`kind === 'login'`) and template parts without letters are
 * not texts. Names of products and protocols need no translation only inside the locale files, so there is no allow-list.
 */
function hardCodedTexts(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const words = /[A-Za-z]{2,}/;
  const visibleAttrs = /^(aria-label|aria-description|aria-placeholder|title|placeholder|alt|label)$/;
  const visit = (n: ts.Node): void => {
    if (ts.isJsxText(n) && words.test(n.text)) found.push(`text "${n.text.trim()}"`);
    if (ts.isJsxAttribute(n) && visibleAttrs.test(n.name.getText()) && n.initializer && ts.isStringLiteral(n.initializer))
      if (words.test(n.initializer.text)) found.push(`${n.name.getText()}="${n.initializer.text}"`);
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n)) {
      const literal = ts.isTemplateExpression(n)
        ? [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(' ')
        : n.text;
      let child: ts.Node = n;
      let p: ts.Node = n.parent;
      let shown = true;
      while (ts.isConditionalExpression(p) || ts.isBinaryExpression(p) || ts.isParenthesizedExpression(p)) {
        if (ts.isConditionalExpression(p) && p.condition === child) shown = false;
        if (ts.isBinaryExpression(p) && !/^(\|\||\?\?|&&)$/.test(p.operatorToken.getText())) shown = false;
        child = p;
        p = p.parent;
      }
      if (shown && ts.isJsxExpression(p) && !ts.isJsxAttribute(p.parent) && words.test(literal))
        found.push(`expression ${n.getText()}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found.map((f) => `${path.relative(root, file)}: ${f}`);
}

describe('no hard-coded English in the renderer', () => {
  it('no .tsx shows a literal text; every text comes from the locale files', () => {
    const found = productSource('renderer', /\.tsx$/).flatMap((f) => hardCodedTexts(f, readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });
  it('the scan finds JSX text, a literal label and a literal shown value, and ignores comparisons', () => {
    const sample = `export const A = ({ busy, kind }: { busy: boolean; kind: string }) => (
      <div aria-label="Main menu" data-testid="menu">
        Hello there
        <span>{busy ? 'Saving…' : kind}</span>
        <span>{kind === 'login' ? kind : null}</span>
        <b>{\` · \${kind}\`}</b>
      </div>
    );`;
    expect(hardCodedTexts(path.join(root, 'renderer/Sample.tsx'), sample)).toEqual([
      'renderer/Sample.tsx: aria-label="Main menu"',
      'renderer/Sample.tsx: text "Hello there"',
      "renderer/Sample.tsx: expression 'Saving…'",
    ]);
  });
});
