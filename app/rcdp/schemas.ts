// zod/mini, the tree-shakeable build: the daemon's scheduled messages poll (and silent renewal) parse these
// replies, and full zod's classic API would cost every daemon with an enrolled certificate a few MB (issue 7).
// It has no English messages: describeIssue below builds the text (app/system/describe-zod-issue.ts).
import * as z from 'zod/mini';
import { describeZodIssue } from '../system/describe-zod-issue';

/**
 * Schemas for every RCDP reply. Objects are loose (unknown fields are kept: newer servers add fields), flags
 * accept the spec's "true"/"false" strings as well as JSON booleans, and numbers accept numeric strings,
 * because the spec's examples use both.
 */

const flag = z.pipe(
  z.transform((v: unknown) => {
    if (typeof v === 'string') {
      const s = v.trim().toLowerCase();
      if (['true', 'yes', '1'].includes(s)) return true;
      if (['false', 'no', '0', ''].includes(s)) return false;
    }
    if (typeof v === 'number') return v !== 0;
    return v;
  }),
  z.boolean(),
);

const num = z.pipe(
  z.transform((v: unknown) => (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v)),
  z.number(),
);

export const HelloReply = z.looseObject({ status: z.literal('hello'), version: z.string().check(z.minLength(1)) });
export const HandshakeReply = z.looseObject({ status: z.literal('handshake'), 'server-utc': z.optional(z.string()) });
export const EocReply = z.looseObject({ status: z.literal('eoc'), reason: z.optional(z.string()) });

export const MfaSettings = z.looseObject({
  kind: z.optional(z.string()),
  'client-id': z.string(),
  authority: z.string(),
  scopes: z._default(z.array(z.string()), []),
  'redirect-uri': z.optional(z.string()),
  'post-log-out-uri': z.optional(z.string()),
});
export type MfaSettings = z.infer<typeof MfaSettings>;

export const AuthRequirementsReply = z.looseObject({
  status: z.literal('auth-requirements'),
  // Absent in the seat variant (2.8.1), which carries hwsig_formula or encrypted-challenge instead.
  'credential-types': z.optional(z.array(z.string())),
  hwsig_formula: z.optional(z.string()),
  'password-prompt': z.optional(z.string()),
  'service-uris': z.optional(z.array(z.string())),
  'resolve-service-uris': z.optional(flag),
  'calc-service-uris-digest': z.optional(flag),
  'use-tpm-vsc-authentication': z.optional(z.union([flag, z.string()])),
  'use-kerberos-authentication': z.optional(flag),
  'supply-computer-name': z.optional(flag),
  'mfa-settings': z.optional(MfaSettings),
  'encrypted-challenge': z.optional(z.string()),
});
export type AuthRequirementsReply = z.infer<typeof AuthRequirementsReply>;

export const ChallengeItem = z.looseObject({ name: z.string(), value: z.string() });

export const AuthStatus = z.enum(['OK', 'DELAY', 'LOCKED', 'EXPIRED', 'CHALLENGE', 'KERBEROS-AUTH-NOK', 'WAIT-FOR-OTP']);
export type AuthStatus = z.infer<typeof AuthStatus>;

export const AuthResultReply = z.looseObject({
  status: z.literal('auth-result'),
  'auth-status': AuthStatus,
  delay: z.optional(num),
  'password-validity': z.optional(num),
  challenges: z.optional(z.array(ChallengeItem)),
  'response-names': z.optional(z.array(z.string())),
});
export type AuthResultReply = z.infer<typeof AuthResultReply>;

export const LastMessagesReply = z.looseObject({
  status: z.literal('last-messages'),
  messages: z._default(z.array(z.looseObject({ text: z.string(), utc: z.string() })), []),
});
export type LastMessagesReply = z.infer<typeof LastMessagesReply>;

