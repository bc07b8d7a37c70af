import { X509Certificate } from 'node:crypto';
import { isBusyStatus, parseRetryAfter, retryAfterText } from '../system/retry-after';
import { rememberForbidden, secretStorageProtection } from '../engine/remember-gate';
import { certMatchesKey, describeCertificate } from '../crypto/cert-info';
import { buildCsr } from '../crypto/csr';
import { generateRsaKeyPair, type KeyPairPem } from '../crypto/keys';
import { splitPemBlocks } from '../crypto/pem';
import { expectAnswer, FlowFailure, type FlowFrontEnd } from '../engine/front-end';
import type { FlowOutcome } from '../model/flow-types';
import { coreText, withText, type CoreText, type CoreTextCode, type CoreTextValue } from '../model/core-text';
import { storeIssued } from '../engine/issued-stores';
import { renewalDecision, type RenewalDecision } from '../scheduler/renewal-rule';
import type { CertificateStore, StoredCertificate } from '../stores/store';
import type { SecretStore } from '../system/secret-store';
import { ChainError, verifyChain } from './chain';
import { onlineCaFetch, type OnlineCaReply } from './http';
import { loadOnlineCaProvider, ONLINECA_SERVICE, saveOnlineCaProvider, type OnlineCaProviderRecord } from './provider';
import { bootstrapTrust, readTrustRootPems } from './trust-bootstrap';

/**
 * Get a certificate from an Online CA: key generated here (Node crypto), CSR, POST as the certificate_request form
 * field with HTTP Basic auth, then check the reply before anything is stored: it must be a certificate for our key,
 * for the user name we authenticated as (the service puts it in the CN), chaining to the stored trust roots.
 */

export interface OnlineCaCredentials {
  username: string;
  password: string;
}

export interface EnrollOnlineCaOptions {
  home: string;
  name: string;
  frontEnd: FlowFrontEnd;
  /** Where the certificate goes (at least one). */
  stores: CertificateStore[];
  /** Given credentials are used once and never re-prompted (CLI flags, tests). */
  credentials?: OnlineCaCredentials;
  /** Remembered passwords for unattended renewal (only if the user ticks "remember"). */
  secretStore?: SecretStore;
  keyBits?: number;
  /**
   * A key generated ahead (a key pool, or one key reused across a test file). It must be fresh: one certificate
   * per key. Without it a new RSA key of keyBits is generated.
   */
  keyPair?: KeyPairPem;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Wrong-password attempts before giving up (interactive only). */
  maxAttempts?: number;
  now?: () => number;
}

export interface OnlineCaEnrollResult {
  outcome: Extract<FlowOutcome, { status: 'issued' }>;
  certPem: string;
  /** Issuer first, up to the trust root. */
  chainPem: string[];
  stored: StoredCertificate[];
  renewal: RenewalDecision;
}

const MAX_CERT_REPLY = 256 * 1024;

export const secretKeyFor = (provider: string, username: string): string => `onlineca/${provider}/${username}`;

/** The realm from `WWW-Authenticate: Basic realm="…"`, if the server sent one. */
export function parseBasicRealm(header: string | string[] | undefined): string | undefined {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  for (const v of values) {
    const m = /^\s*Basic\b(?:.*?\brealm\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+)))?/i.exec(v);
    if (m) return (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1');
  }
  return undefined;
}

