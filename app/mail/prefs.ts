/**
 * Mozilla preference files (prefs.js, user.js): `user_pref("name", value);` lines. Only what the agent needs:
 * reading the user's current values (identities, signatures) and writing our own lines.
 */
export type PrefValue = string | number | boolean;

const PREF_LINE = /^\s*(?:user_pref|pref)\(\s*("(?:[^"\\]|\\.)*")\s*,\s*("(?:[^"\\]|\\.)*"|-?\d+|true|false)\s*\)\s*;/;

/** Parse prefs.js / user.js text into name → value. Lines that are not simple prefs are ignored (comments, sticky_pref…). */
export function parsePrefs(text: string): Map<string, PrefValue> {
  const out = new Map<string, PrefValue>();
  for (const line of text.split(/\r?\n/)) {
    const m = PREF_LINE.exec(line);
    if (!m) continue;
    let name: string;
    try {
      name = JSON.parse(m[1]!) as string;
    } catch {
      continue;
    }
    const raw = m[2]!;
    let value: PrefValue;
    if (raw === 'true' || raw === 'false') value = raw === 'true';
    else if (raw.startsWith('"')) {
      try {
        value = JSON.parse(unMozEscape(raw)) as string;
      } catch {
        continue;
      }
    } else value = Number(raw);
    out.set(name, value);
  }
  return out;
}

/** Mozilla escapes like JS; JSON lacks \' and \xNN, which Mozilla writers may use. */
function unMozEscape(s: string): string {
  // One pass, left to right: an escaped backslash followed by a quote is a backslash then a quote, not an
  // escaped quote (fuzzing found string values ending in a backslash and a quote that did not read back).
  return s.replace(/\\(x[0-9a-fA-F]{2}|[\s\S])/g, (all, e: string) =>
    e === "'" ? "'" : e.length === 3 ? `\\u00${e.slice(1)}` : all,
  );
}

/** One `user_pref(...)` line. JSON string escaping is valid JavaScript, which is what the pref parser reads. */
export function prefLine(name: string, value: PrefValue): string {
  if (typeof value === 'number' && !Number.isInteger(value))
    throw new Error(`pref ${name}: Mozilla integer prefs cannot hold ${value}`);
  // U+2028/2029 are fine in JSON but not in older JS string literals.
  const v =
    typeof value === 'string'
      ? JSON.stringify(value)
          .replace(/\u2028/g, '\\u2028')
          .replace(/\u2029/g, '\\u2029')
      : String(value);
  return `user_pref(${JSON.stringify(name)}, ${v});`;
}

export interface MailIdentity {
  /** "id1" */
  key: string;
  email: string;
  prefs: Map<string, PrefValue>;
}

/** The mail identities (mail.identity.idN.*) of a profile's prefs, with their e-mail addresses. */
export function mailIdentities(prefs: Map<string, PrefValue>): MailIdentity[] {
  const byKey = new Map<string, Map<string, PrefValue>>();
  for (const [name, value] of prefs) {
    const m = /^mail\.identity\.([^.]+)\.(.+)$/.exec(name);
    if (!m) continue;
    let p = byKey.get(m[1]!);
    if (!p) byKey.set(m[1]!, (p = new Map()));
    p.set(m[2]!, value);
  }
  const out: MailIdentity[] = [];
  for (const [key, p] of byKey) {
    const email = p.get('useremail');
    if (typeof email === 'string' && email) out.push({ key, email, prefs: p });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
}

export function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
