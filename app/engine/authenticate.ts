import { rcdpJson } from '../rcdp/json-param';
import type { AuthRequirementsReply, AuthResultReply } from '../rcdp/schemas';
import type { CredentialField } from '../model/flow-types';
import type { AuthContext, AuthKind, AuthResult, Credentials } from './auth-context';
import { expectAnswer, FlowFailure } from './front-end';
import { coreText, withText } from '../model/core-text';
import { parseMfaSettings } from './mfa';
import { trySeatAuthentication } from './seat-authentication';
import { atLeast } from '../rcdp/versions';
import { requireTpm, tpmVscMode } from './tpm-csr';
import { TPM_ATTESTATION_SINCE } from './tpm-evidence';
import { digestServiceUris, resolveServiceUris } from './service-uris';

export type { AuthContext, AuthKind, AuthResult, Credentials, SeatIdentity, UserCredential } from './auth-context';

const isOtp = (t: string) => t === 'OTP' || t === 'OTP/MFA';

/** Phase 2: authentication requirements, then authentication rounds until OK or a definite failure. */
export async function authenticate(ctx: AuthContext): Promise<AuthResult> {
  if (ctx.seat && ctx.decryptSeatChallenge && ctx.client.features.seatAuthentication) {
    const seat = await trySeatAuthentication(ctx, ctx.seat);
    if (seat) return seat;
  }
  ctx.step('auth-requirements', ctx.service);
  const reqs = await ctx.client.authRequirements({ service: ctx.service });
  const types = reqs['credential-types'];
  if (!types) throw new FlowFailure('protocol', "the server's auth-requirements reply has no credential-types");
  const unknown = types.filter((t) => !['USERID', 'PASSWD', 'PIN', 'HWSIG', 'RESPONSE'].includes(t) && !isOtp(t));
  if (unknown.length) {
    throw new FlowFailure(
      'unsupported',
      `service ${ctx.service} requires credential type(s) ${unknown.join(', ')}, which this agent does not support`,
    );
  }
  // "yes" / "yes-with-attestation": the CSR must come from a TPM Virtual Smart Card key. Enrolling anyway with a
  // software key would silently hand out a weaker certificate than the service demands, so where there is no TPM
  // support (or no attestation where it is asked) it is refused in words before any credential is sent.
  const tpm = tpmVscMode(reqs['use-tpm-vsc-authentication']);
  if (tpm === 'yes-with-attestation' && !atLeast(ctx.client.features.version, TPM_ATTESTATION_SINCE)) {
    // The document defines tpm-attestation "as of v2.7.2": an older session has no way to send evidence.
    throw new FlowFailure(
      'unsupported',
      `service ${ctx.service} requires TPM attestation, but the server speaks RCDP ${ctx.client.features.version}, which has no tpm-attestation (needs ${TPM_ATTESTATION_SINCE}); ask your administrator`,
    );
  }
  if (tpm !== 'no') requireTpm(ctx.service, ctx.tpmKeys, process.platform, tpm);
  const otpName = types.find(isOtp) ?? ctx.client.features.otpCredential;
  const needsOtp = types.some(isOtp);
  const hasResponse = types.includes('RESPONSE');
  const userFields = (['USERID', 'PASSWD', 'PIN'] as const).filter((t) => types.includes(t));

  const fixed: Record<string, string> = { service: ctx.service, 'caller-hw-description': ctx.callerHwDescription };
  if (types.includes('HWSIG')) {
    if (!reqs.hwsig_formula) throw new FlowFailure('protocol', 'the server asks for HWSIG but sent no hwsig_formula');
    if (!ctx.hwsig)
      throw new FlowFailure('unsupported', 'the server asks for a hardware signature, but no HWSIG probes are available');
    fixed.HWSIG = await ctx.hwsig(reqs.hwsig_formula);
  }
  const uris = reqs['service-uris'] ?? [];
  if (reqs['resolve-service-uris'] && uris.length) {
    ctx.step('resolve-service-uris');
    fixed.resolved = rcdpJson(await resolveServiceUris(uris, ctx.resolveHost));
  }
  if (reqs['calc-service-uris-digest'] && uris.length) {
    ctx.step('digest-service-uris');
    fixed.digests = rcdpJson(await digestServiceUris(uris, ctx.env));
  }
  if (reqs['supply-computer-name']) {
    fixed['computer-name'] = ctx.computerName;
    if (ctx.retiredComputerName && ctx.retiredComputerName !== ctx.computerName)
      fixed['retired-computer-name'] = ctx.retiredComputerName;
  }
  // Spec (auth-requirements use-kerberos-authentication): use the ticket when there is one, else the credentials.
  const wantsTicket = reqs['use-kerberos-authentication'] && ctx.kerberosTicket;
  let kerberos = wantsTicket ? await ctx.kerberosTicket!().catch(() => undefined) : undefined;

  const creds: Credentials = { ...ctx.credentials };
  const initialOtp = creds.OTP;
  delete creds.OTP;
  let otp: string | undefined;
  let remember = false;
  let error: string | undefined;
  let failures = 0;
  // A passwd-mode CHALLENGE answer goes out as PASSWD for one round only: it is not the user's password, so it
  // must never replace creds.PASSWD (which "Remember" stores and silent renewal sends).
  let challengeAnswer: string | undefined;
  // Secrets that were given up front (flags, environment, the secret store) rather than typed at a prompt.
  let fromStore = ctx.forgetRemembered !== undefined && userFields.some((f) => f !== 'USERID' && creds[f]);

  const askCredentials = async (): Promise<void> => {
    const fields: CredentialField[] = userFields.map((name) => ({
      name,
      label: name === 'USERID' ? 'User name' : name === 'PASSWD' ? (reqs['password-prompt'] ?? 'Password') : 'PIN',
      // The UI translates its own names for the fields; the server's password-prompt is the server's words.
      ...(name === 'PASSWD' && reqs['password-prompt'] ? { serverLabel: true } : {}),
      secret: name !== 'USERID',
      ...(name === 'USERID' && (creds.USERID ?? ctx.rememberedUserId) ? { value: creds.USERID ?? ctx.rememberedUserId } : {}),
    }));
    const answer = expectAnswer(
      await ctx.frontEnd.prompt({
        kind: 'credentials',
        fields,
        offerRemember: !ctx.unattended && ctx.canRemember,
        ...(ctx.rememberProtection ? { rememberProtection: ctx.rememberProtection } : {}),
        ...(ctx.rememberLocked && !ctx.unattended ? { rememberLocked: true } : {}),
        error,
        ...(error ? { errorText: coreText('auth.rejected', error) } : {}),
      }),
      'credentials',
    );
    for (const f of userFields) {
      const v = answer.values[f] ?? (f === 'USERID' ? (creds.USERID ?? ctx.rememberedUserId) : undefined);
      if (v === undefined || v === '')
        throw new FlowFailure(
          'bad-input',
          `no ${f === 'USERID' ? 'user name' : f === 'PASSWD' ? (reqs['password-prompt'] ?? 'password') : 'PIN'} given`,
        );
      creds[f] = v;
    }
    remember = answer.remember;
    error = undefined;
    fromStore = false;
  };

  for (;;) {
    // With a ticket the first round goes without asking: the credentials are only needed if the ticket fails.
    if (error !== undefined || (!kerberos && userFields.some((f) => !creds[f]))) await askCredentials();
    const params: Record<string, string> = { ...fixed };
    for (const f of userFields) if (creds[f]) params[f] = creds[f];
    if (challengeAnswer !== undefined) params.PASSWD = challengeAnswer;
    challengeAnswer = undefined;
    if (otp !== undefined) params[otpName] = otp;
    if (kerberos) params['kerberos-ticket'] = rcdpJson(kerberos);
    ctx.step('authentication');
    let reply: AuthResultReply = await ctx.client.authenticate(params);

    // Inner loop: replies answered without resubmitting all credentials (challenge-response).
    for (;;) {
      const status = reply['auth-status'];
      if (status === 'OK') {
        const kind: AuthKind =
          otp !== undefined || types.some(isOtp)
            ? 'mfa'
            : kerberos
              ? 'kerberos'
              : userFields.length === 0 && types.includes('HWSIG')
                ? 'hwsig'
                : 'credentials';
        return {
          userId: creds.USERID ?? (kerberos ? kerberos['client-principal']?.split('@')[0] : undefined),
          passwordValidity: reply['password-validity'],
          remember,
          credentials: creds,
          method: 'template',
          kind,
          ...(fixed['computer-name'] ? { computerName: fixed['computer-name'] } : {}),
          ...(uris.length ? { serviceUris: uris } : {}),
          tpmVsc: tpm,
        };
      }
      if (status === 'LOCKED' || (status === 'DELAY' && !ctx.client.features.lockedStatus && (reply.delay ?? 0) > 3600)) {
        throw withText(
          new FlowFailure(
            'locked',
            `the account is locked on the KeyTalk server${reply.delay ? ` for another ${formatSeconds(reply.delay)}` : ''}; try again later or contact your administrator`,
          ),
          reply.delay ? 'auth.locked-for' : 'auth.locked',
          reply.delay ? { seconds: reply.delay } : undefined,
        );
      }
      if (status === 'DELAY') {
        // 2.6.3: DELAY = "authentication was not successful"; `delay` = seconds before the caller may try again.
        // Every failure counts against the account's lockout budget, so rejected credentials are never sent
        // again by the agent: only the user, after the wait, can try (again) with what they type.
        failures++;
        otp = undefined;
        delete creds.PASSWD;
        delete creds.PIN;
        if (fromStore) await ctx.forgetRemembered!().catch(() => undefined);
        fromStore = false;
        await rejected(ctx, failures, Math.max(0, reply.delay ?? 0), userFields.length > 0);
        error = 'The KeyTalk server rejected the credentials; check them and try again.';
        break;
      }
      if (status === 'EXPIRED') {
        if (ctx.unattended)
          throw withText(
            new FlowFailure('auth-failed', 'the password has expired; sign in interactively to change it'),
            'auth.expired-unattended',
          );
        await changePassword(ctx, creds);
        break;
      }
      if (status === 'KERBEROS-AUTH-NOK') {
        // Spec: fall back to the regular credentials; no lock is applied for a failed ticket.
        if (!kerberos) throw new FlowFailure('protocol', 'the server rejected a Kerberos ticket that was not sent');
        kerberos = undefined;
        break;
      }
      if (status === 'WAIT-FOR-OTP') {
        if (!needsOtp && !reqs['mfa-settings'])
          throw new FlowFailure('protocol', 'the server asked for a one-time password the template does not require');
        otp = await acquireOtp(ctx, reqs, creds.USERID, initialOtp);
        break;
      }
      // CHALLENGE
      const challenges = (reply.challenges ?? []).map((c) => ({ name: c.name, value: c.value }));
      if (!challenges.length) throw new FlowFailure('protocol', "the server's CHALLENGE reply carries no challenges");
      if (ctx.unattended)
        throw withText(
          new FlowFailure('needs-input', 'the server asks a challenge question; unattended renewal cannot answer it'),
          'renewal.needs-challenge',
        );
      if (hasResponse) {
        const names = reply['response-names'] ?? [];
        const answer = expectAnswer(
          await ctx.frontEnd.prompt({ kind: 'challenge', mode: 'response', challenges, responseNames: names }),
          'challenge',
        );
        const expected = names.length ? names : ['response'];
        const responses = expected.map((name, i) => {
          const r = answer.responses.find((x) => x.name === name) ?? (names.length ? undefined : answer.responses[i]);
          if (!r) throw new FlowFailure('bad-input', `no response given for "${name}"`);
          return { name, value: r.value };
        });
        ctx.step('authentication', coreText('step.challenge-response', 'challenge response'));
        reply = await ctx.client.authenticate({ responses: rcdpJson(responses) });
        continue;
      }
      const answer = expectAnswer(
        await ctx.frontEnd.prompt({ kind: 'challenge', mode: 'passwd', challenges, responseNames: [] }),
        'challenge',
      );
      const value = answer.responses[0]?.value;
      if (!value) throw new FlowFailure('bad-input', 'no answer given to the challenge');
      challengeAnswer = value;
      break;
    }
  }
}