function basicAuth(c: OnlineCaCredentials): string {
  if (c.username.includes(':'))
    throw withText(
      new FlowFailure('bad-input', `User name "${c.username}" contains ":", which HTTP Basic authentication cannot carry`),
      'onlineca.username-colon',
      { user: c.username },
    );
  return `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;
}

function serverText(reply: OnlineCaReply): string {
  const t = said(reply);
  return t ? `: "${t}"` : '';
}

/** The Online CA's own words in a reply body (one line, at most 200 characters). */
const said = (reply: OnlineCaReply): string => reply.body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);

/**
 * A refusal coded for the UI's languages; with the CA's own words in the reply, these come after it framed as the
 * CA's (they cannot be translated).
 */
function refusal(
  err: FlowFailure,
  code: CoreTextCode,
  params: Record<string, CoreTextValue>,
  reply?: OnlineCaReply,
): FlowFailure {
  const text = reply ? said(reply) : '';
  if (!text) return withText(err, code, params);
  return withText(err, 'onlineca.server-says', { problem: coreText(code, err.message, params), text });
}

/** Check the reply is our certificate and chains to the trust roots; returns the leaf and the verified chain. */
export function checkIssuedCertificate(
  body: string,
  keyPem: string,
  username: string,
  trustRootPems: string[],
  now: number,
): { certPem: string; chainPem: string[] } {
  const blocks = splitPemBlocks(body, 'CERTIFICATE');
  if (blocks.length === 0)
    throw withText(
      new FlowFailure('protocol', 'The Online CA answered 200 but sent no PEM certificate; nothing was stored'),
      'onlineca.bad-certificate',
    );
  const [leafPem, ...extra] = blocks as [string, ...string[]];
  try {
    new X509Certificate(leafPem);
  } catch (err) {
    throw withText(
      new FlowFailure('protocol', `The Online CA sent a malformed certificate (${(err as Error).message}); nothing was stored`),
      'onlineca.bad-certificate',
    );
  }
  if (!certMatchesKey(leafPem, keyPem)) {
    throw withText(
      new FlowFailure(
        'protocol',
        'The Online CA returned a certificate for a different public key than the one we sent; refused, nothing was stored',
      ),
      'onlineca.bad-certificate',
    );
  }
  let path: X509Certificate[];
  try {
    path = verifyChain(leafPem, trustRootPems, extra, now);
  } catch (err) {
    if (err instanceof ChainError) {
      throw withText(
        new FlowFailure(
          'tls',
          `The certificate from the Online CA does not chain to its trust roots (${err.message}); refused, nothing was stored`,
          { cause: err },
        ),
        'onlineca.not-chained',
      );
    }
    throw err;
  }
  const cn = describeCertificate(leafPem).commonName;
  if (cn !== username) {
    throw withText(
      new FlowFailure(
        'protocol',
        `The Online CA issued a certificate for CN "${cn ?? ''}" although we authenticated as "${username}"; refused`,
      ),
      'onlineca.bad-certificate',
    );
  }
  return { certPem: leafPem, chainPem: path.slice(1).map((x) => x.toString()) };
}

export function onlineCaRenewalDecision(
  record: Pick<OnlineCaProviderRecord, 'renewPercent'>,
  cert: { notBefore: string; notAfter: string },
): RenewalDecision {
  return renewalDecision({ notBefore: cert.notBefore, notAfter: cert.notAfter, certValidPercent: record.renewPercent });
}

export async function enrollOnlineCa(opts: EnrollOnlineCaOptions): Promise<OnlineCaEnrollResult> {
  const now = opts.now ?? Date.now;
  if (opts.stores.length === 0)
    throw withText(
      new FlowFailure('bad-input', 'No certificate store selected; enable at least one store in the settings'),
      'store.none-selected',
    );
  let record = await loadOnlineCaProvider(opts.home, opts.name);
  if (!record.trust) {
    await bootstrapTrust(opts.home, opts.name, { frontEnd: opts.frontEnd, now: now(), timeoutMs: opts.timeoutMs });
    record = await loadOnlineCaProvider(opts.home, opts.name);
  }
  const caPems = await readTrustRootPems(opts.home, opts.name);
  const host = new URL(record.certificateUrl).host;
  const post = (headers: Record<string, string>, body: string): Promise<OnlineCaReply> =>
    onlineCaFetch(record.certificateUrl, {
      method: 'POST',
      trust: { mode: 'verified', caPems },
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/x-pem-file, text/plain', ...headers },
      body,
      maxBytes: MAX_CERT_REPLY,
      timeoutMs: opts.timeoutMs,
    });

  // Learn the realm from the server's challenge before asking the user, so the prompt names what the password is for.
  const contacting = coreText('step.contacting', `contacting ${host}`, { host });
  opts.frontEnd.progress({ kind: 'step', step: 'authenticate', detail: contacting.message, detailText: contacting });
  const probe = await post({}, 'certificate_request=');
  const realm = probe.status === 401 ? parseBasicRealm(probe.headers['www-authenticate']) : undefined;
  const realmText = realm ? `realm "${realm}"` : host;

  let credentials = opts.credentials;
  let remember = false;
  const rememberLocked = await rememberForbidden();
  let fromSecretStore = false;
  if (!credentials && record.username && opts.secretStore) {
    const saved = await opts.secretStore.get(secretKeyFor(record.name, record.username));
    if (saved !== undefined) {
      credentials = { username: record.username, password: saved };
      fromSecretStore = true;
    }
  }

  const keyPair = opts.keyPair ?? (await generateRsaKeyPair(opts.keyBits ?? 2048));
  const maxAttempts = opts.credentials ? 1 : (opts.maxAttempts ?? 3);
  let lastError: CoreText | undefined;
  for (let attempt = 1; ; attempt++) {
    if (!credentials) {
      const answer = expectAnswer(
        await opts.frontEnd.prompt({
          kind: 'credentials',
          fields: [
            {
              name: 'USERID',
              label: `User name for ${realmText}`,
              realm: realm ?? host,
              secret: false,
              ...(record.username ? { value: record.username } : {}),
            },
            { name: 'PASSWD', label: `Password for ${realmText}`, realm: realm ?? host, secret: true },
          ],
          offerRemember: opts.secretStore !== undefined && !rememberLocked,
          rememberProtection: secretStorageProtection(opts.secretStore),
          ...(rememberLocked ? { rememberLocked: true } : {}),
          ...(lastError ? { error: lastError.message, errorText: lastError } : {}),
        }),
        'credentials',
      );
      const username = answer.values.USERID?.trim() ?? '';
      if (!username)
        throw withText(new FlowFailure('bad-input', 'A user name is required for the Online CA'), 'onlineca.username-required');
      credentials = { username, password: answer.values.PASSWD ?? '' };
      remember = answer.remember;
    }
    const csr = buildCsr({ privateKeyPem: keyPair.privateKeyPem, subject: { cn: credentials.username } });
    const sending = coreText('step.sending-request', `sending the certificate request to ${host}`, { host });
    opts.frontEnd.progress({ kind: 'step', step: 'request-certificate', detail: sending.message, detailText: sending });
    const reply = await post(
      { Authorization: basicAuth(credentials) },
      new URLSearchParams({ certificate_request: csr }).toString(),
    );

    if (reply.status === 401) {
      if (fromSecretStore) await opts.secretStore?.delete(secretKeyFor(record.name, credentials.username));
      const values = { user: credentials.username, realm: realm ?? host };
      lastError = coreText(
        'onlineca.rejected',
        `The Online CA refused user "${credentials.username}" (HTTP 401): wrong user name or password for ${realmText}`,
        values,
      );
      if (attempt >= maxAttempts)
        throw withText(
          new FlowFailure('auth-failed', `${lastError.message}. Check the user name and password and try again.`),
          'onlineca.rejected-final',
          values,
        );
      credentials = undefined;
      fromSecretStore = false;
      continue;
    }
    if (reply.status === 405) {
      throw refusal(
        new FlowFailure(
          'protocol',
          `The Online CA could not process our certificate request (HTTP 405)${serverText(reply)}. The request format is not what this server expects; report it with the agent log.`,
        ),
        'onlineca.not-processed',
        { host },
        reply,
      );
    }
    if (isBusyStatus(reply.status)) {
      const wait = parseRetryAfter(reply.headers['retry-after']);
      throw refusal(
        new FlowFailure(
          'server-error',
          `The Online CA at ${host} is busy (HTTP ${reply.status})${serverText(reply)}${retryAfterText(wait) || '; try again later'}`,
          { retryAfterMs: wait },
        ),
        'onlineca.busy',
        { host },
        reply,
      );
    }
    if (reply.status === 500) {
      throw refusal(
        new FlowFailure(
          'server-error',
          `The Online CA at ${host} had a server error (HTTP 500)${serverText(reply)}; try again later, and tell its operator if it persists.`,
        ),
        'onlineca.server-error',
        { host },
        reply,
      );
    }
    if (reply.status !== 200) {
      throw refusal(
        new FlowFailure(
          'protocol',
          `The Online CA at ${host} answered HTTP ${reply.status}${serverText(reply)}; the service specifies only 200, 401, 405 and 500`,
        ),
        'onlineca.unexpected-status',
        { host, status: reply.status },
        reply,
      );
    }

    const checked = checkIssuedCertificate(
      reply.body.toString('utf8'),
      keyPair.privateKeyPem,
      credentials.username,
      caPems,
      now(),
    );
    const info = describeCertificate(checked.certPem);
    // The engine's enrollment record is what the scheduler watches: without it an Online CA certificate is
    // never renewed unattended. No userId: that would start KeyTalk keep-alives for it. Written before the stores
    // (storeIssued, as the KeyTalk path does), so a kill or a failed state write can never leave a certificate
    // and key that nothing renews; a store failure takes the record and the earlier stores' copies out again.
    const stored = await storeIssued(
      opts.home,
      {
        sha256Fingerprint: info.sha256Fingerprint,
        provider: record.name,
        service: ONLINECA_SERVICE,
        csr: false,
        subject: info.subject,
        notBefore: info.notBefore,
        notAfter: info.notAfter,
        issuedAt: new Date(now()).toISOString(),
        stores: opts.stores.map((s) => s.id),
        credentialsRemembered: remember || fromSecretStore,
        extras: {},
        rcdpVersion: 'none',
        providerKind: 'onlineca',
      },
      opts.stores,
      {
        certPem: checked.certPem,
        keyPem: keyPair.privateKeyPem,
        chainPem: checked.chainPem,
        label: `${credentials.username} (${record.name})`,
        origin: { provider: record.name, service: ONLINECA_SERVICE },
      },
    );
    // The core refuses under the policy whatever a front-end answered.
    if (remember && opts.secretStore && !rememberLocked)
      await opts.secretStore.set(secretKeyFor(record.name, credentials.username), credentials.password);
    await saveOnlineCaProvider(opts.home, {
      ...(await loadOnlineCaProvider(opts.home, opts.name)),
      username: credentials.username,
    });
    return {
      outcome: {
        status: 'issued',
        provider: record.name,
        service: ONLINECA_SERVICE,
        subject: info.subject,
        serialNumber: info.serialNumber,
        notBefore: info.notBefore,
        notAfter: info.notAfter,
        sha256Fingerprint: info.sha256Fingerprint,
        stores: opts.stores.map((s) => s.id),
      },
      certPem: checked.certPem,
      chainPem: checked.chainPem,
      stored,
      renewal: onlineCaRenewalDecision(record, info),
    };
  }
}
