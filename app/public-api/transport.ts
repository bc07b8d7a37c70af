import http from 'node:http';
import https from 'node:https';
import { armRequestDeadlines, deadlinesFor } from '../system/request-deadline';
import { explainTlsError } from '../tls/explain-tls-error';
import { isTlsFailure } from '../tls/tls-codes';
import { PublicApiError } from './errors';

/**
 * How a Public API request reaches the server: the path (latest, else the versioned fallbacks an older server
 * knows), the provider's TLS agent, the deadlines and the reply size bound. The endpoints and the reading of
 * their replies are the client's (client.ts, reply.ts).
 */
export interface PublicApiTransportOptions {
  agent?: https.Agent | http.Agent;
  apiVersion?: string;
  timeoutMs: number;
  connectTimeoutMs?: number;
  maxReplyBytes: number;
  signal?: AbortSignal;
}

export interface PublicApiRequest {
  method?: 'GET' | 'POST';
  query?: Record<string, string>;
  form?: Record<string, string>;
}

/**
 * Versioned paths to try, newest first, when a server refuses the versionless "Latest API version" path: the
 * 2.8.3 document lists 1.6.6–1.6.9, the 2.3.2 document 1.0.0 and 1.1.0 (whose servers know only versioned paths).
 */
export const PUBLIC_API_FALLBACK_VERSIONS = ['1.6.9', '1.6.8', '1.6.7', '1.6.6', '1.1.0', '1.0.0'];

/** Per server (base URL): the versioned path that answered after the versionless one was refused. */
const learnedVersion = new Map<string, string>();

export interface RawReply {
  status: number;
  contentType: string;
  body: Buffer;
  retryAfter?: string;
}

export class PublicApiTransport {
  constructor(
    private readonly base: URL,
    private readonly options: PublicApiTransportOptions,
  ) {}

  /**
   * The spec's "Latest API version" path first (/public/<endpoint>); an older server that answers 404 there is
   * asked on the versioned paths, newest first, and the version that answered is remembered for that server.
   */
  async request(endpoint: string, req: PublicApiRequest): Promise<RawReply> {
    if (this.options.apiVersion) return this.requestAt(endpoint, req, this.options.apiVersion);
    const key = this.base.href;
    const learned = learnedVersion.get(key);
    const first = await this.requestAt(endpoint, req, learned);
    if (first.status !== 404) return first;
    for (const v of PUBLIC_API_FALLBACK_VERSIONS) {
      if (v === learned) continue;
      const r = await this.requestAt(endpoint, req, v);
      if (r.status !== 404) {
        learnedVersion.set(key, v);
        return r;
      }
    }
    return first;
  }

  private requestAt(endpoint: string, req: PublicApiRequest, apiVersion: string | undefined): Promise<RawReply> {
    const basePath = this.base.pathname.replace(/\/+$/, '');
    const version = apiVersion ? `/${encodeURIComponent(apiVersion)}` : '';
    const url = new URL(`${basePath}/public${version}/${endpoint}`, this.base);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const method = req.method ?? 'GET';
    const body = req.form ? new URLSearchParams(req.form).toString() : undefined;
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise<RawReply>((resolveReply, rejectReply) => {
      let disarm = () => {};
      const resolve = (v: RawReply) => {
        disarm();
        resolveReply(v);
      };
      const reject = (e: Error) => {
        disarm();
        rejectReply(e);
      };
      const r = lib.request(
        url,
        {
          method,
          agent: this.options.agent as http.Agent | undefined,
          signal: this.options.signal,
          headers: {
            Accept: 'application/json',
            ...(body !== undefined
              ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > this.options.maxReplyBytes) {
              res.destroy();
              reject(
                new PublicApiError(
                  endpoint,
                  `reply larger than ${this.options.maxReplyBytes} bytes`,
                  'bad-reply',
                  res.statusCode,
                ),
              );
              return;
            }
            chunks.push(c);
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              contentType: String(res.headers['content-type'] ?? ''),
              body: Buffer.concat(chunks),
              retryAfter: res.headers['retry-after'],
            }),
          );
          res.on('error', (e) => reject(new PublicApiError(endpoint, e.message, 'network')));
        },
      );
      disarm = armRequestDeadlines(r, deadlinesFor(this.options.timeoutMs, this.options.connectTimeoutMs), (phase, ms) =>
        reject(
          new PublicApiError(
            endpoint,
            phase === 'connect'
              ? `${this.base.host} did not accept a secure connection within ${ms} ms`
              : `${this.base.host} did not complete the reply within ${ms} ms; the server is too slow or stalled`,
            'network',
          ),
        ),
      );
      r.on('error', (e) =>
        reject(
          isTlsFailure(e)
            ? new PublicApiError(endpoint, explainTlsError(e, this.base.hostname).message, 'tls')
            : new PublicApiError(endpoint, `${e.message} (server ${this.base.host})`, 'network'),
        ),
      );
      if (body !== undefined) r.write(body);
      r.end();
    });
  }
}
