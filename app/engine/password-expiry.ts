import { passwordCheckKey, type PasswordCheck } from './password-checks';
import type { EnrollmentRecord } from './state';

/**
 * password-validity (RCDP authentication, "OK"): "the number of seconds until the password expires or -1 if the
 * password never expires". The engine records it with each enrollment; this turns the records into "whose password
 * expires when", newest sign-in per provider/service/user, so `status` (and the UI) can warn N days ahead — the spec's
 * hint that a caller "may also choose to change his password ... when password-validity ... is about to expire".
 */
export interface PasswordExpiry {
  provider: string;
  service: string;
  userId?: string;
  /** ISO time: the sign-in time plus the validity the server reported then. */
  expiresAt: string;
  daysLeft: number;
  /** Within the warning window (or already past). */
  warn: boolean;
}

export const PASSWORD_WARN_DAYS = 14;

export function passwordExpiries(
  records: EnrollmentRecord[],
  now = new Date(),
  warnDays = PASSWORD_WARN_DAYS,
  checks: PasswordCheck[] = [],
): PasswordExpiry[] {
  // The newest word from the server per provider/service/user wins, be it an enrollment or a sign-in/change
  // (password-checks.ts): a password changed yesterday must not still warn from last month's enrollment.
  const latest = new Map<string, PasswordCheck>();
  const consider = (c: PasswordCheck) => {
    const key = passwordCheckKey(c);
    const seen = latest.get(key);
    if (!seen || Date.parse(c.at) > Date.parse(seen.at)) latest.set(key, c);
  };
  for (const r of records)
    consider({
      provider: r.provider,
      service: r.service,
      userId: r.userId,
      at: r.issuedAt,
      validity: r.extras.passwordValidity,
    });
  checks.forEach(consider);
  const out: PasswordExpiry[] = [];
  for (const c of latest.values()) {
    const v = c.validity;
    if (v === undefined || v < 0) continue; // not reported, unknown since a change, or never expires
    const expires = Date.parse(c.at) + v * 1000;
    const daysLeft = Math.floor((expires - now.getTime()) / 86_400_000);
    out.push({
      provider: c.provider,
      service: c.service,
      ...(c.userId ? { userId: c.userId } : {}),
      expiresAt: new Date(expires).toISOString(),
      daysLeft,
      warn: daysLeft < warnDays,
    });
  }
  return out.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
}

/** One line for a person: "the password of alice for Demo/PASSWD expires in 3 days (2026-…)". */
export function describePasswordExpiry(p: PasswordExpiry): string {
  const who = `the password${p.userId ? ` of ${p.userId}` : ''} for ${p.provider}/${p.service}`;
  const when = p.daysLeft < 0 ? 'has expired' : p.daysLeft === 0 ? 'expires today' : `expires in ${p.daysLeft} day(s)`;
  return `${who} ${when} (${p.expiresAt.slice(0, 10)})${p.warn ? '; change it now (keytalk-agent password change)' : ''}`;
}
