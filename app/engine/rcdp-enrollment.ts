import type https from 'node:https';
import { coreText } from '../model/core-text';
import { rememberForbidden, secretStorageProtection } from './remember-gate';
import os from 'node:os';
import { describeCertificate } from '../crypto/cert-info';
import { nullLogger } from '../log/logger';
import { PublicApiClient } from '../public-api/client';
import type { RcdpClient } from '../rcdp/client';
import { RcdpError, RcdpServerError } from '../rcdp/errors';
import { authenticate, type AuthResult, type Credentials } from './authenticate';
import { requestCertificate, type CertOptions } from './certificate';
import { caApiFetcher, completeChain } from './chain-completion';
import type { EngineDeps, ProviderConnection } from './enroll-deps';
import { requireTpm } from './tpm-csr';
import { askTpmAttested } from './tpm-evidence';
import type { EnrollRequest } from './enroll-request';
import type { EnrollOutcome } from '../model/flow-types';
import { expectAnswer, type FailureCode, type FlowFrontEnd } from './front-end';
import { preflightStores, selectStores, storeIssued } from './issued-stores';
import { failureOutcome, type FailedOutcome } from './outcome';
import { SYSTEM_ONLY_STORE_IDS, type CertificateBundle } from '../stores/store';
import { thisMachineHwDescription } from './device-id';
import { flowPacing } from './flow-pacing';
import { invokeServiceUris } from './open-service-uri';
import { passwordChecks } from './password-checks';
import { openRcdpSession } from './rcdp-session';
import { PASSWORD_WARN_DAYS } from './password-expiry';
import { decideStoreTarget, type StoreTargetContext } from './store-target';
import { dnsResolveHost } from './service-uris';
import { credentialSecretKey, messageStore, pendingApprovals, rememberedUsers } from './state';

/**
 * Run one KeyTalk enrollment end to end: handshake, authentication, last messages, certificate, store, eoc.
 * Never throws: every ending is a FlowOutcome. A failed or cancelled flow writes no key or certificate
 * (stores are written only at the end, and a failing store rolls back the others).
 */
