import { randomInt } from 'node:crypto';
import { currentPassword, findService, findUser, userRuntime, type ServiceRef, type SimContext } from './context';
import type { UserConfig } from './fixture';
import { parseJsonParam } from './http-util';
import { validateMfaToken } from './mfa';
import { badRequest, ERR, ok, rcdpError, type Reply } from './reply';
import { kerberosUser } from './kerberos-auth';
import { makeSeatChallenge, seatResponseMatches } from './seat';
import type { Session } from './sessions';
import { has, otpName } from './versions';

const authResult = (status: string, extra: Record<string, unknown> = {}): Reply =>
  ok({ status: 'auth-result', 'auth-status': status, ...extra });

/** 2.6.1 / 2.6.2: auth-requirements for a template, or for a seat (USERID + computer-name, then HWSIG). */
export function authRequirements(ctx: SimContext, s: Session, p: Record<string, string>): Reply {
  const v = s.version;
  if (p.HWSIG !== undefined && !p.service && s.seatStage === 'need-hwsig') {
    const ref = findService(ctx, s.service);
    if (!ref || !s.userId) return badRequest('seat auth-requirements with HWSIG needs a preceding seat auth-requirements');
    const rec = ctx.registry.latestValid(s.userId, s.computerName, p.HWSIG);
    if (!rec) return invalidSeat(v, `no valid certificate of seat ${s.userId}@${s.computerName} for this HWSIG`);
    s.hwsig = p.HWSIG;
    return seatChallenge(s, rec.pem);
  }
  const ref = findService(ctx, p.service);
  if (!p.service) return badRequest('parameter "service" is required');
  if (!ref) return badRequest(`unknown service (template) "${p.service}"`);
  const { service } = ref;
  resetAuth(s);
  s.service = service.name;
  s.phase = 'auth';
  if (service.seat && p.USERID !== undefined && p['computer-name'] !== undefined && has(v, 'seatByUserId')) {
    s.userId = p.USERID;
    s.computerName = p['computer-name'];
    const user = findUser(ctx, ref.provider, p.USERID);
    if (!user) return invalidSeat(v, `seat ${p.USERID} does not exist`);
    if (service.hwsigFormula && has(v, 'seatHwsig')) {
      if (!ctx.registry.latestValid(user.id, s.computerName)) return invalidSeat(v, `seat ${user.id} has no valid certificate`);
      s.seatStage = 'need-hwsig';
      return ok({ status: 'auth-requirements', hwsig_formula: service.hwsigFormula });
    }
    const rec = ctx.registry.latestValid(user.id, s.computerName);
    if (!rec) return invalidSeat(v, `seat ${user.id} has no valid certificate`);
    return seatChallenge(s, rec.pem);
  }
  const creds = credentialTypes(ref, v);
  const body: Record<string, unknown> = { status: 'auth-requirements', 'credential-types': creds };
  if (creds.includes('HWSIG')) body.hwsig_formula = service.hwsigFormula ?? '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16';
  if (creds.includes('PASSWD')) body['password-prompt'] = service.passwordPrompt ?? 'Password';
  if (service.serviceUris?.length) body['service-uris'] = service.serviceUris.map((u) => u.uri);
  if (service.resolveServiceUris) body['resolve-service-uris'] = 'true';
  if (service.calcServiceUrisDigest) body['calc-service-uris-digest'] = 'true';
  if (service.useTpmVsc && has(v, 'tpmVscFlag')) body['use-tpm-vsc-authentication'] = service.useTpmVsc;
  if (service.useKerberos && has(v, 'kerberos')) body['use-kerberos-authentication'] = 'true';
  if (service.supplyComputerName) body['supply-computer-name'] = 'true';
  if (service.mfa && has(v, 'mfa')) {
    const m = service.mfa;
    body['mfa-settings'] = {
      kind: m.kind,
      'client-id': m.clientId,
      authority: m.authority,
      scopes: m.scopes,
      ...(m.redirectUri ? { 'redirect-uri': m.redirectUri } : {}),
      ...(m.postLogoutUri ? { 'post-log-out-uri': m.postLogoutUri } : {}),
    };
  }
  return ok(body);
}

function credentialTypes(ref: ServiceRef, version: string): string[] {
  const creds = [...ref.service.credentials];
  if (ref.service.mfa && !creds.includes('OTP')) creds.push('OTP');
  return creds.map((c) => (c === 'OTP' ? otpName(version) : c));
}

function invalidSeat(version: string, why: string): Reply {
  return has(version, 'invalidSeatError') ? rcdpError(ERR.invalidSeat, why) : badRequest(why);
}

