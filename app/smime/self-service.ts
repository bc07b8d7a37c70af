import https from 'node:https';
import { z } from 'zod';
import { describeCertificate } from '../crypto/cert-info';
import { coreText, textOf, withText, type CoreText, type CoreTextCode } from '../model/core-text';
import { PublicApiError, type PublicApiClient } from '../public-api/client';
import { checkKeytalkServerIdentity } from '../tls/provider-agent';
import { isRecipientEmail, isRecipientMobile, normalizeMobile } from '../model/recipients';

/**
 * Self-Service API 1.1.1 (spec section 5): a self-service user enrolls (or orders) S/MIME certificates for
 * external recipients. The Public API's smime-cert-enrollment-availability is asked first because its
 * `reason` says why enrollment is impossible, which the Self-Service API's own errors do not; then
 * POST /ssapi/1.1.1/smime-cert-enrollment over mutual TLS with the user's KeyTalk certificate and key.
 */
export interface Recipient {
  email: string;
  mobile?: string;
}

/** Self-Service API versions (spec 5.1), newest first. */
export const SSAPI_VERSIONS = ['1.1.1', '1.1.0', '1.0.0'] as const;

export interface InviteOptions {
  publicApi: Pick<PublicApiClient, 'smimeCertEnrollmentAvailability'>;
  /** https://<keytalk server>:3000 (the document's port); tests give the simulator's ssapiUrl. */
  ssapiBaseUrl: string;
  /** The user's certificate and key (PEM) for the TLS client authentication, with its chain. */
  client: { certPem: string; keyPem: string; chainPem?: string[] };
  /** CAs trusted for the server's TLS certificate (the provider's RCCD CAs). */
  trustedCas: string[];
  recipients: Recipient[];
  /** false: place orders with the CA (GlobalSign PersonalSign services) instead of issuing now. */
  synchronous?: boolean;
  /** Host name used in the download links mailed to recipients. */
  svrHostName?: string;
  apiVersion?: '1.0.0' | '1.1.0' | '1.1.1';
  timeoutMs?: number;
}

const AddressBook = z.looseObject({
  'ldap-svr-url': z.string(),
  'search-base': z.string().optional(),
  'verification-ca': z.string().optional(),
});
const Failed = z.looseObject({ email: z.string(), error: z.string().optional() });
const SyncReply = z.looseObject({
  status: z.literal('smime-cert-enrollment'),
  'enrolled-recipients': z.array(z.string()),
  'failed-recipients': z.array(Failed).optional(),
  'skipped-recipients': z.array(z.string()).optional(),
  'apply-address-books': z.boolean().optional(),
  'address-books': z.array(AddressBook).optional(),
});
const AsyncReply = z.looseObject({
  status: z.literal('smime-cert-enrollment'),
  'placed-orders': z.array(z.looseObject({ email: z.string(), order_id: z.string() })),
  'failed-orders': z.array(Failed).optional(),
  'skipped-orders': z.array(z.string()).optional(),
  'apply-address-books': z.boolean().optional(),
  'address-books': z.array(AddressBook).optional(),
});

export interface InviteResult {
  synchronous: boolean;
  /** Recipients who got a certificate (sync) or for whom an order was placed (async). */
  succeeded: { email: string; orderId?: string }[];
  /** `error` only when the server gave a reason (the UI and CLI say just "failed" without one). */
  failed: { email: string; error?: string }[];
  /** Not attempted because an earlier recipient failed (the server stops at the first failure). */
  skipped: string[];
  addressBooks: { url: string; searchBase?: string; verificationCa?: string }[];
}

export class SelfServiceError extends Error {
  constructor(
    message: string,
    readonly kind: 'unavailable' | 'bad-input' | 'server' | 'network',
  ) {
    super(message);
    this.name = 'SelfServiceError';
  }
}

export function validateRecipients(recipients: Recipient[]): Recipient[] {
  if (!recipients.length)
    throw withText(
      new SelfServiceError('give at least one recipient: --email name@example.com', 'bad-input'),
      'smime.no-recipients',
    );
  return recipients.map((r) => {
    const email = r.email.trim();
    if (!isRecipientEmail(email)) throw new SelfServiceError(`"${r.email}" is not an e-mail address`, 'bad-input');
    const mobile = r.mobile === undefined ? undefined : normalizeMobile(r.mobile);
    if (mobile !== undefined && !isRecipientMobile(mobile))
      throw new SelfServiceError(`"${r.mobile}" is not a mobile number; use international format like +31612345678`, 'bad-input');
    return mobile ? { email, mobile } : { email };
  });
}