export async function runRcdpEnrollment(
  req: EnrollRequest,
  frontEnd: FlowFrontEnd,
  deps: EngineDeps,
  signal?: AbortSignal,
): Promise<EnrollOutcome> {
  const log = (deps.log ?? nullLogger).child({ provider: req.provider, service: req.service });
  const { step, wait } = flowPacing(frontEnd, { signal, sleep: deps.sleep, log });

  // The stores asked for, less the machine stores (those are chosen by store-to-system, below).
  const userStoreIds = req.storeIds?.filter((id) => !(SYSTEM_ONLY_STORE_IDS as readonly string[]).includes(id));
  let client: RcdpClient | undefined;
  try {
    // Stores, state folder and disk are checked before the server is asked: a local problem must not consume
    // an issued certificate.
    // (A machine-store target is checked when it is chosen, below, also before the server is asked.)
    const session = await openRcdpSession(deps, req, {
      signal,
      step,
      log,
      beforeConnect: () => preflightStores(deps, userStoreIds),
    });
    const { provider, version } = session;
    client = session.client;
    log.info('session', { rcdpVersion: version });
    step('handshake', `RCDP ${version}`);

    const computerName = (deps.computerName ?? os.hostname)();
    const credentials: Credentials = { ...(req.credentials ?? {}) };
    const secretKey = credentialSecretKey(req.provider, req.service);
    const saved = deps.secretStore && !req.credentials?.PASSWD ? await deps.secretStore.get(secretKey) : undefined;
    if (saved) Object.assign(credentials, JSON.parse(saved) as Credentials, req.credentials ?? {});
    const rememberLocked = await rememberForbidden();
    const auth: AuthResult = await authenticate({
      client,
      service: req.service,
      frontEnd,
      credentials,
      rememberedUserId: credentials.USERID ?? (await rememberedUsers.get(deps.home, req.provider, req.service)),
      unattended: !!req.unattended,
      canRemember: !!deps.secretStore && !rememberLocked,
      rememberProtection: secretStorageProtection(deps.secretStore),
      rememberLocked,
      computerName,
      retiredComputerName: retiredComputerName(req.previousCertPem),
      callerHwDescription: await (deps.callerHwDescription ?? thisMachineHwDescription)(computerName),
      hwsig: deps.hwsig,
      resolveHost: deps.resolveHost ?? dnsResolveHost,
      env: deps.env ?? process.env,
      mfa: deps.mfa,
      signal,
      kerberosTicket: deps.kerberosTicket,
      tpmKeys: deps.tpmKeys,
      seat: req.seat,
      decryptSeatChallenge: deps.decryptSeatChallenge,
      wait,
      step,
      maxAttempts: deps.maxAuthAttempts ?? 3,
      forgetRemembered: saved ? () => deps.secretStore!.delete(secretKey) : undefined,
    });
    log.info('authenticated', { method: auth.method, userId: auth.userId });
    const validity = auth.passwordValidity;
    if (validity !== undefined && validity >= 0 && validity < PASSWORD_WARN_DAYS * 86_400)
      step(
        'password-expires',
        coreText('step.password-expires', `your password expires in ${Math.floor(validity / 86_400)} day(s); change it soon`, {
          seconds: validity,
        }),
      );
    if (validity !== undefined) {
      // The newest word on this password, also for the banner after a voluntary change (password-checks.ts).
      const at = new Date().toISOString();
      await passwordChecks.record(deps.home, { provider: req.provider, service: req.service, userId: auth.userId, at, validity });
    }
    if (auth.userId) await rememberedUsers.set(deps.home, req.provider, req.service, auth.userId);
    // The core refuses under the policy whatever a front-end answered (a UI or script that ignored the lock).
    if (auth.remember && deps.secretStore && !rememberLocked) {
      const { OTP: _otp, ...keep } = auth.credentials;
      await deps.secretStore.set(credentialSecretKey(req.provider, req.service), JSON.stringify(keep));
    }

    step('last-messages');
    try {
      const since = await messageStore.latestUtc(deps.home, req.provider);
      const msgs = await client.lastMessages(since);
      await messageStore.add(deps.home, req.provider, msgs.messages);
    } catch (err) {
      // Messages are informational; a server that fails them must not block the certificate.
      if (!(err instanceof RcdpError) || err.code === 'tls') throw err;
      log.warn('last-messages failed', { error: (err as Error).message });
    }

    let certOptions: CertOptions | undefined = req.certOptions === 'ask' ? undefined : req.certOptions;
    if (req.certOptions === 'ask' && !req.unattended) {
      // What the service allows comes from the Public API's cn-customization-policy (3.2.8: asked with the USERID
      // of this sign-in, hence only now); an older server without it allows no customisation ("only honored if
      // allowed"). The form appears only when a name may be chosen: san-domains (2.8.3) has no policy of its own,
      // and an optional extra step in every enrollment would be noise, so SAN domains ride along with the name.
      const f = client.features;
      const policy = await publicApi(provider)
        .cnCustomizationPolicy({ service: req.service, user: auth.userId ?? '', computerName })
        .catch(() => undefined);
      const allowCommonName = policy === 'ALLOWED';
      const allowGivenNameSurname = policy === 'ALLOWED-AS-GIVENNAME_SURNAME' && f.givenNameSurname;
      if (allowCommonName || allowGivenNameSurname) {
        const answer = expectAnswer(
          await frontEnd.prompt({ kind: 'cert-options', allowCommonName, allowGivenNameSurname, allowSanDomains: f.sanDomains }),
          'cert-options',
        );
        certOptions = {
          commonName: allowCommonName ? answer.commonName : undefined,
          givenName: allowGivenNameSurname ? answer.givenName : undefined,
          surname: allowGivenNameSurname ? answer.surname : undefined,
          sanDomains: answer.sanDomains,
        };
      }
    }

    // should-cert-go-to-system-store before the certificate exists: a user who may not write the machine store
    // and declines the user store stops here, before the server issues a certificate nobody stores.
    const storeCtx: StoreTargetContext = {
      frontEnd,
      unattended: !!req.unattended,
      // A renewal of a machine-store certificate lists the system stores; the user's stores are the configured ones.
      userStores: () => selectStores(deps, userStoreIds),
      systemTarget: deps.systemStores,
      step,
    };
    const publicSystem = await publicApi(provider)
      .shouldCertGoToSystemStore(req.service)
      .catch(() => undefined);
    const early = publicSystem ? await decideStoreTarget(storeCtx, true) : undefined;

    const pendingBefore = (await pendingApprovals.list(deps.home)).find(
      (p) => p.provider === req.provider && p.service === req.service,
    );
    const format = req.format ?? pendingBefore?.format ?? 'P12v2';
    const csr = req.csr ?? pendingBefore?.csr ?? false;
    const result = await requestCertificate({
      client,
      frontEnd,
      format,
      csr,
      outOfBand: !!req.outOfBand,
      certOptions,
      defaultCommonName: auth.userId ?? computerName,
      tpm:
        auth.tpmVsc === 'yes' || auth.tpmVsc === 'yes-with-attestation'
          ? requireTpm(req.service, deps.tpmKeys, process.platform, auth.tpmVsc)
          : undefined,
      tpmAttestation: auth.tpmVsc === 'yes-with-attestation',
      unattended: !!req.unattended,
      pollIntervalSeconds: deps.pollIntervalSeconds ?? 5,
      maxPolls: deps.maxPolls ?? 60,
      wait,
      step,
    });

    if (result.kind === 'pending-approval') {
      const now = new Date().toISOString();
      await pendingApprovals.upsert(deps.home, {
        provider: req.provider,
        service: req.service,
        format,
        csr,
        userId: auth.userId,
        since: now,
        lastPolled: now,
        approvalOngoing: result.approvalOngoing,
      });
      log.info('pending approval', { approvalOngoing: result.approvalOngoing });
      return {
        status: 'pending-approval',
        provider: req.provider,
        service: req.service,
        approvalOngoing: result.approvalOngoing,
      };
    }

    step('store');
    const label = `${req.provider} ${req.service}`;
    const origin = { provider: req.provider, service: req.service };
    // Every store receives leaf + chain, also from a server whose reply lacks the intermediates.
    const chainPem = await completeChain(result.bundle.certPem, result.bundle.chainPem ?? [], {
      rccdCas: provider.cas ?? [],
      caApi: caApiFetcher(provider.server, provider.agent),
    });
    const bundle: CertificateBundle = { ...result.bundle, chainPem, label, origin };
    const wantSystem = result.extras.storeToSystem ?? publicSystem ?? false;
    const { stores, notice } = early && wantSystem ? early : await decideStoreTarget(storeCtx, wantSystem);
    if (notice) log.warn('store-to-system refused by policy', { error: notice.message });
    // Historical certificates are never renewed, so they need no record; stored first, their fingerprints go in it.
    const historicalFps: string[] = [];
    for (const h of result.historical) {
      try {
        const s = await stores[0]!.add({ ...h, label: `${label} (historical)`, origin, historical: true }, { replace: true });
        historicalFps.push(s.sha256Fingerprint);
      } catch (err) {
        log.warn('historical certificate not stored', { error: (err as Error).message });
      }
    }
    const info = describeCertificate(bundle.certPem);
    const tpmAttested = auth.tpmVsc && auth.tpmVsc !== 'no' ? await askTpmAttested(publicApi(provider), info, log) : undefined;
    const stored = await storeIssued(
      deps.home,
      {
        sha256Fingerprint: info.sha256Fingerprint,
        provider: req.provider,
        service: req.service,
        format: csr ? undefined : format,
        csr,
        userId: auth.userId,
        subject: info.subject,
        notBefore: info.notBefore,
        notAfter: info.notAfter,
        issuedAt: new Date().toISOString(),
        stores: stores.map((s) => s.id),
        credentialsRemembered: auth.remember,
        auth: auth.kind,
        ...(auth.userId && auth.computerName && client.features.seatAuthentication
          ? { seat: { userId: auth.userId, computerName: auth.computerName } }
          : {}),
        extras: {
          ...result.extras,
          ...(historicalFps.length ? { historicalCertFingerprints: historicalFps } : {}),
          ...(auth.passwordValidity !== undefined ? { passwordValidity: auth.passwordValidity } : {}),
        },
        rcdpVersion: client.version,
        ...(tpmAttested !== undefined ? { tpmAttested } : {}),
        ...(req.replaces ? { replaces: req.replaces.toUpperCase() } : {}),
      },
      stores,
      bundle,
    );
    if (pendingBefore) await pendingApprovals.remove(deps.home, req.provider, req.service);
    if (deps.afterIssued) {
      step('after-issue', coreText('step.after-issue', 'mail clients, shared mailboxes, certificate scraping'));
      await deps
        .afterIssued({
          client,
          provider: req.provider,
          service: req.service,
          format: csr ? 'PEM' : format,
          outOfBand: !!req.outOfBand,
          bundle,
          historical: result.historical.map((h) => ({ ...h, label: `${label} (historical)`, origin, historical: true })),
          extras: result.extras,
          stores,
          log,
        })
        .catch((err: Error) => log.warn('post-issue work failed', { error: err.message }));
    }
    // The service's URIs, as the cert reply's execute-sync says; not for unattended renewals (nobody asked for a
    // browser window or a program to start), and not when the user's setting turns it off.
    if (auth.serviceUris?.length && deps.openServiceUri && !req.unattended && ((await deps.serviceUrisEnabled?.()) ?? true)) {
      const sync = result.extras.executeSync;
      step(
        'service-uris',
        coreText(sync ? 'step.synchronously' : 'step.asynchronously', sync ? 'synchronously' : 'asynchronously'),
      );
      await invokeServiceUris(auth.serviceUris, !!result.extras.executeSync, deps.openServiceUri, (m) =>
        log.warn('service URI not opened', { error: m }),
      );
    }
    log.info('issued', { serialNumber: info.serialNumber, notAfter: info.notAfter, stores: stored.map((s) => s.storeId) });
    return {
      status: 'issued',
      provider: req.provider,
      service: req.service,
      subject: info.subject,
      serialNumber: info.serialNumber,
      notBefore: info.notBefore,
      notAfter: info.notAfter,
      sha256Fingerprint: info.sha256Fingerprint,
      stores: stored.map((s) => s.storeId),
      ...(notice ? { notice } : {}),
    };
  } catch (err) {
    const outcome = failureOutcome(err, signal, rcdpFailure);
    log.warn('enrollment failed', { code: outcome.code, error: outcome.message });
    return outcome;
  } finally {
    await client?.eoc();
  }
}