export const CsrRequirementsReply = z.looseObject({
  status: z.literal('csr-requirements'),
  'key-size': z.optional(num),
  'signing-algo': z.optional(z.string()),
  subject: z._default(
    z.looseObject({
      cn: z.optional(z.string()),
      c: z.optional(z.string()),
      st: z.optional(z.string()),
      l: z.optional(z.string()),
      o: z.optional(z.string()),
      ou: z.optional(z.string()),
      ous: z.optional(z.array(z.string())),
      e: z.optional(z.string()),
    }),
    {},
  ),
  san: z.optional(z.array(z.string())),
});
export type CsrRequirementsReply = z.infer<typeof CsrRequirementsReply>;

export const AddressBook = z.looseObject({
  ldap_svr_url: z.string(),
  search_base: z.optional(z.string()),
  verification_ca: z.optional(z.string()),
});

const CertCookie = z.looseObject({ name: z.string(), value: z.string() });

export const CertIssued = z.looseObject({
  status: z.literal('cert'),
  cert: z.optional(z.string()),
  'cert-url-templ': z.optional(z.string()),
  'execute-sync': z.optional(flag),
  'store-to-system': z.optional(flag),
  'apply-address-books': z.optional(flag),
  'address-books': z.optional(z.array(AddressBook)),
  'apply-smime-settings': z.optional(flag),
  'set-disclaimer': z.optional(flag),
  'historical-certs': z.optional(z.array(z.string())),
  'historical-certs-url-templ': z.optional(z.string()),
});
export type CertIssued = z.infer<typeof CertIssued>;

/** 2.7.7 smbcerts: one entry per shared mailbox of the seat (cert inline, or cert-url-templ when out-of-band, 2.7.9). */
export const SmbCert = z.looseObject({
  upn: z.string().check(z.minLength(1)),
  cert: z.optional(z.string()),
  'cert-url-templ': z.optional(z.string()),
  'historical-certs': z.optional(z.array(z.string())),
  'historical-certs-url-templ': z.optional(z.string()),
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
  details: z.optional(z.string()),
});
export const CertPendingApproval = z.looseObject({
  status: z.literal('pending-approval'),
  'approval-ongoing': z._default(flag, false),
});

export const CertReply = z.discriminatedUnion('status', [CertIssued, CertChallenge, CertSubmitted, CertPendingApproval]);
export type CertReply = z.infer<typeof CertReply>;

/** 2.7.4 tpm-attestation (servers ≥ 2.7.2): the base64 challenge the TPM turns into tpm-evidence. */
export const TpmAttestationReply = z.looseObject({
  status: z.literal('tpm-attestation'),
  challenge: z.string().check(z.minLength(1)),
});
export type TpmAttestationReply = z.infer<typeof TpmAttestationReply>;

/** 2.7.6 store-certs: the fingerprints the server stored and the ones it skipped. */
export const StoreCertsReply = z.looseObject({
  status: z.literal('store-certs'),
  stored: z._default(z.array(z.string()), []),
  skipped: z._default(z.array(z.string()), []),
});
export type StoreCertsReply = z.infer<typeof StoreCertsReply>;

/** 2.7.8 cert-scraping-settings. Unknown purposes/store types are kept so the caller can name them. */
export const CertScrapingSettingsReply = z.looseObject({
  status: z.literal('cert-scraping-settings'),
  schedule: z.enum(['never', 'one-shot', 'on-successful-authentication']),
  'cert-purposes': z._default(z.array(z.string()), []),
  'cert-store-types': z._default(z.array(z.string()), []),
});
export type CertScrapingSettingsReply = z.infer<typeof CertScrapingSettingsReply>;

export const ErrorReply = z.looseObject({
  status: z.literal('error'),
  code: num,
  description: z.optional(z.string()),
  reason: z.optional(z.string()),
});

/** Render a zod failure as "field 'x': expected …", naming the first offending field. */
export function describeIssue(error: z.core.$ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid reply';
  const text = describeZodIssue(first, 'reply');
  // describeZodIssue says "<path>: <what>"; RCDP errors have always quoted the field.
  const field = text.slice(0, text.indexOf(': '));
  return `field '${field}': ${text.slice(field.length + 2)}`;
}