/** Words for the server's availability `reason`, with what the user can do about it. */
export function explainUnavailable(reason: string | undefined, synchronous: boolean): string {
  return explainUnavailableText(reason, synchronous).message;
}

/**
 * The same coded for the UI's languages: what the user can do (the server's own reason is shown beside it, framed
 * as the server's), or only that it is not available when the reason says nothing known.
 */
export function explainUnavailableText(reason: string | undefined, synchronous: boolean): CoreText {
  const r = (reason ?? '').trim();
  const hints: [RegExp, CoreTextCode, string][] = [
    [
      /self.?service/i,
      'smime.not-enabled',
      'your KeyTalk account is not enabled for self-service; ask your KeyTalk administrator to enable it',
    ],
    [
      /not.*s\/?mime|s\/?mime.*not/i,
      'smime.not-smime',
      'the certificate used is not an S/MIME certificate; enroll for your S/MIME service first',
    ],
    [/revoked|expired/i, 'smime.cert-invalid', 'your certificate is no longer valid; renew it, then try again'],
    [/smtp/i, 'smime.no-smtp', 'the KeyTalk server cannot send e-mail (SMTP not configured); ask your KeyTalk administrator'],
    [
      /order|async|globalsign|personalsign/i,
      'smime.orders-personalsign',
      'orders (--async) are only possible for services bound to GlobalSign PersonalSign; try without --async',
    ],
    [/licen/i, 'smime.licence', 'the KeyTalk licence does not allow more certificates; ask your KeyTalk administrator'],
  ];
  const hint = hints.find(([re]) => re.test(r));
  const what = synchronous ? 'S/MIME enrollment for external recipients' : 'placing S/MIME certificate orders';
  const message = `${what} is not available for you${r ? `: the server says "${r}"` : ''}${hint ? ` — ${hint[2]}` : ''}`;
  return coreText(hint?.[1] ?? (synchronous ? 'smime.unavailable' : 'smime.orders-unavailable'), message);
}

export type SmimeAvailability =
  | { available: true; mobileRequired: boolean }
  | { available: false; reason?: string; explanation: string; explanationText: CoreText };

/**
 * Public API smime-cert-enrollment-availability for the user's certificate. An unavailable answer (or a
 * server error naming the problem) comes back with `explanation` (explainUnavailable); only a failure to
 * ask at all throws.
 */
export async function checkSmimeEnrollmentAvailability(
  publicApi: Pick<PublicApiClient, 'smimeCertEnrollmentAvailability'>,
  certPem: string,
  synchronous: boolean,
): Promise<SmimeAvailability> {
  try {
    const a = await publicApi.smimeCertEnrollmentAvailability(certPem, synchronous);
    if (a.available) return a;
    const text = explainUnavailableText(a.reason, synchronous);
    return { available: false, reason: a.reason, explanation: text.message, explanationText: text };
  } catch (err) {
    if (err instanceof PublicApiError && err.kind === 'server-error') {
      const reason = err.serverError ?? err.message;
      const text = explainUnavailableText(reason, synchronous);
      return { available: false, reason, explanation: text.message, explanationText: text };
    }
    const why = textOf(err) ?? (err as Error).message;
    throw withText(
      new SelfServiceError(`cannot check whether S/MIME enrollment is available: ${(err as Error).message}`, 'network'),
      'smime.cannot-check',
      { reason: why },
    );
  }
}