function seatChallenge(s: Session, certPem: string): Reply {
  try {
    const c = makeSeatChallenge(certPem);
    s.seatChallenge = c.challenge;
    s.seatStage = 'challenge';
    return ok({ status: 'auth-requirements', 'encrypted-challenge': c.encrypted });
  } catch (e) {
    return rcdpError(ERR.invalidSeat, `seat certificate cannot be encrypted to: ${(e as Error).message}`);
  }
}

function resetAuth(s: Session): void {
  delete s.pendingOtp;
  delete s.waitingForOtp;
  delete s.challengeStep;
  delete s.passwordChallengeSent;
  delete s.expiredPasswordUser;
  delete s.seatChallenge;
  delete s.seatStage;
  delete s.userId;
  delete s.computerName;
  delete s.hwsig;
}

function failure(ctx: SimContext, s: Session, ref: ServiceRef, user: UserConfig | undefined): Reply {
  const { service } = ref;
  if (user) {
    const rt = userRuntime(ctx, user);
    rt.failures += 1;
    if (service.lockAfterFailures > 0 && rt.failures >= service.lockAfterFailures) {
      rt.lockedUntil = Date.now() + service.lockSeconds * 1000;
      rt.failures = 0;
      return lockedReply(s, service.lockSeconds);
    }
    rt.delayUntil = Date.now() + service.failDelay * 1000;
  }
  return authResult('DELAY', { delay: service.failDelay });
}

/** Before 2.3.0 a still-locked user was reported as DELAY <time>. */
function lockedReply(s: Session, seconds: number): Reply {
  return authResult(has(s.version, 'lockedStatus') ? 'LOCKED' : 'DELAY', { delay: seconds });
}

const remaining = (until: number) => Math.max(1, Math.ceil((until - Date.now()) / 1000));

