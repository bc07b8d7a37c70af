import http from 'node:http';
import https from 'node:https';
import type * as z from 'zod/mini';
import { PublicApiError } from './errors';
import { parseIntervalSeconds } from './interval';
import { parseJsonReply, parseReply, replyError } from './reply';
import {
  AddressBookListReply,
  ApproverEmailsReply,
  CnPolicyReply,
  DisclaimerReply,
  ExpirationMarginReply,
  HealthReply,
  IAmAliveReply,
  KeepAliveIntervalReply,
  PopupTemplateReply,
  SeatTemplatesReply,
  SelfServiceAvailabilityReply,
  SmimeEnrollmentAvailabilityReply,
  SystemStoreReply,
  VersionReply,
  type CnPolicy,
} from './schemas';
import { PublicApiTransport, type PublicApiRequest } from './transport';

/**
 * Typed client for the KeyTalk Public API 1.6.x (spec section 3): unauthenticated queries the agent makes to a
 * provider's server. The HTTPS trust is whatever `agent` carries: the agent passes the PKI module's
 * provider agent, which trusts only the RCCD's CAs, so this module never decides trust itself.
 */
export { PublicApiError };
export { PUBLIC_API_FALLBACK_VERSIONS } from './transport';

export interface PublicApiClientOptions {
  /** e.g. "https://keytalk.example.com" or "https://127.0.0.1:8443" (tests). */
  baseUrl: string;
  /** TLS trust for this provider (see app/tls). Without it Node's default CA list applies. */
  agent?: https.Agent | http.Agent;
  /** Pin a Public API version ("1.6.9"); default: the server's latest (no version in the path). */
  apiVersion?: string;
  /** Total deadline per request, reply included (default 30 s); a hung or dripping server must not stall the scheduler. */
  timeoutMs?: number;
  /** TCP + TLS set-up limit per request (default 10 s). */
  connectTimeoutMs?: number;
  /** Largest reply accepted (RCCD downloads are the big ones). */
  maxReplyBytes?: number;
  /** Ends every request of this client at once (the scheduler stopping on SIGTERM). */
  signal?: AbortSignal;
}

export interface CertIdentity {
  service: string;
  user: string;
  computerName: string;
}

export interface Disclaimer {
  name: string;
  /** Base64 zip of mail-client signature files, as the server sent it. */
  zipBase64: string;
  checkIntervalMinutes: number;
}

export interface AddressBook {
  ldapServerUrl: string;
  searchBase: string;
  verificationCa?: string;
}

export class PublicApiClient {
  private readonly transport: PublicApiTransport;

  constructor(options: PublicApiClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new Error(`Public API base URL "${options.baseUrl}" is not a URL; use e.g. https://keytalk.example.com`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(`Public API base URL "${options.baseUrl}" must start with https:// (or http://)`);
    }
    this.transport = new PublicApiTransport(url, {
      agent: options.agent,
      apiVersion: options.apiVersion,
      timeoutMs: options.timeoutMs ?? 30_000,
      connectTimeoutMs: options.connectTimeoutMs,
      maxReplyBytes: options.maxReplyBytes ?? 20 * 1024 * 1024,
      signal: options.signal,
    });
  }

  /** 3.2.1 */
  async selfServiceAvailability(certPem: string): Promise<boolean> {
    const r = await this.json('self-service-availability', SelfServiceAvailabilityReply, {
      method: 'POST',
      form: { cert: certPem },
    });
    return r.available;
  }

  /** 3.2.2 */
  async addressBookList(service: string): Promise<{ applyAddressBooks: boolean; addressBooks: AddressBook[] }> {
    const r = await this.json('address-book-list', AddressBookListReply, { query: { service } });
    const books = r['address-books'] === '' ? [] : r['address-books'];
    return {
      applyAddressBooks: r['apply-address-books'],
      addressBooks: books.map((b) => ({
        ldapServerUrl: b.ldap_svr_url,
        searchBase: b.search_base,
        verificationCa: b.verification_ca,
      })),
    };
  }

  /** 3.2.3 */
  async smimeCertEnrollmentAvailability(
    certPem: string,
    synchronous = true,
  ): Promise<{ available: true; mobileRequired: boolean } | { available: false; reason?: string }> {
    const r = await this.json('smime-cert-enrollment-availability', SmimeEnrollmentAvailabilityReply, {
      method: 'POST',
      form: { cert: certPem, synchronous: String(synchronous) },
    });
    return r.available
      ? { available: true, mobileRequired: r['mobile-required'] ?? false }
      : { available: false, reason: r.reason };
  }

  /** 3.2.4 */
  async shouldCertGoToSystemStore(service: string): Promise<boolean> {
    return (await this.json('should-cert-go-to-system-store', SystemStoreReply, { query: { service } }))['system-store'];
  }

  /** 3.2.5: undefined when the service sets no disclaimer. */
  async disclaimerForSmimeCertEmail(service: string, email: string): Promise<Disclaimer | undefined> {
    const r = await this.json('set-disclaimer-for-smime-cert-email', DisclaimerReply, { query: { service, email } });
    if (!r['set-disclaimer'] || !r.disclaimer) return undefined;
    return { name: r.disclaimer.name, zipBase64: r.disclaimer.zip, checkIntervalMinutes: r.disclaimer['check-interval'] };
  }

  /** 3.2.6 */
  async certApproverEmails(id: CertIdentity): Promise<string[]> {
    return (await this.json('cert-approver-emails', ApproverEmailsReply, { query: identityQuery(id) })).emails;
  }

