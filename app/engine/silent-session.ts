import os from 'node:os';
import type { RcdpClient } from '../rcdp/client';
import { authenticate } from './authenticate';
import type { EngineDeps } from './enroll';
import { MissingInputError, type FlowFrontEnd } from './front-end';
import { thisMachineHwDescription } from './device-id';
import { rcdpClientFor } from './rcdp-session';
import { dnsResolveHost } from './service-uris';
import { credentialSecretKey, rememberedUsers } from './state';

export interface SilentSessionRequest {
  provider: string;
  service: string;
  /** The user to sign in as when no credentials are remembered (e.g. from the enrollment record). */
  userId?: string;
  signal?: AbortSignal;
  /** Why the session is opened, for the messages that say what the user must do ("checking messages"). */
  purpose: string;
}

/**
 * Run `work` on an RCDP session authenticated without a person: remembered credentials, HWSIG, seat, cached MFA,
 * one attempt, never a prompt and no DELAY wait (a prompt fails with MissingInputError, a DELAY with an error the
 * caller's back-off handles). The session always ends with eoc. Shared by the scheduled message poll and the
 * scanner; silent renewal goes through runEnrollment (it also requests a certificate).
 */
export async function withSilentSession<T>(
  engine: EngineDeps,
  req: SilentSessionRequest,
  work: (client: RcdpClient) => Promise<T>,
): Promise<T> {
  const conn = await engine.openProvider(req.provider);
  const client = rcdpClientFor(conn, engine, req.signal);
  const silent: FlowFrontEnd = {
    prompt: async (p) => {
      throw new MissingInputError(
        [p.kind],
        `${req.purpose} needs ${p.kind} from the user; enroll once with "remember" so the agent can sign in silently`,
      );
    },
    progress: () => {},
  };
  try {
    await client.connect();
    const saved = engine.secretStore ? await engine.secretStore.get(credentialSecretKey(req.provider, req.service)) : undefined;
    const credentials = saved ? (JSON.parse(saved) as Record<string, string>) : {};
    const computerName = (engine.computerName ?? os.hostname)();
    await authenticate({
      client,
      service: req.service,
      frontEnd: silent,
      credentials,
      rememberedUserId: credentials.USERID ?? req.userId ?? (await rememberedUsers.get(engine.home, req.provider, req.service)),
      unattended: true,
      canRemember: false,
      computerName,
      callerHwDescription: await (engine.callerHwDescription ?? thisMachineHwDescription)(computerName),
      hwsig: engine.hwsig,
      resolveHost: engine.resolveHost ?? dnsResolveHost,
      env: engine.env ?? process.env,
      mfa: engine.mfa,
      signal: req.signal,
      kerberosTicket: engine.kerberosTicket,
      decryptSeatChallenge: engine.decryptSeatChallenge,
      wait: async () => {
        throw new Error(`the server asked to wait (DELAY) before signing in again; ${req.purpose} is tried again later`);
      },
      step: () => {},
      maxAttempts: 1,
      forgetRemembered: saved ? () => engine.secretStore!.delete(credentialSecretKey(req.provider, req.service)) : undefined,
    });
    return await work(client);
  } finally {
    await client.eoc();
  }
}
