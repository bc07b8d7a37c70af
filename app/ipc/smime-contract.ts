import { z } from 'zod';
import { CoreText } from '../model/core-text-schema';

/**
 * Schemas of the S/MIME Self-Service channels (smime:availability, smime:invite; app/smime), kept beside the
 * contract so contract.ts stays a list of channels.
 */

/** The Self-Service API's answer for the user's own S/MIME certificate (the invitation form asks first). */
export const SmimeAvailability = z.object({
  available: z.boolean(),
  mobileRequired: z.boolean().optional(),
  /** The server's own words, when it gave a reason. */
  reason: z.string().optional(),
  /** What the reason means and what the user can do (shown as text); explanationText the same coded. */
  explanation: z.string().optional(),
  explanationText: CoreText.optional(),
  problem: z.enum(['unavailable', 'bad-input', 'server', 'network']).optional(),
  /** The certificate that identifies the user, when one was found. */
  certificate: z
    .object({ provider: z.string(), service: z.string(), subject: z.string(), emails: z.array(z.string()), notAfter: z.string() })
    .optional(),
});
export type SmimeAvailability = z.infer<typeof SmimeAvailability>;

export const SmimeInviteResult = z.object({
  synchronous: z.boolean(),
  succeeded: z.array(z.object({ email: z.string(), orderId: z.string().optional() })),
  failed: z.array(z.object({ email: z.string(), error: z.string().optional() })),
  skipped: z.array(z.string()),
  addressBooks: z.array(z.object({ url: z.string(), searchBase: z.string().optional(), verificationCa: z.string().optional() })),
});
export type SmimeInviteResult = z.infer<typeof SmimeInviteResult>;
