import type { EngineDeps } from '../engine/enroll';
import type { EnrollmentRecord } from '../engine/state';

/**
 * Scheduled last-messages poll (RCDP 2.7.1). The server answers last-messages only in an authenticated session,
 * so this opens one with the same unattended authentication a silent renewal uses (remembered credentials,
 * HWSIG, ...; never a prompt), asks for messages newer than `fromUtc`, and ends the session. No certificate is
 * requested. A service that cannot authenticate silently fails with needs-input and the job backs off.
 *
 * `serviceFor(provider)` picks the enrollment to authenticate as (the agent's most recent one for the provider).
 */
export function createSilentMessagesFetcher(
  engine: EngineDeps,
  serviceFor: (provider: string) => Promise<Pick<EnrollmentRecord, 'service' | 'userId'> | undefined>,
) {
  return async (provider: string, fromUtc: string | undefined, signal: AbortSignal): Promise<{ text: string; utc: string }[]> => {
    const enrolled = await serviceFor(provider);
    if (!enrolled) throw new Error(`no certificate enrolled from ${provider}; messages arrive with the next enrollment`);
    // The RCDP client and authentication code load with the first poll, not with the daemon (issue 7).
    const { withSilentSession } = await import('../engine/silent-session');
    return withSilentSession(
      engine,
      { provider, service: enrolled.service, userId: enrolled.userId, signal, purpose: 'checking messages' },
      async (client) => (await client.lastMessages(fromUtc)).messages,
    );
  };
}
