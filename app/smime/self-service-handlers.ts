import type { RequestHandlers } from '../ipc/dispatcher';
import { findOwnSmimeCertificate } from './own-certificate';
import { checkSmimeEnrollmentAvailability, inviteSmimeRecipients, SelfServiceError } from './self-service';
import { withSelfService } from './self-service-connection';

/**
 * The core's `smime:availability` and `smime:invite` handlers (the UI's invitation form): the same own
 * certificate, connection and Self-Service API call as `keytalk-agent smime invite`.
 */
export function selfServiceHandlers(
  home: string,
  opts: { ssapiUrl?: string } = {},
): Pick<RequestHandlers, 'smime:availability' | 'smime:invite'> {
  return {
    'smime:availability': async ({ provider, service, synchronous }) => {
      try {
        const mine = await findOwnSmimeCertificate(home, { provider, service });
        const certificate = {
          provider: mine.provider,
          service: mine.service,
          subject: mine.subject,
          emails: mine.emails,
          notAfter: mine.notAfter,
        };
        const a = await withSelfService(home, mine.provider, opts.ssapiUrl, (c) =>
          checkSmimeEnrollmentAvailability(c.publicApi, mine.bundle.certPem, synchronous ?? true),
        );
        return a.available
          ? { available: true, mobileRequired: a.mobileRequired, certificate }
          : { available: false, problem: 'unavailable' as const, explanation: a.explanation, reason: a.reason, certificate };
      } catch (err) {
        // No usable certificate or no answer is explained in the form, not raised as an alert.
        if (!(err instanceof SelfServiceError)) throw err;
        return { available: false, problem: err.kind, explanation: err.message };
      }
    },
    'smime:invite': async ({ provider, service, recipients, synchronous }) => {
      const mine = await findOwnSmimeCertificate(home, { provider, service });
      return withSelfService(home, mine.provider, opts.ssapiUrl, (c) =>
        inviteSmimeRecipients({
          ...c,
          client: { certPem: mine.bundle.certPem, keyPem: mine.bundle.keyPem, chainPem: mine.bundle.chainPem },
          recipients,
          synchronous: synchronous ?? true,
        }),
      );
    },
  };
}