/**
 * After a rejection: unattended runs and front-ends that cannot ask again (the CLI) stop here, naming the wait;
 * otherwise the user sees the server's countdown and is then asked again.
 */
async function rejected(ctx: AuthContext, failures: number, delay: number, canAsk: boolean): Promise<void> {
  const after = delay ? `wait ${formatSeconds(delay)} (the server's delay), then ` : '';
  if (ctx.unattended)
    throw withText(
      new FlowFailure(
        'auth-failed',
        `the KeyTalk server rejected the remembered credentials; they were not sent again. ${after}sign in to renew`,
      ),
      'auth.rejected-remembered',
    );
  if (!canAsk)
    throw withText(
      new FlowFailure('auth-failed', `the KeyTalk server rejected the hardware signature of this device`),
      'auth.rejected-hwsig',
    );
  if (ctx.frontEnd.asksAgainAfterRejection === false || failures >= ctx.maxAttempts)
    throw withText(
      new FlowFailure(
        'auth-failed',
        `the KeyTalk server rejected the credentials${failures > 1 ? ` ${failures} times` : ''}; ${after}try again with the right ones`,
      ),
      delay ? 'auth.rejected-final-wait' : 'auth.rejected-final',
      delay ? { seconds: delay } : undefined,
    );
  if (delay) await ctx.wait(delay, 'delay');
}

