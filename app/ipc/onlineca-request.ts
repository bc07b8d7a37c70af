import { z } from 'zod';
import {
  checkHttpsUrl,
  checkProviderName,
  isAllowedRenewPercent,
  normalizeSha256,
  RENEW_PERCENT_MAX,
  RENEW_PERCENT_MIN,
} from '../model/onlineca-input-rules';

/**
 * The `providers:add-onlineca` request. Checked with the same rules as `keytalk-agent onlineca add`
 * (app/model/onlineca-input-rules.ts), so a bad name, a non-https URL or a malformed pin is refused at the IPC door with
 * the message that names the fix, before the core touches the disk.
 */
const ruleFor =
  (check: (v: string) => unknown) =>
  (value: string, ctx: z.RefinementCtx): void => {
    try {
      check(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  };

const renewPercentRule = `Renewal percentage must be a number between ${RENEW_PERCENT_MIN} and ${RENEW_PERCENT_MAX}`;

export const AddOnlineCaRequest = z
  .object({
    name: z.string().max(200).superRefine(ruleFor(checkProviderName)),
    url: z
      .string()
      .max(2048)
      .superRefine(ruleFor((u) => checkHttpsUrl(u, 'Online CA URL'))),
    /** SHA-256 of a CA certificate the server's chain must go through; colons, spaces and "SHA256:" allowed. */
    pinSha256: z.string().max(200).superRefine(ruleFor(normalizeSha256)).optional(),
    renewPercent: z.number({ error: renewPercentRule }).refine(isAllowedRenewPercent, renewPercentRule).optional(),
  })
  .strict();
