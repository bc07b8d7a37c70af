import type { CodedText } from '../model/core-text';

/**
 * When is a certificate due for renewal, and why (in words the tray UI and `keytalk-agent status` show).
 *
 * Sources, in order:
 *  1. The server's cert-expiration-margin (Public API 3.2.10): "the minimal number of seconds before a certificate
 *     expiration when the certificate is considered as valid"; once the remaining time falls below it the
 *     certificate "ought to be renewed". So dueAt = notAfter − margin.
 *  2. Without it, the RCCD service's CertValidPercent (what KeyTalk's own clients do): renew when the remaining
 *     validity < lifetime × CertValidPercent / 100, i.e. dueAt = notAfter − lifetime × pct / 100.
 *  3. Without either, DEFAULT_CERT_VALID_PERCENT of the lifetime (our choice, stated in the reason).
 *
 * A margin as long as (or longer than) the whole lifetime would make every freshly issued certificate due at
 * once and renew in a loop; that case falls back to source 2/3 and the reason says so.
 *
 * Then the organisation's floor (policy `renewalMarginFloorDays`): renewal never starts later than that many days
 * before expiry, whatever the sources above said — an administrator's guarantee that a server with a tiny margin
 * cannot leave ten thousand machines renewing on the last day. A floor as long as the lifetime is not applied (the
 * same renewal loop as above) and the reason says so.
 */
export const DEFAULT_CERT_VALID_PERCENT = 10;

export interface RenewalInput {
  notBefore: number | string | Date;
  notAfter: number | string | Date;
  /** Public API cert-expiration-margin, seconds. */
  serverMarginSeconds?: number;
  /** RCCD service setting, 0–100. */
  certValidPercent?: number;
  /** Policy renewalMarginFloorDays: renew at least this many days before expiry. */
  floorDays?: number;
}

export type RenewalBasis = 'server-margin' | 'cert-valid-percent' | 'default-percent' | 'policy-floor';

export interface RenewalDecision {
  /** Epoch ms at which the certificate becomes due. */
  dueAt: number;
  basis: RenewalBasis;
  /** One sentence: when and why. */
  reason: string;
  /** Why, coded for the UI's languages (app/model/core-text.ts); the UI shows the date beside it. */
  text: CodedText;
}

/** A coded reason as a value inside another one (the English of the inner one is not kept: the outer has it all). */
const nested = (t: CodedText, message: string) => ({ ...t, message });

export function renewalDecision(input: RenewalInput): RenewalDecision {
  const base = sourceDecision(input);
  if (input.floorDays === undefined) return base;
  const floorMs = input.floorDays * 86_400_000;
  const notAfter = toMs(input.notAfter, 'notAfter');
  const lifetime = notAfter - toMs(input.notBefore, 'notBefore');
  if (floorMs >= lifetime)
    return {
      ...base,
      reason: `${base.reason} (the policy's renewal floor of ${duration(floorMs)} is not shorter than the certificate's ${duration(lifetime)} lifetime, so it cannot be used)`,
      text: { code: 'renewal.floor-unusable', params: { basis: nested(base.text, base.reason), floorSeconds: floorMs / 1000 } },
    };
  const floorDue = notAfter - floorMs;
  if (floorDue >= base.dueAt) return base;
  return {
    dueAt: floorDue,
    basis: 'policy-floor',
    reason: `renew from ${iso(floorDue)}: your organisation's policy renews at least ${duration(floorMs)} before expiry (renewalMarginFloorDays), earlier than ${iso(base.dueAt)} by the ${base.basis} rule`,
    text: { code: 'renewal.policy-floor', params: { floorSeconds: floorMs / 1000 } },
  };
}

function sourceDecision(input: RenewalInput): RenewalDecision {
  const notBefore = toMs(input.notBefore, 'notBefore');
  const notAfter = toMs(input.notAfter, 'notAfter');
  if (notAfter <= notBefore) {
    throw new Error(
      `certificate validity is empty (notAfter ${iso(notAfter)} is not after notBefore ${iso(notBefore)}); the certificate is malformed`,
    );
  }
  const lifetime = notAfter - notBefore;
  const margin = input.serverMarginSeconds;
  if (margin !== undefined && (!Number.isFinite(margin) || margin < 0)) {
    throw new Error(`cert-expiration-margin ${margin} is not a non-negative number of seconds`);
  }
  const pct = input.certValidPercent;
  if (pct !== undefined && (!Number.isFinite(pct) || pct < 0 || pct > 100)) {
    throw new Error(`CertValidPercent ${pct} is not between 0 and 100; fix the service's setting in the RCCD`);
  }

  let note = '';
  if (margin !== undefined) {
    const marginMs = margin * 1000;
    if (marginMs < lifetime) {
      const dueAt = notAfter - marginMs;
      return {
        dueAt,
        basis: 'server-margin',
        reason: `renew from ${iso(dueAt)}: the server's expiration margin is ${duration(marginMs)} and the certificate expires ${iso(notAfter)}`,
        text: { code: 'renewal.server-margin', params: { marginSeconds: margin } },
      };
    }
    note = ` (the server's expiration margin of ${duration(marginMs)} is not shorter than the certificate's ${duration(lifetime)} lifetime, so it cannot be used)`;
  }
  // 100% means "renew while less than the whole lifetime remains": due the moment it is issued, a renewal loop as
  // with a margin as long as the lifetime. The RCCD reader accepts 1–100, so the rule has to refuse it here.
  if (pct === 100)
    note += " (the service's CertValidPercent of 100% would renew it the moment it is issued, so it cannot be used)";
  else if (pct !== undefined) {
    const dueAt = Math.round(notAfter - (lifetime * pct) / 100);
    const reason = `renew from ${iso(dueAt)}: less than ${pct}% (CertValidPercent of the service) of its ${duration(lifetime)} lifetime remains then${note}`;
    const text: CodedText = { code: 'renewal.valid-percent', params: { percent: pct } };
    return { dueAt, basis: 'cert-valid-percent', reason, text: unusableMargin(text, reason, margin) };
  }
  const dueAt = Math.round(notAfter - (lifetime * DEFAULT_CERT_VALID_PERCENT) / 100);
  const reason = `renew from ${iso(dueAt)}: less than ${DEFAULT_CERT_VALID_PERCENT}% of its ${duration(lifetime)} lifetime remains then (agent default; neither the server nor the RCCD set a renewal margin)${note}`;
  let text: CodedText = { code: 'renewal.default-percent', params: { percent: DEFAULT_CERT_VALID_PERCENT } };
  if (pct === 100) text = { code: 'renewal.percent-unusable', params: { basis: nested(text, reason) } };
  return { dueAt, basis: 'default-percent', reason, text: unusableMargin(text, reason, margin) };
}

/** The percentage rule's text, saying so when the server's margin was there but as long as the whole lifetime. */
function unusableMargin(text: CodedText, reason: string, margin: number | undefined): CodedText {
  return margin === undefined
    ? text
    : { code: 'renewal.margin-unusable', params: { basis: nested(text, reason), marginSeconds: margin } };
}

/** True when a certificate with this decision must be renewed at `now`. */
export function isDue(decision: RenewalDecision, now: number): boolean {
  return now >= decision.dueAt;
}

function toMs(v: number | string | Date, name: string): number {
  const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : v.getTime();
  if (!Number.isFinite(ms)) throw new Error(`${name} "${String(v)}" is not a date`);
  return ms;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** "3 days", "2 h 5 min", "45 s": for people, not parsing. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.round(h / 24);
  return `${d} days`;
}
