import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandRunner } from '../system/command-runner';
import { policyKeys, validatePolicy } from './schema';
import { readRegistrySource } from './sources';

/**
 * Issue 20, "Admin templates shipped in resources/": the Linux policy.json, the Windows ADMX with its en-US, nl-NL
 * and de-DE ADML, and the macOS configuration profile each cover exactly the schema's keys. The ADMX is checked the
 * way Windows would use it: each element's registry value, as `reg query` prints it, goes through the agent's own
 * registry reader and must validate to the example policy — so an element of the wrong type fails here.
 */
const dir = path.join(__dirname, '../../resources/policy');
const read = (rel: string) => readFile(path.join(dir, rel), 'utf8');
const ns = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions';

/** The little of the DOM these checks use. Declared here because xmldom's own types pull the DOM lib into the
 * Node typecheck (its .d.ts references lib "dom"), which would let browser globals into app/ unnoticed. */
interface Element {
  nodeType: number;
  tagName: string;
  localName: string;
  textContent: string | null;
  childNodes: ArrayLike<Element>;
  getAttribute(name: string): string | null;
  getElementsByTagNameNS(ns: string, tag: string): ArrayLike<Element>;
}
type ErrorSink = (msg: string) => void;
const { DOMParser } = createRequire(import.meta.url)('@xmldom/xmldom') as {
  DOMParser: new (options: { errorHandler: { warning: ErrorSink; error: ErrorSink; fatalError: ErrorSink } }) => {
    parseFromString(text: string, type: string): { documentElement: Element };
  };
};

function parseXml(text: string, name: string) {
  const errors: string[] = [];
  const sink: ErrorSink = (msg) => void errors.push(msg);
  const doc = new DOMParser({ errorHandler: { warning: sink, error: sink, fatalError: sink } }).parseFromString(text, 'text/xml');
  expect(errors, `${name} is well-formed XML`).toEqual([]);
  return doc;
}

const children = (el: Element, tag: string) => Array.from(el.getElementsByTagNameNS(ns, tag));
/** A policy's value elements (decimal, enum, text, multiText): the children of its <elements>, if it has one. */
const valueElements = (policy: Element) =>
  children(policy, 'elements').flatMap((e) => Array.from(e.childNodes).filter((n): n is Element => n.nodeType === 1));

async function example(): Promise<Record<string, unknown>> {
  return JSON.parse(await read('policy.json')) as Record<string, unknown>;
}

