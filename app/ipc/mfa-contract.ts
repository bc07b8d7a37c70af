import { z } from 'zod';

/**
 * Schemas of the MFA sign-in channels (app/mfa), beside the contract so contract.ts stays a list of channels.
 * Usernames only: tokens never leave the core.
 */
export const MfaAccountGroup = z.object({
  /** The IdP (mfa-settings authority) and app registration the sign-ins belong to. */
  authority: z.string(),
  clientId: z.string(),
  /** Sign-out also ends the IdP's session (the server gave a post-log-out-uri): a sign-out page opens. */
  endsIdpSession: z.boolean(),
  accounts: z.array(z.object({ username: z.string(), name: z.string().optional() })),
});
export type MfaAccountGroup = z.infer<typeof MfaAccountGroup>;

export const MfaSignOutRequest = z
  .object({
    authority: z.string().url().max(2048),
    clientId: z.string().min(1).max(256),
    username: z.string().min(1).max(512),
  })
  .strict();
