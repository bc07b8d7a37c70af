// zod/mini: the daemon's silent sessions (messages poll, renewal) parse these; full zod would cost it a few MB (issue 7).
import * as z from 'zod/mini';
import { describeZodIssue } from '../system/describe-zod-issue';
import type { MfaSettings } from './mfa-sign-in';

/** mfa-settings as the server sends it in auth-requirements (RCDP 2.7.5+), kebab-case keys. */
const wireSchema = z.object({
  kind: z.enum(['mfa-popups', 'mfa-redirection']),
  'client-id': z.string().check(z.trim(), z.minLength(1)),
  authority: z.string().check(z.trim(), z.minLength(1)),
  scopes: z.array(z.string().check(z.trim(), z.minLength(1))),
  'redirect-uri': z.optional(z.string().check(z.trim())),
  'post-log-out-uri': z.optional(z.string().check(z.trim())),
});

/** Parse and check the server's mfa-settings; a bad value becomes an Error that names the field and the fix. */
export function parseMfaSettings(value: unknown): MfaSettings {
  const parsed = wireSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => describeZodIssue(i, '(root)')).join('; ');
    throw new Error(
      `the server sent unusable mfa-settings (${issues}); the KeyTalk administrator must fix the service's MFA configuration`,
    );
  }
  const w = parsed.data;
  const settings: MfaSettings = {
    kind: w.kind,
    clientId: w['client-id'],
    authority: w.authority,
    scopes: w.scopes,
    ...(w['redirect-uri'] ? { redirectUri: w['redirect-uri'] } : {}),
    ...(w['post-log-out-uri'] ? { postLogoutUri: w['post-log-out-uri'] } : {}),
  };
  validateMfaSettings(settings);
  return settings;
}

/** Checks that apply however the settings were obtained (server reply or a test). */
export function validateMfaSettings(settings: MfaSettings): void {
  let url: URL;
  try {
    url = new URL(settings.authority);
  } catch {
    throw new Error(
      `MFA authority "${settings.authority}" is not a URL; expected e.g. https://login.microsoftonline.com/<tenant>`,
    );
  }
  if (url.protocol !== 'https:') {
    throw new Error(`MFA authority ${settings.authority} must use https (tokens would otherwise travel in clear text)`);
  }
  if (url.search || url.hash) throw new Error(`MFA authority ${settings.authority} must not carry a query or fragment`);
  if (!settings.clientId.trim())
    throw new Error('MFA settings have an empty client-id; the KeyTalk administrator must set the app registration id');
  if (!settings.scopes.length)
    throw new Error('MFA settings list no scopes; the KeyTalk administrator must set at least one (e.g. api://<app>/mfa)');
}
