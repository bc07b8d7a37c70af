import { z } from 'zod';

/**
 * Schemas for every RCDP reply. Objects are loose (unknown fields are kept: newer servers add fields), flags
 * accept the spec's "true"/"false" strings as well as JSON booleans, and numbers accept numeric strings,
 * because the spec's examples use both.
 */

const flag = z.preprocess((v) => {
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['true', 'yes', '1'].includes(s)) return true;
    if (['false', 'no', '0', ''].includes(s)) return false;
  }
  if (typeof v === 'number') return v !== 0;
  return v;
}, z.boolean());

const num = z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v), z.number());

export const HelloReply = z.looseObject({ status: z.literal('hello'), version: z.string().min(1) });
export const HandshakeReply = z.looseObject({ status: z.literal('handshake'), 'server-utc': z.string().optional() });
export const EocReply = z.looseObject({ status: z.literal('eoc'), reason: z.string().optional() });

export const MfaSettings = z.looseObject({
  kind: z.string().optional(),
  'client-id': z.string(),
  authority: z.string(),
  scopes: z.array(z.string()).default([]),
  'redirect-uri': z.string().optional(),
  'post-log-out-uri': z.string().optional(),
});
export type MfaSettings = z.infer<typeof MfaSettings>;

export const AuthRequirementsReply = z.looseObject({
  status: z.literal('auth-requirements'),
  // Absent in the seat variant (2.8.1), which carries hwsig_formula or encrypted-challenge instead.
  'credential-types': z.array(z.string()).optional(),
  hwsig_formula: z.string().optional(),
  'password-prompt': z.string().optional(),
  'service-uris': z.array(z.string()).optional(),
  'resolve-service-uris': flag.optional(),
  'calc-service-uris-digest': flag.optional(),
  'use-tpm-vsc-authentication': z.union([flag, z.string()]).optional(),
  'use-kerberos-authentication': flag.optional(),
  'supply-computer-name': flag.optional(),
  'mfa-settings': MfaSettings.optional(),
  'encrypted-challenge': z.string().optional(),
});
export type AuthRequirementsReply = z.infer<typeof AuthRequirementsReply>;

export const ChallengeItem = z.looseObject({ name: z.string(), value: z.string() });

export const AuthStatus = z.enum(['OK', 'DELAY', 'LOCKED', 'EXPIRED', 'CHALLENGE', 'KERBEROS-AUTH-NOK', 'WAIT-FOR-OTP']);
export type AuthStatus = z.infer<typeof AuthStatus>;

export const AuthResultReply = z.looseObject({
  status: z.literal('auth-result'),
  'auth-status': AuthStatus,
  delay: num.optional(),
  'password-validity': num.optional(),
  challenges: z.array(ChallengeItem).optional(),
  'response-names': z.array(z.string()).optional(),
});
export type AuthResultReply = z.infer<typeof AuthResultReply>;

export const LastMessagesReply = z.looseObject({
  status: z.literal('last-messages'),
  messages: z.array(z.looseObject({ text: z.string(), utc: z.string() })).default([]),
});
export type LastMessagesReply = z.infer<typeof LastMessagesReply>;

export const CsrRequirementsReply = z.looseObject({
  status: z.literal('csr-requirements'),
  'key-size': num.optional(),
  'signing-algo': z.string().optional(),
  subject: z
    .looseObject({
      cn: z.string().optional(),
      c: z.string().optional(),
      st: z.string().optional(),
      l: z.string().optional(),
      o: z.string().optional(),
      ou: z.string().optional(),
      ous: z.array(z.string()).optional(),
      e: z.string().optional(),
    })
    .default({}),
  san: z.array(z.string()).optional(),
});
export type CsrRequirementsReply = z.infer<typeof CsrRequirementsReply>;

export const AddressBook = z.looseObject({
  ldap_svr_url: z.string(),
  search_base: z.string().optional(),
  verification_ca: z.string().optional(),
});

const CertCookie = z.looseObject({ name: z.string(), value: z.string() });

export const CertIssued = z.looseObject({
  status: z.literal('cert'),
  cert: z.string().optional(),
  'cert-url-templ': z.string().optional(),
  'execute-sync': flag.optional(),
  'store-to-system': flag.optional(),
  'apply-address-books': flag.optional(),
  'address-books': z.array(AddressBook).optional(),
  'apply-smime-settings': flag.optional(),
  'set-disclaimer': flag.optional(),
  'historical-certs': z.array(z.string()).optional(),
  'historical-certs-url-templ': z.string().optional(),
});
export type CertIssued = z.infer<typeof CertIssued>;

/** 2.7.7 smbcerts: one entry per shared mailbox of the seat (cert inline, or cert-url-templ when out-of-band, 2.7.9). */
export const SmbCert = z.looseObject({
  upn: z.string().min(1),
  cert: z.string().optional(),
  'cert-url-templ': z.string().optional(),
  'historical-certs': z.array(z.string()).optional(),
  'historical-certs-url-templ': z.string().optional(),
});
export const SmbCertsReply = z.looseObject({ status: z.literal('smbcerts'), smbcerts: z.array(SmbCert) });
export type SmbCertsReply = z.infer<typeof SmbCertsReply>;

export const CertChallenge = z.looseObject({
  status: z.literal('cert-challenge'),
  'challenge-type': z.string(),
  'challenge-data': z.string(),
  cookie: CertCookie,
});
export const CertSubmitted = z.looseObject({
  status: z.enum(['submitted', 'in-progress']),
  cookie: CertCookie,
  details: z.string().optional(),
});
export const CertPendingApproval = z.looseObject({ status: z.literal('pending-approval'), 'approval-ongoing': flag.default(false) });

export const CertReply = z.discriminatedUnion('status', [CertIssued, CertChallenge, CertSubmitted, CertPendingApproval]);
export type CertReply = z.infer<typeof CertReply>;

/** 2.7.6 store-certs: the fingerprints the server stored and the ones it skipped. */
export const StoreCertsReply = z.looseObject({
  status: z.literal('store-certs'),
  stored: z.array(z.string()).default([]),
  skipped: z.array(z.string()).default([]),
});
export type StoreCertsReply = z.infer<typeof StoreCertsReply>;

/** 2.7.8 cert-scraping-settings. Unknown purposes/store types are kept so the caller can name them. */
export const CertScrapingSettingsReply = z.looseObject({
  status: z.literal('cert-scraping-settings'),
  schedule: z.enum(['never', 'one-shot', 'on-successful-authentication']),
  'cert-purposes': z.array(z.string()).default([]),
  'cert-store-types': z.array(z.string()).default([]),
});
export type CertScrapingSettingsReply = z.infer<typeof CertScrapingSettingsReply>;

export const ErrorReply = z.looseObject({
  status: z.literal('error'),
  code: num,
  description: z.string().optional(),
  reason: z.string().optional(),
});

/** Render a zod failure as "field 'x': expected …", naming the first offending field. */
export function describeIssue(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid reply';
  const field = first.path.length ? first.path.map(String).join('.') : 'reply';
  return `field '${field}': ${first.message}`;
}