function hwsigEqual(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** 2.6.3–2.6.6: template authentication, seat authentication, challenge-response, OTP/MFA. */
export async function authentication(ctx: SimContext, s: Session, p: Record<string, string>): Promise<Reply> {
  const v = s.version;
  const response = p.RESPONSE ?? p.response;
  if (response !== undefined && s.seatStage === 'challenge' && s.seatChallenge) {
    const ref = findService(ctx, s.service)!;
    const user = findUser(ctx, ref.provider, s.userId);
    if (!seatResponseMatches(response, s.seatChallenge)) {
      delete s.seatChallenge;
      return failure(ctx, s, ref, user);
    }
    delete s.seatChallenge;
    s.phase = 'authenticated';
    return authResult('OK');
  }
  const ref = findService(ctx, s.service);
  if (!ref) return badRequest('authentication before auth-requirements: request auth-requirements first', 409);
  if (p.service !== undefined && p.service !== ref.service.name) {
    return badRequest(`service "${p.service}" differs from the one in auth-requirements ("${ref.service.name}")`);
  }
  const { service } = ref;

  if (p.responses !== undefined) return challengeResponse(ctx, s, ref, p);

  if (p['caller-hw-description'] === undefined) return badRequest('parameter "caller-hw-description" is required');
  if (service.useKerberos && has(v, 'kerberos') && p['kerberos-ticket'] !== undefined) {
    // A valid ticket replaces USERID/PASSWD/PIN; any failure is KERBEROS-AUTH-NOK, with no lock or delay (spec).
    const who = await kerberosUser(ctx, ref, p['kerberos-ticket']);
    if (typeof who === 'string') return authResult('KERBEROS-AUTH-NOK');
    if (service.credentials.includes('HWSIG') && !(p.HWSIG ?? '').trim()) return badRequest('credential HWSIG is required');
    s.userId = who.id;
    if (p['computer-name'] !== undefined) s.computerName = p['computer-name'];
    if (p.HWSIG !== undefined) s.hwsig = p.HWSIG;
    return otpOrOk(ctx, s, ref, who, p);
  }
  const creds = service.credentials;
  for (const c of ['USERID', 'HWSIG', 'PASSWD', 'PIN'] as const) {
    if (creds.includes(c) && p[c] === undefined) return badRequest(`credential ${c} is required by service "${service.name}"`);
  }
  if (service.supplyComputerName && p['computer-name'] === undefined)
    return badRequest('parameter "computer-name" is required (supply-computer-name)');
  const user = creds.includes('USERID')
    ? findUser(ctx, ref.provider, p.USERID)
    : ref.provider.users.find((u) => u.hwsig && p.HWSIG && hwsigEqual(u.hwsig, p.HWSIG));
  if (!user || (user.services && !user.services.includes(service.name))) return failure(ctx, s, ref, undefined);
  const rt = userRuntime(ctx, user);
  if (rt.lockedUntil && rt.lockedUntil > Date.now()) return lockedReply(s, remaining(rt.lockedUntil));
  if (rt.delayUntil && rt.delayUntil > Date.now()) return authResult('DELAY', { delay: remaining(rt.delayUntil) });
  if (user.delayFirstSeconds !== undefined && !rt.delayedOnce) {
    rt.delayedOnce = true;
    rt.delayUntil = Date.now() + user.delayFirstSeconds * 1000;
    return authResult('DELAY', { delay: user.delayFirstSeconds });
  }

  const uriError = checkServiceUris(ref, p);
  if (uriError) return uriError;

  if (creds.includes('HWSIG') && user.hwsig && !hwsigEqual(user.hwsig, p.HWSIG ?? '')) return failure(ctx, s, ref, user);
  if (creds.includes('HWSIG') && !(p.HWSIG ?? '').trim()) return failure(ctx, s, ref, user);
  if (creds.includes('PIN') && p.PIN !== user.pin) return failure(ctx, s, ref, user);
  if (creds.includes('PASSWD')) {
    const pw = currentPassword(ctx, user);
    if (user.passwordChallenge && s.passwordChallengeSent) {
      if (p.PASSWD !== user.passwordChallenge.answer) {
        delete s.passwordChallengeSent;
        return failure(ctx, s, ref, user);
      }
    } else {
      if (p.PASSWD !== pw) return failure(ctx, s, ref, user);
      if (rt.passwordExpired) {
        if (!user.mayChangePassword) return rcdpError(ERR.passwordExpired, `password of ${user.id} has expired`);
        s.expiredPasswordUser = user.id;
        return authResult('EXPIRED', { delay: 0 });
      }
      if (user.passwordChallenge) {
        s.passwordChallengeSent = true;
        return authResult('CHALLENGE', { challenges: [{ name: 'Password challenge', value: user.passwordChallenge.prompt }] });
      }
    }
  }
  s.userId = user.id;
  if (p['computer-name'] !== undefined) s.computerName = p['computer-name'];
  if (p.HWSIG !== undefined) s.hwsig = p.HWSIG;

  if (creds.includes('RESPONSE') && user.challenges?.length) {
    s.challengeStep = 0;
    return challengeReply(user, 0);
  }
  return otpOrOk(ctx, s, ref, user, p);
}

async function otpOrOk(
  ctx: SimContext,
  s: Session,
  ref: ServiceRef,
  user: UserConfig,
  p: Record<string, string>,
): Promise<Reply> {
  const { service } = ref;
  const needsOtp = service.credentials.includes('OTP') || !!service.mfa;
  if (needsOtp) {
    const name = otpName(s.version);
    const given = p[name];
    const mfa = service.mfa && has(s.version, 'mfa') ? service.mfa : undefined;
    if (given === undefined || given === '') {
      if (mfa) {
        s.waitingForOtp = true;
        return authResult('WAIT-FOR-OTP');
      }
      const code = user.otp ?? String(randomInt(0, 1_000_000)).padStart(6, '0');
      s.pendingOtp = { code, issuedAt: Date.now() };
      await ctx.outbox.send({
        to: user.email ?? user.id,
        subject: `Your KeyTalk one-time password for ${service.name}`,
        kind: 'otp',
        body: `Your one-time password is ${code}`,
        data: { otp: code, user: user.id, service: service.name },
      });
      return authResult('WAIT-FOR-OTP');
    }
    if (mfa) {
      if (!s.waitingForOtp) return failure(ctx, s, ref, user);
      const why = await validateMfaToken(given, mfa, user.id);
      if (why) {
        delete s.waitingForOtp;
        return failure(ctx, s, ref, user);
      }
      delete s.waitingForOtp;
    } else {
      const pending = s.pendingOtp;
      // One use only: the OTP is consumed by the first attempt, right or wrong.
      delete s.pendingOtp;
      if (!pending || pending.code !== given) return failure(ctx, s, ref, user);
    }
  }
  const rt = userRuntime(ctx, user);
  rt.failures = 0;
  s.phase = 'authenticated';
  return authResult('OK', user.passwordValidity !== undefined ? { 'password-validity': user.passwordValidity } : {});
}

function challengeReply(user: UserConfig, step: number): Reply {
  const st = user.challenges![step]!;
  return authResult('CHALLENGE', {
    challenges: st.challenges,
    ...(st.responseNames ? { 'response-names': st.responseNames } : {}),
  });
}

async function challengeResponse(ctx: SimContext, s: Session, ref: ServiceRef, p: Record<string, string>): Promise<Reply> {
  const user = findUser(ctx, ref.provider, s.userId);
  if (s.challengeStep === undefined || !user?.challenges) return badRequest('responses sent without a pending CHALLENGE', 409);
  const raw = parseJsonParam<unknown>(p, 'responses');
  const given: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const r of raw)
      if (r && typeof r === 'object' && 'name' in r)
        given[String((r as { name: unknown }).name)] = String((r as { value?: unknown }).value ?? '');
  } else if (raw && typeof raw === 'object') {
    for (const [k, val] of Object.entries(raw)) given[k] = String(val);
  } else if (typeof raw === 'string') {
    given.response = raw;
  }
  const step = user.challenges[s.challengeStep]!;
  const okAll = Object.entries(step.expect).every(
    ([k, val]) => given[k] === val || (Object.keys(step.expect).length === 1 && Object.values(given)[0] === val),
  );
  if (!okAll) {
    delete s.challengeStep;
    return failure(ctx, s, ref, user);
  }
  const next = s.challengeStep + 1;
  if (next < user.challenges.length) {
    s.challengeStep = next;
    return challengeReply(user, next);
  }
  delete s.challengeStep;
  return otpOrOk(ctx, s, ref, user, p);
}

