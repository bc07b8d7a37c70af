import { describe, expect, it } from 'vitest';
import { DEFAULT_CERT_VALID_PERCENT, duration, isDue, renewalDecision } from './renewal-rule';

const day = 86_400_000;
const nb = Date.UTC(2026, 0, 1);
const na = nb + 30 * day;

describe('renewalDecision', () => {
  it('uses the server margin (seconds before expiry) first', () => {
    const d = renewalDecision({ notBefore: nb, notAfter: na, serverMarginSeconds: 86_400, certValidPercent: 50 });
    expect(d.basis).toBe('server-margin');
    expect(d.dueAt).toBe(na - day);
    expect(d.reason).toContain("server's expiration margin is 24 h");
    expect(d.text).toEqual({ code: 'renewal.server-margin', params: { marginSeconds: 86_400 } });
    expect(isDue(d, na - day - 1)).toBe(false);
    expect(isDue(d, na - day)).toBe(true);
  });

  it('falls back to CertValidPercent: remaining < lifetime × pct / 100', () => {
    const d = renewalDecision({
      notBefore: new Date(nb).toISOString(),
      notAfter: new Date(na).toISOString(),
      certValidPercent: 20,
    });
    expect(d.basis).toBe('cert-valid-percent');
    expect(d.dueAt).toBe(na - 6 * day);
    expect(d.reason).toMatch(/20% \(CertValidPercent/);
    expect(d.text).toEqual({ code: 'renewal.valid-percent', params: { percent: 20 } });
  });

  it('states the agent default when nothing is configured', () => {
    const d = renewalDecision({ notBefore: nb, notAfter: na });
    expect(d.basis).toBe('default-percent');
    expect(d.dueAt).toBe(na - (30 * day * DEFAULT_CERT_VALID_PERCENT) / 100);
    expect(d.reason).toContain('agent default');
    expect(d.text).toEqual({ code: 'renewal.default-percent', params: { percent: DEFAULT_CERT_VALID_PERCENT } });
  });

  it('does not let a margin longer than the lifetime cause a renewal loop', () => {
    const d = renewalDecision({ notBefore: nb, notAfter: nb + 10_000, serverMarginSeconds: 86_400, certValidPercent: 50 });
    expect(d.basis).toBe('cert-valid-percent');
    expect(d.dueAt).toBe(nb + 5_000);
    expect(d.reason).toContain('cannot be used');
    // The UI's text says the same: the percentage rule, with why the margin was not used.
    expect(d.text).toEqual({
      code: 'renewal.margin-unusable',
      params: { basis: { code: 'renewal.valid-percent', params: { percent: 50 }, message: d.reason }, marginSeconds: 86_400 },
    });
  });

  it('does not let a CertValidPercent of 100 (which the RCCD reader accepts) cause a renewal loop', () => {
    const d = renewalDecision({ notBefore: nb, notAfter: na, certValidPercent: 100 });
    expect(d.basis).toBe('default-percent');
    expect(d.dueAt).toBe(na - (30 * day * DEFAULT_CERT_VALID_PERCENT) / 100);
    expect(d.reason).toMatch(/CertValidPercent of 100% .* cannot be used/);
    expect(d.text).toMatchObject({ code: 'renewal.percent-unusable', params: { basis: { code: 'renewal.default-percent' } } });
    expect(renewalDecision({ notBefore: nb, notAfter: na, certValidPercent: 99 }).dueAt).toBe(na - 0.99 * 30 * day);
  });

  it('works with lifetimes of seconds', () => {
    const d = renewalDecision({ notBefore: nb, notAfter: nb + 30_000, serverMarginSeconds: 10 });
    expect(d.dueAt).toBe(nb + 20_000);
  });

  it('names bad input', () => {
    expect(() => renewalDecision({ notBefore: na, notAfter: nb })).toThrow(/malformed/);
    expect(() => renewalDecision({ notBefore: 'yesterday', notAfter: nb })).toThrow(/notBefore "yesterday" is not a date/);
    expect(() => renewalDecision({ notBefore: nb, notAfter: na, certValidPercent: 150 })).toThrow(/between 0 and 100/);
    expect(() => renewalDecision({ notBefore: nb, notAfter: na, serverMarginSeconds: -1 })).toThrow(/non-negative/);
  });

  it('formats durations for people', () => {
    expect(duration(45_000)).toBe('45 s');
    expect(duration(3 * 3600_000 + 5 * 60_000)).toBe('3 h 5 min');
    expect(duration(3 * day)).toBe('3 days');
  });
});
