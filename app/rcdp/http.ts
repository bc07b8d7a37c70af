import http from 'node:http';
import https from 'node:https';
import { isTlsFailure } from '../tls/tls-codes';
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
  timeoutMs: number;
  /** Name of the protocol step, for error messages. */
  action: string;
  maxBytes?: number;
  signal?: AbortSignal;
  explainTlsError?: (err: Error, host: string) => string;
}

function defaultTlsExplanation(err: Error, host: string): string {
  return `the TLS certificate of ${host} could not be verified against the provider's CAs (${(err as NodeJS.ErrnoException).code ?? err.message}); re-import the provider's RCCD or contact your administrator`;
}

/** One HTTP(S) exchange with a hard timeout and a response size cap. Never follows redirects. */
export function httpRequest(req: HttpRequest): Promise<HttpReply> {
  const maxBytes = req.maxBytes ?? 20 * 1024 * 1024;
  const mod = req.url.protocol === 'http:' ? http : https;
  return new Promise<HttpReply>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
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
          res.destroy();
          fail(new RcdpNetworkError(req.action, `the reply to ${req.action} exceeds ${maxBytes} bytes; refusing it`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('error', (err) => fail(wrapNetworkError(req, err)));
      res.on('aborted', () =>
        fail(new RcdpNetworkError(req.action, `the connection to ${req.url.host} broke during ${req.action}`)),
      );
    });
    r.setTimeout(req.timeoutMs, () => {
      r.destroy();
      fail(
        new RcdpNetworkError(
          req.action,
          `${req.url.host} did not answer ${req.action} within ${Math.round(req.timeoutMs / 1000)} s`,
        ),
      );
    });
    r.on('error', (err) => fail(wrapNetworkError(req, err)));
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

function wrapNetworkError(req: HttpRequest, err: Error): Error {
  if (err.name === 'AbortError') return err;
  if (isTlsFailure(err)) {
    const explain = req.explainTlsError ?? defaultTlsExplanation;
    return new RcdpTlsError(req.action, `${req.action}: ${explain(err, req.url.hostname)}`, { cause: err });
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
  return new RcdpNetworkError(req.action, `${req.url.host} ${what} during ${req.action}`, { cause: err });
}