export async function inviteSmimeRecipients(o: InviteOptions): Promise<InviteResult> {
  const recipients = validateRecipients(o.recipients);
  const synchronous = o.synchronous ?? true;
  const info = describeCertificate(o.client.certPem);
  if (!info.emails.length)
    throw withText(
      new SelfServiceError(
        `your certificate "${info.subject}" has no e-mail address, so it cannot identify a self-service S/MIME user; use your S/MIME certificate`,
        'bad-input',
      ),
      'smime.no-email',
    );
  if (Date.parse(info.notAfter) < Date.now())
    throw withText(
      new SelfServiceError(`your certificate expired on ${info.notAfter}; renew it first`, 'bad-input'),
      'smime.expired',
      {
        at: info.notAfter,
      },
    );

  const avail = await checkSmimeEnrollmentAvailability(o.publicApi, o.client.certPem, synchronous);
  if (!avail.available)
    throw withText(new SelfServiceError(avail.explanation, 'unavailable'), avail.explanationText.code as CoreTextCode);
  const missing = recipients.filter((r) => !r.mobile).map((r) => r.email);
  if (avail.mobileRequired && missing.length) {
    throw withText(
      new SelfServiceError(
        `the server requires a mobile number for every recipient (the certificate password goes by SMS); add --mobile for ${missing.join(', ')}`,
        'bad-input',
      ),
      'smime.mobile-required',
      { emails: missing.join(', ') },
    );
  }

  // Newest path first; an older server refuses it with 404 and is asked on the next older version (5.1).
  // 1.0.0 has no synchronous flag (it always enrolls now), so an order (synchronous: false) cannot go there.
  const versions = o.apiVersion ? [o.apiVersion] : SSAPI_VERSIONS.filter((v) => synchronous || v !== '1.0.0');
  let status = 404;
  let body = '';
  for (const version of versions) {
    const form = new URLSearchParams({ recipients: JSON.stringify(recipients) });
    if (version !== '1.0.0') form.set('synchronous', String(synchronous));
    if (o.svrHostName) form.set('svr-host-name', o.svrHostName);
    const url = new URL(`/ssapi/${version}/smime-cert-enrollment`, o.ssapiBaseUrl);
    ({ status, body } = await postMtls(url, form.toString(), o));
    if (status !== 404) break;
  }
  if (status === 404 && !synchronous && !o.apiVersion)
    throw new SelfServiceError(
      'the server refused Self-Service API 1.1.1 and 1.1.0 (HTTP 404); an older server offers only 1.0.0, which cannot place orders (synchronous: false): enroll the recipients now instead',
      'unavailable',
    );
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new SelfServiceError(`the Self-Service API answered HTTP ${status} with something that is not JSON`, 'server');
  }
  if (status !== 200) {
    const msg = (json as { error?: string }).error;
    const why =
      status === 401 || status === 403
        ? ' — your certificate was not accepted as a self-service user; renew it or ask your administrator'
        : status === 400
          ? ' — check the recipients and mobile numbers'
          : '';
    const err = new SelfServiceError(`S/MIME enrollment refused (HTTP ${status})${msg ? `: ${msg}` : ''}${why}`, 'server');
    // What the user can do is coded for the window; another status stays the server's English.
    if (status === 401 || status === 403) throw withText(err, 'smime.not-accepted');
    if (status === 400) throw withText(err, 'smime.recipients-refused');
    throw err;
  }
  const books = (b?: z.infer<typeof AddressBook>[]) =>
    (b ?? []).map((x) => ({ url: x['ldap-svr-url'], searchBase: x['search-base'], verificationCa: x['verification-ca'] }));
  if (synchronous) {
    const r = SyncReply.safeParse(json);
    if (!r.success) throw new SelfServiceError(`unexpected Self-Service API reply: ${r.error.issues[0]?.message}`, 'server');
    return {
      synchronous,
      succeeded: r.data['enrolled-recipients'].map((email) => ({ email })),
      failed: (r.data['failed-recipients'] ?? []).map((f) => ({ email: f.email, ...(f.error ? { error: f.error } : {}) })),
      skipped: r.data['skipped-recipients'] ?? [],
      addressBooks: r.data['apply-address-books'] ? books(r.data['address-books']) : [],
    };
  }
  const r = AsyncReply.safeParse(json);
  if (!r.success) throw new SelfServiceError(`unexpected Self-Service API reply: ${r.error.issues[0]?.message}`, 'server');
  return {
    synchronous,
    succeeded: r.data['placed-orders'].map((p) => ({ email: p.email, orderId: p.order_id })),
    failed: (r.data['failed-orders'] ?? []).map((f) => ({ email: f.email, ...(f.error ? { error: f.error } : {}) })),
    skipped: r.data['skipped-orders'] ?? [],
    addressBooks: r.data['apply-address-books'] ? books(r.data['address-books']) : [],
  };
}

function postMtls(url: URL, body: string, o: InviteOptions): Promise<{ status: number; body: string }> {
  if (url.protocol !== 'https:')
    throw new SelfServiceError(`the Self-Service API URL must be https:// (got ${url.href})`, 'bad-input');
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
        cert: [o.client.certPem, ...(o.client.chainPem ?? [])].join('\n'),
        key: o.client.keyPem,
        ca: o.trustedCas,
        // The trusted CA is the provider's SCA, an intermediate: it is the anchor (see app/tls/provider-agent.ts).
        allowPartialTrustChain: true,
        checkServerIdentity: checkKeytalkServerIdentity,
        rejectUnauthorized: true,
        timeout: o.timeoutMs ?? 60_000,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > 1024 * 1024) req.destroy(new Error('reply larger than 1 MB'));
          else chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', (err) =>
      reject(new SelfServiceError(`cannot reach the Self-Service API at ${url.origin}: ${err.message}`, 'network')),
    );
    req.end(body);
  });
}
