import os from 'node:os';
import { nullLogger } from '../log/logger';
import type { FlowOutcome } from '../model/flow-types';
import type { RcdpClient } from '../rcdp/client';
import { authenticate, changePassword, type Credentials } from './authenticate';
import type { EngineDeps } from './enroll-deps';
import { FlowFailure, type FlowFrontEnd } from './front-end';
import { flowPacing } from './flow-pacing';
import { thisMachineHwDescription } from './device-id';
import { failureOutcome } from './outcome';
import { passwordChecks } from './password-checks';
import { rcdpFailure } from './rcdp-enrollment';
import { openRcdpSession } from './rcdp-session';
import { dnsResolveHost } from './service-uris';
import { credentialSecretKey, rememberedUsers } from './state';

export interface PasswordChangeRequest {
  provider: string;
  service: string;
  /** Known up front (CLI: --user, the current password from stdin); the engine asks for the rest. */
  credentials?: Credentials;
}

/**
 * A voluntary password change (RCDP 2.6.7: "A caller may also choose to change his password on successful
 * authentication when password-validity ... gives a hint that the password is about to expire"): sign in as
 * for an enrollment, then the same change-password exchange the forced EXPIRED path uses (authenticate.ts), then
 * eoc — no certificate. On OK a remembered password is replaced by the new one (silent renewal would otherwise
 * send the old one and cost the user a strike), and the expiry warning is cleared until the server reports the
 * new password's validity at the next sign-in. Never throws: every ending is a FlowOutcome.
 */
export async function runPasswordChange(
  req: PasswordChangeRequest,
  frontEnd: FlowFrontEnd,
  deps: EngineDeps,
  signal?: AbortSignal,
): Promise<FlowOutcome> {
  const log = (deps.log ?? nullLogger).child({ provider: req.provider, service: req.service });
  // Without `log`: a password change keeps its steps and retries out of the log, as it always has.
  const { step, wait } = flowPacing(frontEnd, { signal, sleep: deps.sleep });
  let client: RcdpClient | undefined;
  try {
    client = (await openRcdpSession(deps, req, { signal, step })).client;
    const computerName = (deps.computerName ?? os.hostname)();
    const credentials: Credentials = { ...(req.credentials ?? {}) };
    const auth = await authenticate({
      client,
      service: req.service,
      frontEnd,
      credentials,
      rememberedUserId: credentials.USERID ?? (await rememberedUsers.get(deps.home, req.provider, req.service)),
      unattended: false,
      // The sign-in here is only the way to the change; what is remembered is updated after it.
      canRemember: false,
      computerName,
      callerHwDescription: await (deps.callerHwDescription ?? thisMachineHwDescription)(computerName),
      hwsig: deps.hwsig,
      resolveHost: deps.resolveHost ?? dnsResolveHost,
      env: deps.env ?? process.env,
      mfa: deps.mfa,
      signal,
      wait,
      step,
      maxAttempts: deps.maxAuthAttempts ?? 3,
    });
    if (auth.credentials.PASSWD === undefined)
      throw new FlowFailure('bad-input', `service ${req.service} does not sign in with a password, so there is none to change`);
    const creds = auth.credentials;
    await changePassword({ client, frontEnd, maxAttempts: deps.maxAuthAttempts ?? 3, step, wait }, creds, 'requested');
    const userId = auth.userId ?? creds.USERID;
    log.info('password changed', { userId });

    const key = credentialSecretKey(req.provider, req.service);
    const saved = deps.secretStore ? await deps.secretStore.get(key) : undefined;
    if (saved) {
      const kept = JSON.parse(saved) as Credentials;
      if (kept.USERID === undefined || kept.USERID === userId)
        await deps.secretStore!.set(key, JSON.stringify({ ...kept, PASSWD: creds.PASSWD }));
    }
    await passwordChecks.record(deps.home, {
      provider: req.provider,
      service: req.service,
      ...(userId ? { userId } : {}),
      at: new Date().toISOString(),
    });
    return { status: 'password-changed', provider: req.provider, service: req.service, ...(userId ? { userId } : {}) };
  } catch (err) {
    const outcome = failureOutcome(err, signal, rcdpFailure);
    log.warn('password change failed', { code: outcome.code, error: outcome.message });
    return outcome;
  } finally {
    await client?.eoc();
  }
}
