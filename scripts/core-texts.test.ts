import { afterEach, describe, expect, it } from 'vitest';
import { coreTextCodes, coreTextParams, type CoreTextCode } from '../app/model/core-text';
import { coreMessage } from '../renderer/i18n/core-text';
import { applyLanguageSetting } from '../renderer/i18n/i18n';
import { de } from '../renderer/i18n/locales/de';
import { en } from '../renderer/i18n/locales/en';
import { nl } from '../renderer/i18n/locales/nl';

// Issue 19: every code the core can emit (app/model/core-text.ts, the one list) has its sentence in English, Dutch
// and German, with exactly the values the core sends; and the UI has no sentence for a code the core does not emit.

const leaf = (resource: { core: object }, code: string): unknown =>
  code.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], resource.core);

function leaves(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : leaves(v as object, `${prefix}${k}.`),
  );
}

const placeholders = (text: string) => [...new Set([...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]))].sort();

afterEach(() => {
  applyLanguageSetting('en');
});

describe('core texts', () => {
  for (const [lang, resource] of Object.entries({ en, nl, de }))
    it(`${lang}: a sentence for every code the core can emit, with exactly its values`, () => {
      const problems = coreTextCodes.flatMap((code) => {
        const text = leaf(resource, code);
        if (typeof text !== 'string' || !text.trim()) return [`missing ${code}`];
        const want = [...coreTextParams[code]].sort();
        return placeholders(text).join() === want.join()
          ? []
          : [`${code}: {{${placeholders(text).join(', ')}}} instead of {{${want.join(', ')}}}`];
      });
      expect(problems).toEqual([]);
    });

  it('the UI has no sentence for a code the core does not emit', () => {
    expect(leaves(en.core).filter((k) => !coreTextCodes.includes(k as CoreTextCode))).toEqual([]);
  });

  it("renders a known code in the language with its values, and an unknown code as the core's English", () => {
    const locked = { code: 'auth.locked-for', params: { seconds: 7200 }, message: 'locked for another 2 h' };
    applyLanguageSetting('nl');
    expect(coreMessage(locked)).toBe(
      'Uw account is nog 2 uur geblokkeerd op de KeyTalk-server. Probeer het later opnieuw of neem contact op met uw beheerder.',
    );
    applyLanguageSetting('de');
    expect(coreMessage({ code: 'network.refused', params: { host: 'kt.example:443' }, message: 'x' })).toBe(
      'kt.example:443 hat die Verbindung abgelehnt. Läuft der Server, und stimmt die Adresse in der Anbieterdatei?',
    );
    expect(coreMessage({ code: 'auth.something-newer', message: 'the English sentence' })).toBe('the English sentence');
    // A code naming a group of sentences is not a sentence either.
    expect(coreMessage({ code: 'auth', message: 'the English sentence' })).toBe('the English sentence');
    // No coded text at all (an older core, a sentence not yet coded): the plain English field.
    expect(coreMessage(undefined, 'plain English')).toBe('plain English');
  });
});
