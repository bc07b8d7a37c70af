import type http from 'node:http';
import type { TlsExplainer } from './http';
import { RcdpHttpError, RcdpNetworkError, RcdpProtocolError } from './errors';
import { httpRequest } from './http';

/**
 * Out-of-band downloads (RCDP 2.7.2 and 2.7.5 "cert-url-templ", 2.7.7 shared mailbox "cert-url-templ" and
 * "historical-certs-url-templ"). The keytalkcookie is the session ID and its first 30 characters are the
 * password of the downloaded key package, so it never travels over plain HTTP: an http:// template is first
 * tried in its https form on the server the agent already trusts, then fetched over HTTP *without* the cookie
 * (the spec's URL carries a one-time token), and a server that insists on the cookie there gets a refusal
 * that says why.
 */
export interface DownloadSession {
  /** 'host' or 'host:port' the RCDP session talks to (https). */
  server: string;
  cookie?: string;
  agent?: http.Agent;
  timeoutMs: number;
  connectTimeoutMs?: number;
  signal?: AbortSignal;
  explainTlsError?: TlsExplainer;
  onExchange?: (e: { action: string; method: string; path: string; status: number; ms: number }) => void;
}

const ACTION = 'certificate download';

export async function downloadOutOfBand(template: string, s: DownloadSession): Promise<Buffer> {
  const trimmed = template.trim();
  const isHttps = /^https:/i.test(trimmed);
  // https downloads go to the server the agent talks to, port included (a test server on loopback has one);
  // plain http ones to its host name on the template's (default) port.
  const host = new URL(`https://${s.server}`).hostname;
  const url = new URL(trimmed.replace(/\$\(KEYTALK_SVR_HOST\)/g, isHttps ? s.server : host));
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RcdpProtocolError(
      'download',
      `the certificate download URL uses ${url.protocol}; only http and https are supported`,
    );
  }
  if (url.protocol === 'https:') return expectOk(await get(url, s, true));

  // The https form first: same path and token on the server whose TLS identity the RCCD vouches for. A server
  // that does not offer it there answers an error status (the token is not spent) or not at all.
  const secure = new URL(`${url.pathname}${url.search}`, `https://${s.server}`);
  try {
    const reply = await get(secure, s, true);
    if (reply.status === 200) return reply.body;
  } catch (err) {
    if (!(err instanceof RcdpNetworkError)) throw err;
  }
  const plain = await get(url, s, false);
  if (plain.status === 401 || plain.status === 403) {
    throw new RcdpHttpError(
      ACTION,
      plain.status,
      `the server offers this download only over plain HTTP (${url.host}) and refuses it without the session cookie (HTTP ${plain.status}); ` +
        'the agent never sends that cookie in clear, because its first 30 characters are the password of the key package. ' +
        'Ask your KeyTalk administrator to serve out-of-band downloads over HTTPS, or enroll without out-of-band',
    );
  }
  return expectOk(plain);
}

async function get(url: URL, s: DownloadSession, withCookie: boolean) {
  const headers: Record<string, string> = {};
  // Only ever on https: the cookie decrypts the key package this request fetches.
  if (withCookie && s.cookie && url.protocol === 'https:') headers.Cookie = `keytalkcookie=${s.cookie}`;
  const started = Date.now();
  const reply = await httpRequest({
    url,
    method: 'GET',
    headers,
    agent: url.protocol === 'https:' ? s.agent : undefined,
    timeoutMs: s.timeoutMs,
    connectTimeoutMs: s.connectTimeoutMs,
    action: ACTION,
    signal: s.signal,
    explainTlsError: s.explainTlsError,
  });
  s.onExchange?.({ action: 'download', method: 'GET', path: url.pathname, status: reply.status, ms: Date.now() - started });
  return reply;
}

function expectOk(reply: { status: number; body: Buffer }): Buffer {
  if (reply.status !== 200) {
    throw new RcdpHttpError(
      ACTION,
      reply.status,
      `the certificate download returned HTTP ${reply.status} (download links are valid once and for about 5 minutes; enroll again)`,
    );
  }
  return reply.body;
}
