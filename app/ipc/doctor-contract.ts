import { z } from 'zod';
import { CoreText } from '../model/core-text-schema';

/**
 * Schemas of the connectivity check (`doctor:run`, app/doctor), kept beside the contract so contract.ts stays a
 * list of channels. The CLI's `doctor --json` prints the same report, so scripts and the UI read one shape.
 */

/** pass: fine; warn: works but needs a look (counts as passing); fail: broken; skip: not checked, with why. */
export const DoctorStatus = z.enum(['pass', 'warn', 'fail', 'skip']);
export type DoctorStatus = z.infer<typeof DoctorStatus>;

export const DoctorCheck = z.object({
  /** What was checked: dns, tcp, tls, rcdp, clock, public-api, health, home, store, secret-store, policy, daemon. */
  id: z.string(),
  /** The provider it belongs to, or "local" for this computer. */
  scope: z.string(),
  status: DoctorStatus,
  /** One line: what was found, and for a failure what to do about it. */
  summary: z.string(),
  /** The same line coded (`doctor.*`), which the window renders in the user's language; absent: show `summary`. */
  summaryText: CoreText.optional(),
  /** Measurements a script may want (negotiated version, skew seconds, address, ms). */
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type DoctorCheck = z.infer<typeof DoctorCheck>;

export const DoctorReport = z.object({
  /** True when no check failed (warnings and skips do not fail it). */
  ok: z.boolean(),
  checkedAt: z.string(),
  checks: z.array(DoctorCheck),
});
export type DoctorReport = z.infer<typeof DoctorReport>;

export const DoctorRequest = z.object({ provider: z.string().min(1).max(256).optional() }).strict();

/** `diagnostics:bundle`: the support bundle (app/diagnostics), a zip for the UI to offer as a download. */
export const SupportBundleReply = z.object({
  fileName: z.string(),
  dataBase64: z.string(),
  entries: z.array(z.string()),
});
export type SupportBundleReply = z.infer<typeof SupportBundleReply>;