describe('admin templates', () => {
  it('the Linux policy.json example names every key once and validates without a warning', async () => {
    const raw = await example();
    expect(Object.keys(raw).sort()).toEqual([...policyKeys].sort());
    expect(validatePolicy(raw, 'policy.json').warnings).toEqual([]);
  });

  it('the ADMX has one policy per schema key, under the registry key the Windows reader queries', async () => {
    const doc = parseXml(await read('windows/keytalk-agent.admx'), 'keytalk-agent.admx');
    const policies = children(doc.documentElement, 'policy');
    const valueNames = policies.flatMap((p) => [
      ...(p.getAttribute('valueName') ? [p.getAttribute('valueName')!] : []),
      ...valueElements(p).map((e) => e.getAttribute('valueName')!),
    ]);
    expect(valueNames.sort()).toEqual([...policyKeys].sort());
    for (const p of policies) expect(p.getAttribute('key')).toBe('SOFTWARE\\Policies\\KeyTalk\\Agent');
  });

  it('each ADML (en-US, nl-NL, de-DE) defines exactly the strings and presentations the ADMX references', async () => {
    const admx = await read('windows/keytalk-agent.admx');
    const wantStrings = new Set([...admx.matchAll(/\$\(string\.([^)]+)\)/g)].map((m) => m[1]!));
    const wantPresentations = new Set([...admx.matchAll(/\$\(presentation\.([^)]+)\)/g)].map((m) => m[1]!));
    const admxDoc = parseXml(admx, 'admx');
    const elementIds = new Set(
      children(admxDoc.documentElement, 'policy')
        .flatMap(valueElements)
        .map((e) => e.getAttribute('id')!),
    );
    for (const lang of ['en-US', 'nl-NL', 'de-DE']) {
      const doc = parseXml(await read(`windows/${lang}/keytalk-agent.adml`), lang);
      const root = doc.documentElement;
      const strings = children(root, 'string');
      expect(new Set(strings.map((s) => s.getAttribute('id'))), lang).toEqual(wantStrings);
      for (const s of strings) expect(s.textContent?.trim(), `${lang} ${s.getAttribute('id')}`).not.toBe('');
      const presentations = children(root, 'presentation');
      expect(new Set(presentations.map((p) => p.getAttribute('id'))), lang).toEqual(wantPresentations);
      const refIds = presentations.flatMap((p) =>
        Array.from(p.childNodes)
          .filter((n): n is Element => n.nodeType === 1)
          .map((e) => e.getAttribute('refId')),
      );
      expect(new Set(refIds), `${lang} presentations point at the ADMX elements`).toEqual(elementIds);
    }
    // Translated, not copied: the Dutch and German titles differ from the English ones.
    const title = async (lang: string) =>
      /<string id="lockedStores">([^<]+)</.exec(await read(`windows/${lang}/keytalk-agent.adml`))![1];
    expect(new Set([await title('en-US'), await title('nl-NL'), await title('de-DE')]).size).toBe(3);
  });

  it('values written by the ADMX elements read back through the registry reader as the example policy', async () => {
    const policy = await example();
    const doc = parseXml(await read('windows/keytalk-agent.admx'), 'admx');
    const lines = ['', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\KeyTalk\\Agent'];
    for (const p of children(doc.documentElement, 'policy')) {
      const name = p.getAttribute('name')!;
      const value = policy[name];
      const [element, ...more] = valueElements(p);
      expect(more, `${name} has one value element`).toEqual([]);
      let regType: string;
      let data: string;
      if (!element) {
        // A boolean policy: Enabled writes enabledValue, Disabled writes disabledValue (both decimal DWORDs).
        const which = value === true ? 'enabledValue' : 'disabledValue';
        const decimal = children(children(p, which)[0]!, 'decimal')[0]!;
        [regType, data] = ['REG_DWORD', `0x${Number(decimal.getAttribute('value')).toString(16)}`];
      } else if (element.localName === 'decimal') {
        expect(Number(value)).toBeGreaterThanOrEqual(Number(element.getAttribute('minValue')));
        expect(Number(value)).toBeLessThanOrEqual(Number(element.getAttribute('maxValue')));
        [regType, data] = ['REG_DWORD', `0x${Number(value).toString(16)}`];
      } else if (element.localName === 'enum') {
        const items = children(element, 'string').map((s) => s.textContent);
        expect(items, `${name}'s items offer the example value`).toContain(value);
        [regType, data] = ['REG_SZ', String(value)];
      } else if (element.localName === 'multiText') {
        [regType, data] = [
          'REG_MULTI_SZ',
          (value as unknown[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\\0'),
        ];
      } else {
        [regType, data] = ['REG_SZ', typeof value === 'string' ? value : JSON.stringify(value)];
      }
      lines.push(`    ${name}    ${regType}    ${data}`);
    }
    const runner: CommandRunner = { run: () => Promise.resolve({ code: 0, stdout: lines.join('\r\n'), stderr: '' }) };
    const source = await readRegistrySource(runner, 'HKLM\\SOFTWARE\\Policies\\KeyTalk\\Agent');
    const validated = validatePolicy(source!.raw, 'registry');
    expect(validated.warnings).toEqual([]);
    expect(validated.policy).toEqual(policy);
  });

  it('the macOS configuration profile carries exactly the schema keys, with the example values', async () => {
    const doc = parseXml(await read('macos/com.keytalk.agent.mobileconfig'), 'mobileconfig');
    const top = plistToJs(firstElement(doc.documentElement)) as Record<string, unknown>;
    expect(top.PayloadType).toBe('Configuration');
    const [payload] = top.PayloadContent as Record<string, unknown>[];
    expect(payload!.PayloadType).toBe('com.keytalk.agent');
    // What lands in the managed-preferences plist is the payload minus the profile's own Payload* bookkeeping.
    const prefs = Object.fromEntries(Object.entries(payload!).filter(([k]) => !k.startsWith('Payload')));
    expect(Object.keys(prefs).sort()).toEqual([...policyKeys].sort());
    expect(validatePolicy(prefs, 'mobileconfig')).toEqual({ policy: await example(), warnings: [] });
  });
});

function firstElement(el: Element): Element {
  return Array.from(el.childNodes).find((n): n is Element => n.nodeType === 1)!;
}

/** The XML plist value types a configuration profile uses. */
function plistToJs(el: Element): unknown {
  const kids = Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1);
  switch (el.tagName) {
    case 'dict': {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < kids.length; i += 2) out[kids[i]!.textContent!] = plistToJs(kids[i + 1]!);
      return out;
    }
    case 'array':
      return kids.map(plistToJs);
    case 'string':
      return el.textContent ?? '';
    case 'integer':
      return Number.parseInt(el.textContent!, 10);
    case 'true':
      return true;
    case 'false':
      return false;
    default:
      throw new Error(`unexpected plist element <${el.tagName}>`);
  }
}
