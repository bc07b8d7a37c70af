import os from 'node:os';
import { authenticate } from '../engine/authenticate';
import type { EngineDeps } from '../engine/enroll';
import { MissingInputError, type FlowFrontEnd } from '../engine/front-end';
import { credentialSecretKey, rememberedUsers, type EnrollmentRecord } from '../engine/state';
import { dnsResolveHost } from '../engine/service-uris';
import { RcdpClient } from '../rcdp/client';

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
    const conn = await engine.openProvider(provider);
    const client = new RcdpClient({
      server: conn.server,
      agent: conn.agent,
      explainTlsError: conn.explainTlsError,
      callerAppDescription: `KeyTalk Agent ${engine.appVersion ?? ''}`.trim(),
      signal,
      ...engine.rcdp,
    });
    const silent: FlowFrontEnd = {
      prompt: async (p) => {
        throw new MissingInputError([p.kind], `checking messages unattended needs ${p.kind} from the user`);
      },
      progress: () => {},
    };
    try {
      await client.connect();
      const saved = engine.secretStore ? await engine.secretStore.get(credentialSecretKey(provider, enrolled.service)) : undefined;
      const credentials = saved ? (JSON.parse(saved) as Record<string, string>) : {};
      const computerName = (engine.computerName ?? os.hostname)();
      await authenticate({
        client,
        service: enrolled.service,
        frontEnd: silent,
        credentials,
        rememberedUserId: credentials.USERID ?? enrolled.userId ?? (await rememberedUsers.get(engine.home, provider, enrolled.service)),
        unattended: true,
        canRemember: false,
        computerName,
        callerHwDescription: `${os.type()} ${os.release()} ${os.arch()}, ${computerName}`,
        hwsig: engine.hwsig,
        resolveHost: engine.resolveHost ?? dnsResolveHost,
        env: engine.env ?? process.env,
        mfa: engine.mfa,
        signal,
        kerberosTicket: engine.kerberosTicket,
        decryptSeatChallenge: engine.decryptSeatChallenge,
        wait: async () => {
          throw new Error('the server asked to wait (DELAY); messages are checked again later');
        },
        step: () => {},
        maxAttempts: 1,
      });
      return (await client.lastMessages(fromUtc)).messages;
    } finally {
      await client.eoc();
    }
  };
}
