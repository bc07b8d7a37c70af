import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import tls, { type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import { derToPem } from '../crypto/pem';
import { FlowFailure } from '../engine/front-end';
import { armRequestDeadlines, deadlinesFor } from '../system/request-deadline';
import { isTlsFailure } from '../tls/tls-codes';

/**
 * HTTPS for the Online CA. Two trust modes:
 *  - 'first-contact': the trust roots are what we are fetching, so OpenSSL cannot verify the server yet. The
 *    connection is made unverified and the presented chain is returned; the caller verifies it against the
 *    roots it received and has the user (or a configured pin) vouch for those roots. Host name is still checked.
 *  - 'verified': OpenSSL verifies the server against the stored trust roots only (not the OS store).
 */
export type TlsTrust = { mode: 'first-contact' } | { mode: 'verified'; caPems: string[] };

export interface OnlineCaRequest {
  method: 'GET' | 'POST';
  trust: TlsTrust;
  headers?: Record<string, string>;
  body?: string;
  /** Stop reading and fail past this many bytes (a hostile server must not fill memory). */
  maxBytes: number;
  /** Total deadline of the exchange, reply included (default 30 s; not an idle timer). */
  timeoutMs?: number;
  /** TCP + TLS set-up limit (default 10 s). */
  connectTimeoutMs?: number;
}

export interface OnlineCaReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The server's TLS chain as presented, leaf first (PEM). */
  peerChainPem: string[];
}

function peerChain(socket: TLSSocket): string[] {
  const out: string[] = [];
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (cert && cert.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    out.push(derToPem(cert.raw, 'CERTIFICATE'));
    cert = cert.issuerCertificate;
  }
  return out;
}

export function onlineCaFetch(url: string, req: OnlineCaRequest): Promise<OnlineCaReply> {
  const u = new URL(url);
  if (u.protocol !== 'https:') {
    return Promise.reject(
      new FlowFailure('bad-input', `Online CA URL ${url} must use https:// (the service is only specified over HTTPS)`),
    );
  }
  const firstContact = req.trust.mode === 'first-contact';
  return new Promise<OnlineCaReply>((resolveReply, rejectReply) => {
    let disarm = () => {};
    const resolve = (v: OnlineCaReply) => {
      disarm();
      resolveReply(v);
    };
    const reject = (e: Error) => {
      disarm();
      rejectReply(e);
    };
    const r = https.request(
      u,
      {
        method: req.method,
        agent: false,
        headers: { ...(req.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(req.body)) } : {}), ...req.headers },
        ...(req.trust.mode === 'verified' ? { ca: req.trust.caPems, rejectUnauthorized: true } : { rejectUnauthorized: false }),
      },
      (res) => {
        const socket = res.socket as TLSSocket;
        const chain = peerChain(socket);
        if (firstContact) {
          // Unverified by OpenSSL, but the name must still be the one we dialled.
          const leaf = socket.getPeerCertificate();
          const mismatch = tls.checkServerIdentity(u.hostname, leaf);
          if (mismatch) {
            res.destroy();
            reject(
              new FlowFailure(
                'tls',
                `The Online CA at ${u.host} presented a TLS certificate for another name: ${mismatch.message}`,
              ),
            );
            return;
          }
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > req.maxBytes) {
            res.destroy();
            reject(
              new FlowFailure(
                'protocol',
                `The Online CA at ${u.host} sent more than ${req.maxBytes} bytes for ${u.pathname}; refusing the reply`,
              ),
            );
            return;
          }
          chunks.push(c);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), peerChainPem: chain }),
        );
        res.on('error', (err) =>
          reject(new FlowFailure('network', `Reading the reply from ${u.host} failed: ${err.message}`, { cause: err })),
        );
      },
    );
    disarm = armRequestDeadlines(r, deadlinesFor(req.timeoutMs ?? 30_000, req.connectTimeoutMs), (phase, ms) =>
      reject(
        new FlowFailure(
          'network',
          phase === 'connect'
            ? `The Online CA at ${u.host} did not accept a secure connection within ${ms / 1000} s`
            : `The Online CA at ${u.host} sent no answer within ${ms / 1000} s for ${u.pathname} (the whole reply must arrive by then; the server is too slow or stalled)`,
        ),
      ),
    );
    r.on('error', (err: NodeJS.ErrnoException) => {
      if (isTlsFailure(err)) {
        reject(
          new FlowFailure(
            'tls',
            `The Online CA at ${u.host} is not trusted (${err.code}: ${err.message}). Its TLS certificate does not chain to the stored trust roots; if the CA really changed, re-run the trust bootstrap.`,
            { cause: err },
          ),
        );
      } else {
        reject(new FlowFailure('network', `Cannot reach the Online CA at ${u.host}: ${err.message}`, { cause: err }));
      }
    });
    r.end(req.body);
  });
}