async function acquireOtp(
  ctx: AuthContext,
  reqs: AuthRequirementsReply,
  userId: string | undefined,
  initialOtp: string | undefined,
): Promise<string> {
  const wire = reqs['mfa-settings'];
  if (wire) {
    if (!ctx.mfa)
      throw new FlowFailure(
        'unsupported',
        'the service requires multi-factor sign-in, but no MFA sign-in is available in this front-end',
      );
    let settings;
    try {
      settings = parseMfaSettings(wire);
    } catch (err) {
      throw new FlowFailure('server-error', (err as Error).message);
    }
    const authority = settings.authority;
    try {
      const token = await ctx.mfa.acquireToken(settings, {
        unattended: ctx.unattended,
        loginHint: userId,
        signal: ctx.signal,
        onProgress: (state) => ctx.frontEnd.progress({ kind: 'mfa', state, authority }),
      });
      ctx.frontEnd.progress({ kind: 'mfa', state: 'done', authority });
      return token;
    } catch (err) {
      ctx.frontEnd.progress({ kind: 'mfa', state: 'cancelled', authority });
      if (err instanceof FlowFailure) throw err;
      const interaction = (err as Error).name === 'MfaInteractionRequired';
      throw new FlowFailure(
        ctx.unattended || interaction ? 'needs-input' : 'auth-failed',
        `multi-factor sign-in failed: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  if (initialOtp && oneTimeCode(initialOtp)) return oneTimeCode(initialOtp);
  if (ctx.unattended)
    throw withText(
      new FlowFailure('needs-input', 'the server sent a one-time password; unattended renewal cannot enter it'),
      'renewal.needs-otp',
    );
  const answer = expectAnswer(await ctx.frontEnd.prompt({ kind: 'otp', sentTo: userId }), 'otp');
  const code = oneTimeCode(answer.otp ?? '');
  if (!code) throw new FlowFailure('bad-input', 'no one-time password given');
  return code;
}

/**
 * A one-time password as typed or pasted: codes are shown grouped ("135 790") and pasted from mail with a trailing
 * space or line break, but whitespace is never part of one. Sent as typed, the server counted it as a wrong attempt
 * and the code, usable once (2.6.2 OTP/MFA), was spent.
 */
function oneTimeCode(typed: string): string {
  return typed.replace(/\s+/g, '');
}

/**
 * The 2.6.7 exchange: the server forced it (EXPIRED) or the user asked for it (password-change.ts, on an
 * authenticated session). DELAY = refused (wrong old password, policy), asked again after the wait.
 */
export async function changePassword(
  ctx: Pick<AuthContext, 'client' | 'frontEnd' | 'maxAttempts' | 'step' | 'wait'>,
  creds: Credentials,
  reason: 'expired' | 'requested' = 'expired',
): Promise<void> {
  let error: string | undefined;
  for (let attempt = 0; attempt < ctx.maxAttempts; attempt++) {
    const errorText = error ? { errorText: coreText('auth.change-refused', error) } : {};
    const answer = expectAnswer(
      await ctx.frontEnd.prompt({ kind: 'change-password', reason, error, ...errorText }),
      'change-password',
    );
    if (!answer.newPassword) throw new FlowFailure('bad-input', 'no new password given');
    ctx.step('change-password');
    const reply = await ctx.client.changePassword(answer.oldPassword || creds.PASSWD || '', answer.newPassword);
    const status = reply['auth-status'];
    if (status === 'OK') {
      creds.PASSWD = answer.newPassword;
      return;
    }
    if (status === 'LOCKED')
      throw withText(
        new FlowFailure('locked', 'the account is locked on the KeyTalk server; try again later or contact your administrator'),
        'auth.locked',
      );
    if (status !== 'DELAY') throw new FlowFailure('protocol', `unexpected change-password status ${status}`);
    if (reply.delay) await ctx.wait(reply.delay, 'delay');
    error = 'The server refused the password change (wrong old password or the new one does not meet the policy).';
  }
  throw withText(new FlowFailure('auth-failed', 'the password change was refused too many times'), 'auth.change-refused-final');
}

export function formatSeconds(s: number): string {
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}