  /** 3.2.7 */
  async version(): Promise<string> {
    return (await this.json('version', VersionReply, {})).version;
  }

  /** 3.2.8 */
  async cnCustomizationPolicy(id: CertIdentity): Promise<z.infer<typeof CnPolicy>> {
    return (await this.json('cn-customization-policy', CnPolicyReply, { query: identityQuery(id) })).policy;
  }

  /** 3.2.9: which of `templateNames` get seat-certificate auto-renewal ([] = fall back to single-template behaviour). */
  async templatesToAutoRenewSeatCerts(templateNames: string[]): Promise<string[]> {
    const r = await this.json('templates-to-auto-renew-seat-certs', SeatTemplatesReply, {
      method: 'POST',
      form: { 'template-names': JSON.stringify(templateNames) },
    });
    return r['template-names'];
  }

  /** 3.2.10: seconds before expiry below which a certificate must be renewed. */
  async certExpirationMargin(query: { service: string; user?: string; computerName?: string }): Promise<number> {
    const q: Record<string, string> = { service: query.service };
    if (query.user !== undefined) {
      q.user = query.user;
      if (query.computerName !== undefined) q['computer-name'] = query.computerName;
    }
    return (await this.json('cert-expiration-margin', ExpirationMarginReply, { query: q }))['threshold-seconds'];
  }

  /** 3.2.11: the RCCD zip. */
  async rccd(uid: string): Promise<Buffer> {
    const raw = await this.transport.request('rccd', { query: { uid } });
    if (raw.status !== 200) throw replyError('rccd', raw);
    if (raw.contentType.includes('json')) {
      throw new PublicApiError('rccd', 'the server answered JSON instead of the RCCD file', 'bad-reply', raw.status);
    }
    return raw.body;
  }

  /** 3.2.12: 200 operational, 521 not (with the server's details). */
  async healthCheck(): Promise<{ operational: boolean; error?: string }> {
    const raw = await this.transport.request('health-check', {});
    if (raw.status !== 200 && raw.status !== 521) throw replyError('health-check', raw);
    const r = parseReply('health-check', raw, HealthReply);
    return { operational: raw.status === 200 && r['check-result'] === 'operational', error: r.error };
  }

  /** 3.2.13 */
  async unattendedPopupMessageTemplate(): Promise<string> {
    return (await this.json('ktagent-unattended-popup-msg-template', PopupTemplateReply, {}))['msg-template'];
  }

  /** 3.2.14: seconds, or undefined when the template has no keep-alive configured. */
  async keepAliveInterval(templateName: string): Promise<number | undefined> {
    const r = await this.json('keep-alive-interval', KeepAliveIntervalReply, { query: { 'template-name': templateName } });
    return this.interval('keep-alive-interval', r.interval);
  }

  /**
   * 3.2.15. The spec lists "query parameters" for this POST without an example, while its sibling POSTs send a
   * form body; the parameters go in both so either server reading works. Returns the piggy-backed interval
   * (1.6.9+) when present.
   */
  async iAmAlive(id: { templateName: string; user: string; computerName: string }): Promise<{ intervalSeconds?: number }> {
    const params = { 'template-name': id.templateName, user: id.user, 'computer-name': id.computerName };
    const r = await this.json('i-am-alive', IAmAliveReply, { method: 'POST', query: params, form: params });
    return { intervalSeconds: r.interval === undefined ? undefined : this.interval('i-am-alive', r.interval) };
  }

  /**
   * 3.2.16. The spec's success reply repeats the key "status" ("success", then "yes"|"no"); JSON.parse keeps
   * the last one, so "yes"/"no" arrives as status. A server that sends only "success" is read from the raw text.
   */
  async isCertTpmAttested(sha1Fingerprint: string): Promise<boolean> {
    const endpoint = 'is-cert-tpm-attested';
    const raw = await this.transport.request(endpoint, { query: { 'cert-sha1-fingerprint': sha1Fingerprint } });
    if (raw.status !== 200) throw replyError(endpoint, raw);
    const text = raw.body.toString('utf8');
    // A JSON null, number or list is not an object: read it as one without verdict (fuzzing found a TypeError here).
    const json = parseJsonReply(endpoint, raw);
    const parsed = (typeof json === 'object' && json !== null ? json : {}) as { status?: unknown; attested?: unknown };
    const verdict =
      parsed.status === 'yes' || parsed.status === 'no' ? parsed.status : /"status"\s*:\s*"(yes|no)"/.exec(text)?.[1];
    if (verdict === undefined) {
      throw new PublicApiError(endpoint, `reply has no "yes"/"no" verdict: ${text.slice(0, 200)}`, 'bad-reply', raw.status);
    }
    return verdict === 'yes';
  }

  private interval(endpoint: string, text: string): number | undefined {
    try {
      return parseIntervalSeconds(text);
    } catch (err) {
      throw new PublicApiError(endpoint, (err as Error).message, 'bad-reply');
    }
  }

  private async json<S extends z.ZodMiniType>(endpoint: string, schema: S, req: PublicApiRequest): Promise<z.infer<S>> {
    const raw = await this.transport.request(endpoint, req);
    if (raw.status !== 200) throw replyError(endpoint, raw);
    return parseReply(endpoint, raw, schema);
  }
}

function identityQuery(id: CertIdentity): Record<string, string> {
  return { service: id.service, user: id.user, 'computer-name': id.computerName };
}
