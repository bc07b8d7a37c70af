// zod/mini, the tree-shakeable build: the daemon's keep-alive and margin jobs parse these replies all day
// (issue 7's < 60 MB; full zod's classic API costs a few MB more to load). It has no English messages, so the
// client describes a failed parse itself (app/system/describe-zod-issue.ts).
import * as z from 'zod/mini';

/**
 * Reply schemas of the KeyTalk Public API 1.6.x (spec section 3.2). `z.object` strips unknown keys, so newer
 * servers that add fields still validate; a missing or mistyped field the agent relies on is an error.
 * The field names are the spec's (kebab-case); the client maps them to camelCase results.
 */

export const ErrorReply = z.object({ status: z.literal('error'), error: z.optional(z.string()) });

export const SelfServiceAvailabilityReply = z.object({
  // The spec spells the status "self-service-availablility" (sic); accept that and the correct spelling.
  status: z.enum(['self-service-availablility', 'self-service-availability']),
  available: z.boolean(),
});

const AddressBook = z.object({
  ldap_svr_url: z.string(),
  search_base: z.string(),
  verification_ca: z.optional(z.string()),
});
export const AddressBookListReply = z.object({
  status: z.literal('address-book-list'),
  'apply-address-books': z.boolean(),
  // "" when none are configured (spec example), otherwise an array.
  'address-books': z.union([z.array(AddressBook), z.literal('')]),
});

export const SmimeEnrollmentAvailabilityReply = z.union([
  z.object({
    status: z.literal('smime-cert-enrollment-availability'),
    available: z.literal(true),
    'mobile-required': z.optional(z.boolean()),
  }),
  z.object({
    status: z.literal('smime-cert-enrollment-availability'),
    available: z.literal(false),
    reason: z.optional(z.string()),
  }),
]);

export const SystemStoreReply = z.object({ status: z.literal('should-cert-go-to-system-store'), 'system-store': z.boolean() });

export const DisclaimerReply = z
  .object({
    status: z.literal('set-disclaimer-for-smime-cert-email'),
    'set-disclaimer': z.boolean(),
    disclaimer: z.optional(
      z.object({
        name: z.string(),
        zip: z.string(),
        'check-interval': z.coerce.number().check(z.positive()),
      }),
    ),
  })
  .check(
    z.refine((r) => !r['set-disclaimer'] || r.disclaimer !== undefined, {
      message: '"disclaimer" must be present when "set-disclaimer" is true',
    }),
  );

export const ApproverEmailsReply = z.object({ status: z.literal('cert-approver-emails'), emails: z.array(z.string()) });

export const VersionReply = z.object({ status: z.literal('version'), version: z.string() });

export const CnPolicy = z.enum([
  'ALLOWED',
  'DISALLOWED-NOT-SUPPORTED-BY-SERVICE',
  'DISALLOWED-CERT-STILL-VALID',
  'ALLOWED-AS-GIVENNAME_SURNAME',
]);
export const CnPolicyReply = z.object({ status: z.literal('cn-customization-policy'), policy: CnPolicy });

export const SeatTemplatesReply = z.object({
  status: z.literal('templates-to-auto-renew-seat-certs'),
  'template-names': z.array(z.string()),
});

export const ExpirationMarginReply = z.object({
  status: z.literal('cert-expiration-margin'),
  'threshold-seconds': z.coerce.number().check(z.nonnegative()),
});

export const HealthReply = z.object({
  status: z.literal('health-check'),
  'check-result': z.string(),
  error: z.optional(z.string()),
});

export const PopupTemplateReply = z.object({
  status: z.literal('ktagent-unattended-popup-msg-template'),
  'msg-template': z.string(),
});

export const KeepAliveIntervalReply = z.object({ status: z.literal('keep-alive-interval'), interval: z.string() });

export const IAmAliveReply = z.object({ status: z.literal('success'), interval: z.optional(z.string()) });