function retiredComputerName(previousCertPem?: string): string | undefined {
  if (!previousCertPem) return undefined;
  try {
    const info = describeCertificate(previousCertPem);
    const cn = info.commonName;
    return cn && info.dnsNames.some((d) => d.toLowerCase() === cn.toLowerCase()) ? cn : undefined;
  } catch {
    return undefined;
  }
}

const RCDP_CODES: Record<string, FailureCode> = {
  network: 'network',
  tls: 'tls',
  protocol: 'protocol',
  'server-error': 'server-error',
  'incompatible-version': 'incompatible-version',
  'time-out-of-sync': 'time-out-of-sync',
};

/** RCDP's errors as FlowOutcome codes; 1005 is the server's "authentication failed". */
export function rcdpFailure(err: unknown): FailedOutcome | undefined {
  if (err instanceof RcdpServerError && err.serverCode === 1005)
    return { status: 'failed', code: 'auth-failed', message: err.message };
  if (err instanceof RcdpError) return { status: 'failed', code: RCDP_CODES[err.code] ?? 'server-error', message: err.message };
  return undefined;
}

/** The provider's Public API over the same TLS trust as its RCDP session. */
function publicApi(provider: ProviderConnection): PublicApiClient {
  return new PublicApiClient({ baseUrl: `https://${provider.server}`, agent: provider.agent as https.Agent, timeoutMs: 15_000 });
}