/** 1001/1002: the resolved IPs and file digests the caller reports must match what the server knows. */
function checkServiceUris(ref: ServiceRef, p: Record<string, string>): Reply | null {
  const { service } = ref;
  const norm = (u: string) => u.replace(/\/+$/, '').toLowerCase();
  if (service.resolveServiceUris) {
    let resolved: { uri?: string; ips?: string[] }[] | undefined;
    try {
      resolved = parseJsonParam(p, 'resolved');
    } catch {
      return rcdpError(ERR.resolvedIpInvalid, 'resolved is not valid JSON');
    }
    for (const su of service.serviceUris ?? []) {
      if (!su.ips?.length) continue;
      const entry = Array.isArray(resolved)
        ? resolved.find((r) => r && typeof r.uri === 'string' && norm(r.uri) === norm(su.uri))
        : undefined;
      const ips = (entry?.ips ?? []).map((ip) => String(ip).replace(/^\[|\]$/g, ''));
      if (!ips.some((ip) => su.ips!.includes(ip)))
        return rcdpError(ERR.resolvedIpInvalid, `none of the IPs resolved for ${su.uri} match the server's`);
    }
  }
  if (service.calcServiceUrisDigest) {
    let digests: { uri?: string; digest?: string }[] | undefined;
    try {
      digests = parseJsonParam(p, 'digests');
    } catch {
      return rcdpError(ERR.digestInvalid, 'digests is not valid JSON');
    }
    for (const su of service.serviceUris ?? []) {
      if (!su.digest) continue;
      const entry = Array.isArray(digests)
        ? digests.find((d) => d && typeof d.uri === 'string' && norm(d.uri) === norm(su.uri))
        : undefined;
      if (!entry || String(entry.digest).toLowerCase() !== su.digest.toLowerCase())
        return rcdpError(ERR.digestInvalid, `digest of ${su.uri} does not match`);
    }
  }
  return null;
}

/** 2.6.7 change-password: after EXPIRED (or when authenticated). OK means: authenticate again with the new one. */
export function changePassword(ctx: SimContext, s: Session, p: Record<string, string>): Reply {
  const ref = findService(ctx, s.service);
  const userId = s.expiredPasswordUser ?? (s.phase === 'authenticated' ? s.userId : undefined);
  const user = ref ? findUser(ctx, ref.provider, userId) : undefined;
  if (!ref || !user)
    return badRequest('change-password needs a preceding EXPIRED authentication or an authenticated session', 409);
  const oldPw = p['old-password'];
  const newPw = p['new-password'];
  if (oldPw === undefined || newPw === undefined) return badRequest('parameters "old-password" and "new-password" are required');
  const rt = userRuntime(ctx, user);
  if (rt.lockedUntil && rt.lockedUntil > Date.now()) return lockedReply(s, remaining(rt.lockedUntil));
  if (oldPw !== currentPassword(ctx, user) || newPw.length < 4 || newPw === oldPw) return failure(ctx, s, ref, user);
  rt.password = newPw;
  rt.passwordExpired = false;
  delete s.expiredPasswordUser;
  s.phase = 'auth';
  return authResult('OK');
}
