import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from '../shell/format-date';
import { certName, dnAttribute, expiry } from './cert-identity';

describe('the name a person recognises', () => {
  const cases: [string, string][] = [
    ['emailAddress=alice@acme.test, CN=Alice Jansen, O=Acme', 'Alice Jansen'],
    ['CN=alice', 'alice'],
    ['emailAddress=sales@acme.test, O=Acme', 'sales@acme.test'],
    ['/C=NL/O=Acme/CN=www.acme.test', 'www.acme.test'],
    ['CN=Jansen\\, Alice, O=Acme', 'Jansen, Alice'],
    ['O=Acme only', 'O=Acme only'],
  ];
  for (const [dn, name] of cases) it(dn, () => expect(certName({ subject: dn })).toBe(name));
  it('finds attributes case-insensitively', () => expect(dnAttribute('cn=x, o=Y', 'O')).toBe('Y'));
});

describe('expires in N days, and how worried to look', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  const day = 86_400_000;
  const at = (ms: number) => new Date(ms).toISOString();
  const cases: { name: string; notAfter: number; renewAt?: number; days: number; level: string }[] = [
    { name: 'far off, renewal later', notAfter: now + 90 * day + 1, renewAt: now + 60 * day, days: 90, level: 'ok' },
    { name: 'past the renewal margin', notAfter: now + 20 * day + 1, renewAt: now - day, days: 20, level: 'renew' },
    { name: 'the last week', notAfter: now + 3 * day + 1, renewAt: now + day, days: 3, level: 'soon' },
    { name: 'later today', notAfter: now + 3_600_000, days: 0, level: 'soon' },
    { name: 'expired', notAfter: now - 2 * day - 1, days: -2, level: 'expired' },
  ];
  for (const c of cases)
    it(c.name, () =>
      expect(expiry({ notAfter: at(c.notAfter), ...(c.renewAt ? { renewAt: at(c.renewAt) } : {}) }, now)).toEqual({
        days: c.days,
        level: c.level,
      }),
    );
});

describe('one date format, from the locale', () => {
  it('formats through Intl.DateTimeFormat and shows a non-date as it came', () => {
    const iso = '2027-12-02T08:51:52Z';
    expect(formatDate(iso)).toBe(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(iso)));
    expect(formatDateTime(iso)).not.toContain('T08');
    expect(formatDateTime('soon')).toBe('soon');
  });
});
