import type { RequestHandlers } from '../ipc/dispatcher';
import { textOf } from '../model/core-text';
import type { LdapAddressBook } from '../mail/thunderbird';
import { findOwnSmimeCertificate } from './own-certificate';
import { checkSmimeEnrollmentAvailability, inviteSmimeRecipients, SelfServiceError } from './self-service';
import { withSelfService } from './self-service-connection';

/**
 * The core's `smime:availability` and `smime:invite` handlers (the UI's invitation form): the same own
 * certificate, connection and Self-Service API call as `keytalk-agent smime invite`.
 */
export function selfServiceHandlers(
  home: string,
  opts: { ssapiUrl?: string; applyAddressBooks?: ApplyAddressBooks } = {},
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
          : {
              available: false,
              problem: 'unavailable' as const,
              explanation: a.explanation,
              explanationText: a.explanationText,
              reason: a.reason,
              certificate,
            };
      } catch (err) {
        // No usable certificate or no answer is explained in the form, not raised as an alert.
        if (!(err instanceof SelfServiceError)) throw err;
        const text = textOf(err);
        return { available: false, problem: err.kind, explanation: err.message, ...(text ? { explanationText: text } : {}) };
      }
    },
    'smime:invite': async ({ provider, service, recipients, synchronous }) => {
      const mine = await findOwnSmimeCertificate(home, { provider, service });
      const result = await withSelfService(home, mine.provider, opts.ssapiUrl, (c) =>
        inviteSmimeRecipients({
          ...c,
          client: { certPem: mine.bundle.certPem, keyPem: mine.bundle.keyPem, chainPem: mine.bundle.chainPem },
          recipients,
          synchronous: synchronous ?? true,
        }),
      );
      await applySelfServiceAddressBooks(result.addressBooks, opts.applyAddressBooks);
      return result;
    },
  };
}

export type ApplyAddressBooks = (books: LdapAddressBook[]) => Promise<unknown>;

/**
 * The Self-Service reply's address-books (5.2.1, apply-address-books) go into the user's mail clients, as the cert
 * reply's do: the recipients just enrolled are found there. A mail client that fails does not fail the invitation.
 */
export async function applySelfServiceAddressBooks(
  books: LdapAddressBook[],
  apply?: ApplyAddressBooks,
  warn: (message: string) => void = () => {},
): Promise<void> {
  if (!books.length) return;
  const run =
    apply ?? (async (b: LdapAddressBook[]) => (await import('../mail/user-mail')).userMailIntegration(warn).applyAddressBooks(b));
  await Promise.resolve(run(books)).catch((err: Error) => warn(`address books not applied: ${err.message}`));
}
