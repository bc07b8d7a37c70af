import type http from 'node:http';
import type { TlsExplainer } from './http';
import type * as z from 'zod/mini';
import { RcdpError, RcdpHttpError, RcdpNetworkError } from './errors';
import { downloadOutOfBand } from './download';
import { httpRequest } from './http';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';
import { httpError, isVersionRefusal, parseReply } from './reply';
import {
  AuthRequirementsReply,
  AuthResultReply,
  CertReply,
  CertScrapingSettingsReply,
  CsrRequirementsReply,
  EocReply,
  HandshakeReply,
  HelloReply,
  LastMessagesReply,
  SmbCertsReply,
  StoreCertsReply,
  TpmAttestationReply,
} from './schemas';
import { featuresOf, isSpeakable, SUPPORTED_VERSIONS, type VersionFeatures } from './versions';

export interface RcdpClientOptions {
  /** 'host' or 'host:port' from the RCCD. */
  server: string;
  /** Agent trusting only the provider's CAs (createProviderAgent). */
  agent?: http.Agent;
  /**
   * Deadline of each request attempt, reply included (default 30 s). A safe step (SAFE_ACTIONS: hello, handshake,
   * auth-requirements, …) that runs into it is tried once more (TIMEOUT_RETRIES) when `retry` allows a retry at all;
   * authentication, change-password and cert never are, as the server may already have acted on them.
   */
  timeoutMs?: number;
  /** TCP + TLS set-up limit per request (default 10 s). */
  connectTimeoutMs?: number;
  retry?: RetryPolicy;
  /** Versions to offer, newest first (tests pin one). */
  versions?: readonly string[];
  /** Use /rcdp/<action> without a version once the server is known to be ≥ 2.7.6. */
  versionlessPaths?: boolean;
  callerAppDescription?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
  explainTlsError?: TlsExplainer;
  /** Called for every exchange (action, HTTP status, ms) — never with parameters, which may hold secrets. */
  onExchange?: (e: { action: string; method: string; path: string; status: number; ms: number }) => void;
  onRetry?: (e: { action: string; attempt: number; delayMs: number; error: string }) => void;
}

type Params = Record<string, string | undefined>;

/** Steps that may be repeated without effect on the server: only these are retried. */
const SAFE_ACTIONS = new Set([
  'hello',
  'handshake',
  'auth-requirements',
  'last-messages',
  'csr-requirements',
  'cert-scraping-settings',
  'eoc',
]);

/** How often a step that ran into its deadline is tried again (a refused or reset connection uses retry.retries). */
const TIMEOUT_RETRIES = 1;

function isRetryable(err: unknown): boolean {
  if (err instanceof RcdpNetworkError) return true;
  return err instanceof RcdpHttpError && err.httpStatus >= 500;
}

/** How long a goodbye (eoc) may take; it is not retried past this. */
const EOC_TIMEOUT_MS = 5_000;

/**
 * One RCDP session with one KeyTalk server. Not reusable across sessions: connect() negotiates the version
 * and receives the session cookie; eoc() ends it.
 */
