import http from 'node:http';
import https from 'node:https';
import { armRequestDeadlines, deadlinesFor } from '../system/request-deadline';
import { isTlsFailure } from '../tls/tls-codes';
import { textOf, withText, type CoreTextCode } from '../model/core-text';
import { RcdpNetworkError, RcdpTlsError } from './errors';

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  agent?: http.Agent;
  /** Total deadline of the exchange, reply body included (not an idle timer: a dripping server is cut off). */
  timeoutMs: number;
  /** TCP + TLS set-up limit (default 10 s, at most timeoutMs). */
  connectTimeoutMs?: number;
  /** Name of the protocol step, for error messages. */
  action: string;
  maxBytes?: number;
  signal?: AbortSignal;
  explainTlsError?: TlsExplainer;
}

/** A TLS failure in words: a sentence, or an error whose message says it and whose code the UI translates. */
export type TlsExplainer = (err: Error, host: string) => string | Error;

function defaultTlsExplanation(err: Error, host: string): string {
  return `the TLS certificate of ${host} could not be verified against the provider's CAs (${(err as NodeJS.ErrnoException).code ?? err.message}); re-import the provider's RCCD or contact your administrator`;
}

/** RCDP replies are small JSON documents; OOB downloads are one certificate. Anything bigger is hostile. */
export const DEFAULT_MAX_REPLY_BYTES = 4 * 1024 * 1024;

/** One HTTP(S) exchange with connect and total deadlines and a response size cap. Never follows redirects. */
export function httpRequest(req: HttpRequest): Promise<HttpReply> {
  const maxBytes = req.maxBytes ?? DEFAULT_MAX_REPLY_BYTES;
  const mod = req.url.protocol === 'http:' ? http : https;
  return new Promise<HttpReply>((resolve, reject) => {
    let settled = false;
    let disarm = () => {};
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      disarm();
      reject(err);
    };
    const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
    if (req.body !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = String(Buffer.byteLength(req.body));
    }
    const r = mod.request(req.url, { method: req.method, agent: req.agent, headers, signal: req.signal }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          // fail first: destroying emits 'aborted', which would otherwise report a broken connection instead.
          fail(new RcdpNetworkError(req.action, `the reply to ${req.action} exceeds ${maxBytes} bytes; refusing it`));
          res.destroy();
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        disarm();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('error', (err) => fail(wrapNetworkError(req, err)));
      res.on('aborted', () =>
        fail(
          withText(
            new RcdpNetworkError(req.action, `the connection to ${req.url.host} broke during ${req.action}`),
            'network.broke',
            { host: req.url.host },
          ),
        ),
      );
    });
    disarm = armRequestDeadlines(r, deadlinesFor(req.timeoutMs, req.connectTimeoutMs), (phase, ms) =>
      fail(
        withText(
          new RcdpNetworkError(
            req.action,
            phase === 'connect'
              ? `${req.url.host} did not accept a secure connection within ${seconds(ms)} (${req.action})`
              : `${req.url.host} did not complete ${req.action} within ${seconds(ms)}; the server is too slow or stalled`,
            { timedOut: true },
          ),
          phase === 'connect' ? 'network.connect-timeout' : 'network.stalled',
          { host: req.url.host },
        ),
      ),
    );
    r.on('error', (err) => fail(wrapNetworkError(req, err)));
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

function wrapNetworkError(req: HttpRequest, err: Error): Error {
  if (err.name === 'AbortError') return err;
  if (isTlsFailure(err)) {
    const explained = (req.explainTlsError ?? defaultTlsExplanation)(err, req.url.hostname);
    const words = typeof explained === 'string' ? explained : explained.message;
    const tls = new RcdpTlsError(req.action, `${req.action}: ${words}`, { cause: err });
    const coded = typeof explained === 'string' ? undefined : textOf(explained);
    return coded ? withText(tls, coded.code as CoreTextCode, coded.params) : tls;
  }
  const code = (err as NodeJS.ErrnoException).code;
  const what =
    code === 'ECONNREFUSED'
      ? 'refused the connection (is the server running and the address in the RCCD right?)'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'could not be found in DNS (check the network connection)'
        : code === 'ECONNRESET'
          ? 'reset the connection'
          : `could not be reached (${code ?? err.message})`;
  const text: CoreTextCode =
    code === 'ECONNREFUSED'
      ? 'network.refused'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'network.not-found'
        : code === 'ECONNRESET'
          ? 'network.reset'
          : 'network.unreachable';
  const failure = new RcdpNetworkError(req.action, `${req.url.host} ${what} during ${req.action}`, { cause: err });
  return withText(failure, text, { host: req.url.host });
}
