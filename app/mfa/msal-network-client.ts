import https from 'node:https';
import tls from 'node:tls';
import { armRequestDeadlines, deadlinesFor } from '../system/request-deadline';
import { AuthError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';

export interface NetworkClientOptions {
  /**
   * Extra CA certificates (PEM) trusted for the identity provider on top of the system roots, for on-premises
   * IdPs behind a private CA (and the test IdP). Never a switch that turns verification off.
   */
  extraCaPem?: string[];
  /**
   * Total deadline per request, reply included (default 30 s; connect within 10 s of it): an IdP that does not
   * answer, or drips its answer, is reported as unreachable (app/system/request-deadline.ts).
   */
  timeoutMs?: number;
  /** Largest reply accepted (default 1 MiB: OpenID metadata, JWKS and token replies are a few KiB). */
  maxReplyBytes?: number;
  /** Local time source (app/system/clock), compared with the IdP's Date header to explain clock-skew failures. */
  now?: () => number;
}

/** MSAL's error code for transport failures; errors.ts maps it to "identity provider unreachable". */
export const NETWORK_ERROR_CODE = 'network_error';

/**
 * MSAL's own client uses global fetch, which cannot be given a CA per request. This one uses node:https with
 * an Agent that adds the configured CAs, so a private IdP CA is trusted by MSAL only, not by the whole process
 * (NODE_TLS_REJECT_UNAUTHORIZED or NODE_EXTRA_CA_CERTS would change every connection the agent makes).
 */
/**
 * A TLS context trusting the system roots plus `extraPem`. Not `createSecureContext({ ca: [...tls.rootCertificates,
 * ...extra] })`: that parses all ~140 root PEMs again for every context (about 40-60 ms, more than the whole silent
 * renewal). A context made without `ca` uses Node's root store, parsed once per process; adding a CA to it gives the
 * context its own copy of that store with the already-parsed roots, plus the extra CA (Node's SecureContext.addCACert;
 * with --use-openssl-ca the copy is OpenSSL's system store). As before, NODE_EXTRA_CA_CERTS is not part of that copy.
 */
export function systemRootsPlus(extraPem: string[]): tls.SecureContext {
  const context = tls.createSecureContext();
  for (const pem of extraPem) (context.context as { addCACert(pem: string): void }).addCACert(pem);
  return context;
}

export class HttpsNetworkClient implements INetworkModule {
  private readonly agent: https.Agent;
  private readonly timeoutMs: number;
  private readonly maxReplyBytes: number;
  private readonly now: () => number;
  /** IdP clock minus ours, in seconds, from the Date header of the last answer (undefined before any). */
  clockSkewSeconds: number | undefined;
  /** The last transport failure, kept because MSAL replaces it with a generic code (endpoints_resolution_error). */
  lastFailure: string | undefined;

  constructor(options: NetworkClientOptions = {}) {
    const extra = options.extraCaPem?.filter((p) => p.trim()) ?? [];
    // Kept-alive sockets are unref'd by Node while idle, so they do not hold the process open.
    const secureContext = extra.length ? systemRootsPlus(extra) : undefined;
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 4, ...(secureContext ? { secureContext } : {}) });
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxReplyBytes = options.maxReplyBytes ?? 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private send<T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
    retried = false,
  ): Promise<NetworkResponse<T>> {
    const target = new URL(url);
    if (target.protocol !== 'https:') {
      return Promise.reject(
        new AuthError(
          NETWORK_ERROR_CODE,
          '',
          `refusing to talk to the identity provider over ${target.protocol} (${target.origin}); it must use https`,
        ),
      );
    }
    const body = method === 'POST' ? (options?.body ?? '') : undefined;
    const headers: Record<string, string> = { ...(options?.headers ?? {}) };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const limit = timeout ?? this.timeoutMs;
    return new Promise((resolveReply, rejectReply) => {
      let disarm = () => {};
      // The first verdict stands: destroying a request after a deadline also emits 'error' ("socket hang up").
      let settled = false;
      const resolve = (v: NetworkResponse<T>) => (disarm(), (settled = true), resolveReply(v));
      const reject = (e: unknown) => (disarm(), (settled = true), rejectReply(e));
      const req = https.request(target, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > this.maxReplyBytes) {
            // A hostile or broken IdP streaming without end must not fill memory.
            const err = new AuthError(
              NETWORK_ERROR_CODE,
              '',
              `${target.origin}${target.pathname} sent a reply larger than ${this.maxReplyBytes} bytes; refusing it`,
            );
            this.lastFailure = err.errorMessage;
            reject(err);
            res.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('error', (e) => reject(netError(target, e)));
        res.on('end', () => {
          const date = Date.parse(String(res.headers.date ?? ''));
          if (Number.isFinite(date)) this.clockSkewSeconds = (date - this.now()) / 1000;
          this.lastFailure = undefined;
          const text = Buffer.concat(chunks).toString('utf8');
          const responseHeaders: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) responseHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : {};
          } catch {
            reject(
              new AuthError(
                'token_parsing_error',
                '',
                `${target.origin}${target.pathname} answered HTTP ${res.statusCode} with something that is not JSON; is the MFA authority URL right?`,
              ),
            );
            return;
          }
          resolve({ headers: responseHeaders, body: parsed as T, status: res.statusCode ?? 0 });
        });
      });
      // Node's `timeout` is an idle timer that each byte restarts; these are a connect limit and a total deadline.
      disarm = armRequestDeadlines(req, deadlinesFor(limit), (phase, ms) => {
        const err = netError(
          target,
          Object.assign(
            new Error(phase === 'connect' ? `no secure connection within ${ms} ms` : `no complete answer within ${ms} ms`),
            { code: 'ETIMEDOUT' },
          ),
        );
        this.lastFailure = err.errorMessage;
        reject(err);
      });
      req.on('error', (e: Error & { code?: string }) => {
        if (settled) return;
        // A kept-alive socket the server closed while idle fails at once on reuse; the request never reached the
        // server, so one retry on a fresh connection is safe (Node's documented pattern for reusedSocket).
        if (!retried && req.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) {
          this.send<T>(method, url, options, timeout, true).then(resolve, reject);
          return;
        }
        const err = netError(target, e);
        this.lastFailure = err.errorMessage;
        reject(err);
      });
      req.end(body);
    });
  }
}

function netError(target: URL, e: Error & { code?: string }): AuthError {
  const tlsHint = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(e.code ?? '')
    ? ' (its TLS certificate is not trusted: add the IdP CA to the provider configuration)'
    : '';
  return new AuthError(
    NETWORK_ERROR_CODE,
    '',
    `cannot reach ${target.origin}: ${e.code ?? ''} ${e.message}${tlsHint}`.replace(/\s+/g, ' '),
  );
}