export class RcdpClient {
  private cookie?: string;
  private negotiated?: string;
  private versionless = false;
  /** The server's clock from its handshake reply (spec 2.5 "server-utc"); `doctor` measures the skew with it. */
  serverUtc?: string;
  private readonly timeoutMs: number;
  /** Sending eoc: not bound to the flow's signal, and briefly (a goodbye must not hold up a cancel). */
  private ending = false;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: RcdpClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retry = options.retry ?? DEFAULT_RETRY;
    if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/.test(options.server)) {
      throw new Error(
        `server address ${JSON.stringify(options.server)} is not a host name or host:port; fix the provider's RCCD`,
      );
    }
  }

  get version(): string {
    if (!this.negotiated) throw new Error('RCDP session not connected yet (call connect() first)');
    return this.negotiated;
  }

  get features(): VersionFeatures {
    return featuresOf(this.version);
  }

  /** The session ID; its first 30 characters are the password of issued P12s and PEM keys. */
  get sessionId(): string | undefined {
    return this.cookie;
  }

  get keyPassword(): string {
    if (!this.cookie) throw new Error('no keytalkcookie received from the server; cannot decrypt the issued key');
    return this.cookie.slice(0, 30);
  }

  get serverHost(): string {
    return new URL(`https://${this.options.server}`).hostname;
  }

  /** hello + handshake, walking down the version list on 404 or ErrIncompatibleProtocolVersion. */
  async connect(): Promise<string> {
    const offered = this.options.versions ?? SUPPORTED_VERSIONS;
    const tried: string[] = [];
    const params: Params = { 'caller-app-description': this.options.callerAppDescription };

    if (this.options.versionlessPaths) {
      // The server answers a versionless hello with its newest version; use it when we speak it.
      try {
        const hello = await this.exchange('hello', 'GET', '/rcdp/hello', params, HelloReply, true);
        if (isSpeakable(hello.version) && featuresOf(hello.version).versionlessPaths) {
          this.negotiated = hello.version;
          this.versionless = true;
          await this.handshake();
          return hello.version;
        }
        tried.push(`versionless→${hello.version}`);
      } catch (err) {
        if (!isVersionRefusal(err)) throw err;
        tried.push('versionless');
      }
    }

    for (const v of offered) {
      let hello: z.infer<typeof HelloReply>;
      try {
        hello = await this.exchange('hello', 'GET', `/rcdp/${v}/hello`, params, HelloReply, true);
      } catch (err) {
        if (isVersionRefusal(err)) {
          tried.push(v);
          continue;
        }
        throw err;
      }
      const proposed = hello.version.trim();
      if (proposed === v || (isSpeakable(proposed) && offered.includes(proposed as never))) {
        this.negotiated = proposed;
      } else if (isSpeakable(proposed)) {
        this.negotiated = proposed;
      } else {
        tried.push(`${v}→${proposed}`);
        continue;
      }
      await this.handshake();
      return this.negotiated;
    }
    throw new RcdpError(
      'incompatible-version',
      'hello',
      `the KeyTalk server at ${this.options.server} supports none of the protocol versions this agent speaks (tried ${tried.join(', ')}); upgrade the agent or the server`,
    );
  }

  private async handshake(): Promise<void> {
    const now = new Date((this.options.now ?? Date.now)());
    const utc = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    this.serverUtc = (await this.call('handshake', 'GET', { 'caller-utc': utc }, HandshakeReply))['server-utc'];
  }

  authRequirements(params: Params): Promise<AuthRequirementsReply> {
    return this.call('auth-requirements', 'GET', params, AuthRequirementsReply);
  }

  authenticate(params: Params): Promise<AuthResultReply> {
    return this.call('authentication', this.features.postAuthentication ? 'POST' : 'GET', params, AuthResultReply);
  }

  changePassword(oldPassword: string, newPassword: string): Promise<AuthResultReply> {
    return this.call(
      'change-password',
      this.features.postAuthentication ? 'POST' : 'GET',
      { 'old-password': oldPassword, 'new-password': newPassword },
      AuthResultReply,
    );
  }

  lastMessages(fromUtc?: string): Promise<LastMessagesReply> {
    return this.call('last-messages', 'GET', { 'from-utc': fromUtc }, LastMessagesReply);
  }

  csrRequirements(): Promise<CsrRequirementsReply> {
    return this.call('csr-requirements', 'GET', {}, CsrRequirementsReply);
  }

  /**
   * 2.7.4 tpm-attestation (servers ≥ 2.7.2): EK certificate, EK public blob and AK name in, challenge out. Not
   * retried: each call makes a new challenge, and the evidence must answer the latest one.
   */
  tpmAttestation(fields: { 'ek-cert': string; 'ek-pub-blob': string; 'ak-name': string }): Promise<TpmAttestationReply> {
    return this.call('tpm-attestation', 'POST', fields, TpmAttestationReply);
  }

  /**
   * Request a certificate. CSR submissions are always POST; server-generated ones are GET on servers older
   * than 2.3.0. A server that refuses the method with 405 gets the other one once.
   */
  async cert(params: Params, opts: { csr?: boolean } = {}): Promise<CertReply> {
    const method = opts.csr || this.features.postCert ? 'POST' : 'GET';
    try {
      return await this.call('cert', method, params, CertReply);
    } catch (err) {
      if (err instanceof RcdpHttpError && err.httpStatus === 405) {
        return this.call('cert', method === 'POST' ? 'GET' : 'POST', params, CertReply);
      }
      throw err;
    }
  }

  /**
   * 2.7.7 smbcerts (servers ≥ 2.7.7; out-of-band ≥ 2.7.9): the seat's shared-mailbox certificates, after
   * authentication. Not retried: the server issues certificates on this call.
   */
  smbCerts(format: 'P12' | 'PEM' | 'P12v2', outOfBand = false): Promise<SmbCertsReply> {
    return this.call('smbcerts', 'POST', { format, ...(outOfBand ? { 'out-of-band': 'true' } : {}) }, SmbCertsReply);
  }

  /** 2.7.8 (servers ≥ 2.7.8): what the server wants scanned and uploaded. */
  certScrapingSettings(): Promise<CertScrapingSettingsReply> {
    return this.call('cert-scraping-settings', 'GET', {}, CertScrapingSettingsReply);
  }

  /**
   * 2.7.6 store-certs (servers ≥ 2.7.4): upload concatenated PEM certificates (with private keys when given).
   * Not retried: the caller records nothing as sent unless this answers.
   */
  storeCerts(certificatesPem: string): Promise<StoreCertsReply> {
    return this.call('store-certs', 'POST', { certificates: certificatesPem }, StoreCertsReply);
  }

  /**
   * Download an out-of-band certificate (single use on the server, so never retried). The session cookie goes
   * only over https (download.ts: an http:// template is tried in its https form, then without the cookie).
   */
  download(template: string): Promise<Buffer> {
    const o = this.options;
    return downloadOutOfBand(template, {
      server: o.server,
      cookie: this.cookie,
      agent: o.agent,
      timeoutMs: this.timeoutMs,
      connectTimeoutMs: o.connectTimeoutMs,
      signal: o.signal,
      explainTlsError: o.explainTlsError,
      onExchange: o.onExchange,
    });
  }

  /** End the session. Best effort: a server that is gone does not make a finished flow fail. */
  async eoc(reason?: string): Promise<void> {
    if (!this.negotiated) return;
    // The goodbye is sent even when the flow was cancelled: with the flow's (aborted) signal the request never left,
    // and a cancelled enrollment (its window closed) kept its server session open until the server timed it out.
    this.ending = true;
    try {
      await this.call('eoc', 'GET', { reason }, EocReply);
    } catch {
      // The flow's outcome is already decided; nothing useful to do with a failed goodbye.
    } finally {
      this.ending = false;
    }
  }

  private path(action: string): string {
    return this.versionless ? `/rcdp/${action}` : `/rcdp/${this.version}/${action}`;
  }

  private call<S extends z.ZodMiniType>(action: string, method: 'GET' | 'POST', params: Params, schema: S): Promise<z.infer<S>> {
    return this.exchange(action, method, this.path(action), params, schema, SAFE_ACTIONS.has(action));
  }

  private async exchange<S extends z.ZodMiniType>(
    action: string,
    method: 'GET' | 'POST',
    path: string,
    params: Params,
    schema: S,
    safe: boolean,
  ): Promise<z.infer<S>> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) query.append(k, v);
    const encoded = query.toString();
    const url = new URL(`https://${this.options.server}${path}`);
    if (method === 'GET' && encoded) url.search = encoded;
    const headers: Record<string, string> = {};
    if (this.cookie && action !== 'hello') headers.Cookie = `keytalkcookie=${this.cookie}`;
    // A stalled server gets one more chance, not retry.retries more: a hung hello cost 4 × 30 s while the
    // message named 30 s. The final message says how long was spent in all.
    let timeouts = 0;
    const stepStarted = Date.now();
    // A busy server's Retry-After longer than our own longest retry wait is not waited out here: the error goes up
    // with it (the scheduler waits at least that long; an interactive command says so).
    const retryable = (err: unknown) =>
      err instanceof RcdpHttpError && (err.retryAfterMs ?? 0) > this.retry.maxMs
        ? false
        : err instanceof RcdpNetworkError && err.timedOut
          ? ++timeouts <= TIMEOUT_RETRIES && isRetryable(err)
          : isRetryable(err);
    const reply = await withRetry(
      async () => {
        const started = Date.now();
        const r = await httpRequest({
          url,
          method,
          headers,
          body: method === 'POST' ? encoded : undefined,
          agent: this.options.agent,
          timeoutMs: this.ending ? Math.min(this.timeoutMs, EOC_TIMEOUT_MS) : this.timeoutMs,
          connectTimeoutMs: this.options.connectTimeoutMs,
          action,
          signal: this.ending ? undefined : this.options.signal,
          explainTlsError: this.options.explainTlsError,
        });
        this.options.onExchange?.({ action, method, path, status: r.status, ms: Date.now() - started });
        if (r.status >= 500 || r.status === 429) throw httpError(action, r);
        return r;
      },
      {
        policy: safe ? this.retry : { ...this.retry, retries: 0 },
        isRetryable: retryable,
        sleep: this.options.sleep,
        minDelay: (err) => (err instanceof RcdpHttpError ? err.retryAfterMs : undefined),
        onRetry: (err, attempt, delayMs) =>
          this.options.onRetry?.({ action, attempt, delayMs, error: err instanceof Error ? err.message : String(err) }),
      },
    ).catch((err: unknown) => {
      if (err instanceof RcdpNetworkError && err.timedOut && timeouts > 1) {
        const total = Math.round((Date.now() - stepStarted) / 100) / 10;
        throw new RcdpNetworkError(action, `${err.message} (tried ${timeouts} times, ${total} s in all)`, {
          cause: err,
          timedOut: true,
        });
      }
      throw err;
    });
    const setCookie = reply.headers['set-cookie'];
    for (const c of setCookie ?? []) {
      const m = /^\s*keytalkcookie=([^;]*)/i.exec(c);
      if (m && m[1]) this.cookie = m[1];
    }
    return parseReply(action, reply, schema);
  }
}
