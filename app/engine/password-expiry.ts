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

export function passwordExpiries(records: EnrollmentRecord[], now = new Date(), warnDays = PASSWORD_WARN_DAYS): PasswordExpiry[] {
  const latest = new Map<string, EnrollmentRecord>();
  for (const r of records) {
    const key = `${r.provider}\u0000${r.service}\u0000${r.userId ?? ''}`;
    const seen = latest.get(key);
    if (!seen || Date.parse(r.issuedAt) > Date.parse(seen.issuedAt)) latest.set(key, r);
  }
  const out: PasswordExpiry[] = [];
  for (const r of latest.values()) {
    const v = r.extras.passwordValidity;
    if (v === undefined || v < 0) continue; // not reported, or never expires
    const expires = Date.parse(r.issuedAt) + v * 1000;
    const daysLeft = Math.floor((expires - now.getTime()) / 86_400_000);
    out.push({
      provider: r.provider,
      service: r.service,
      ...(r.userId ? { userId: r.userId } : {}),
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
  return `${who} ${when} (${p.expiresAt.slice(0, 10)})${p.warn ? '; change it at your next sign-in' : ''}`;
}
