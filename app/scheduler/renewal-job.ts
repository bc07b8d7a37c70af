import * as z from 'zod/mini';
import { renewalJitterBound } from './fleet-policy';
import { renewalDecision, type RenewalDecision } from './renewal-rule';
import type { JobRecord, Scheduler } from './scheduler';

/**
 * A certificate under renewal watch: what the renewal job carries in the schedule file (no secrets, no PEM
 * keys: only what finds the certificate again and explains its schedule).
 */
export const RenewalJobData = z.object({
  sha256Fingerprint: z.string(),
  provider: z.string(),
  service: z.string(),
  subject: z.optional(z.string()),
  notBefore: z.string(),
  notAfter: z.string(),
  /** Stores the certificate is in: the new one must reach all of them before the old one goes. */
  stores: z.array(z.string()),
  /** Seat certificate (renewed with seat authentication when its template participates). */
  seat: z.optional(z.boolean()),
  userId: z.optional(z.string()),
  /** Reminders shown so far for the current unattended-renewal request. */
  reminders: z.optional(z.number()),
  /** Epoch ms the user was first asked (for the UI: "waiting since"). */
  waitingForUserSince: z.optional(z.number()),
  basis: z.optional(z.string()),
});
export type RenewalJobData = z.infer<typeof RenewalJobData>;

export const RENEWAL_KIND = 'renewal';
export const renewalJobId = (sha256Fingerprint: string) => `renewal:${sha256Fingerprint.toUpperCase()}`;

export function renewalData(job: Pick<JobRecord, 'id' | 'data'>): RenewalJobData {
  const parsed = RenewalJobData.safeParse(job.data);
  if (!parsed.success)
    throw new Error(
      `renewal job ${job.id} has unusable data (${parsed.error.issues[0]?.message}); remove it and re-import the certificate`,
    );
  return parsed.data;
}

export interface RenewalPolicyInputs {
  serverMarginSeconds?: number;
  certValidPercent?: number;
  /** The organisation's policy renewalMarginFloorDays (renewal-rule.ts). */
  floorDays?: number;
}

/**
 * Start (or update) watching a certificate. Keeps an existing job's due time when the certificate is the same
 * (restart resumes a back-off or a pending user request), recomputes it when the inputs say otherwise.
 */
export async function trackCertificate(
  scheduler: Scheduler,
  cert: Omit<RenewalJobData, 'reminders' | 'waitingForUserSince' | 'basis'>,
  inputs: RenewalPolicyInputs,
  random: () => number = Math.random,
): Promise<{ decision: RenewalDecision; job: JobRecord }> {
  const decision = renewalDecision({ notBefore: cert.notBefore, notAfter: cert.notAfter, ...inputs });
  const id = renewalJobId(cert.sha256Fingerprint);
  const existing = scheduler.get(id);
  const data = { ...cert, sha256Fingerprint: cert.sha256Fingerprint.toUpperCase(), basis: decision.basis };
  if (existing && existing.data.basis === decision.basis && (existing.failures > 0 || existing.data.reminders !== undefined)) {
    // In back-off or waiting for the user: keep that timing, refresh the facts.
    return { decision, job: await scheduler.ensure({ id, kind: RENEWAL_KIND, dueAt: existing.dueAt, data }) };
  }
  if (
    existing &&
    Math.abs(existing.dueAt - decision.dueAt) <= renewalJitterBound(Date.parse(cert.notAfter) - Date.parse(cert.notBefore))
  ) {
    return {
      decision,
      job: await scheduler.ensure({
        id,
        kind: RENEWAL_KIND,
        dueAt: existing.dueAt,
        reason: decision.reason,
        reasonText: decision.text,
        data,
      }),
    };
  }
  const window = jitterWindow(decision, cert);
  const dueAt = window.from + Math.floor(random() * window.jitterMs);
  return {
    decision,
    job: await scheduler.set({ id, kind: RENEWAL_KIND, dueAt, reason: decision.reason, reasonText: decision.text, data }),
  };
}

/**
 * Where the fleet jitter may place a renewal: after the server's margin (a renewal must not start before it), but
 * before the policy floor, which promises "no later than" — so with a floor the window ends at the due time.
 */
export function jitterWindow(
  decision: RenewalDecision,
  cert: { notBefore: string; notAfter: string },
): { from: number; jitterMs: number } {
  const jitterMs = renewalJitterBound(Date.parse(cert.notAfter) - Date.parse(cert.notBefore));
  return { from: decision.basis === 'policy-floor' ? decision.dueAt - jitterMs : decision.dueAt, jitterMs };
}
