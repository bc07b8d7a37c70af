import net from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import type { DoctorCheck } from '../ipc/doctor-contract';
import type { CoreText } from '../model/core-text';
import { said, type Said } from './doctor-text';

export interface TlsProbe {
  host: string;
  port: number;
  /** The trust of the requests the agent really sends to this server (their CAs, chain and identity rules). */
  trust: Pick<tls.ConnectionOptions, 'ca' | 'allowPartialTrustChain' | 'checkServerIdentity'>;
  /** Who the certificate was verified against, for the pass line ("the RCCD's server CA"; its English is `message`). */
  trustedBy: CoreText;
  /** Called before connecting (e.g. to keep the peer certificate, which Node drops when verification fails). */
  prepare?: (socket: TLSSocket) => void;
  /** The fail line for a TLS error, in the words of the provider kind. */
  failure: (err: NodeJS.ErrnoException) => Said;
}

const cnOf = (v: unknown) => (Array.isArray(v) ? v[0] : v) as string | undefined;

/**
 * The doctor's `tls` line for any provider kind: one TLS handshake (TLS 1.2 or newer, SNI unless the host is an IP)
 * under the trust the agent's own requests use, bounded by the step timeout. A KeyTalk provider and an Online CA differ
 * only in that trust and in how a refusal is put in words, so both build their line here and read alike.
 */
export function probeTls(p: TlsProbe, o: { timeoutMs: number }): Promise<Omit<DoctorCheck, 'scope'>> {
  const { host, port } = p;
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port,
      servername: net.isIP(host) ? undefined : host,
      ...p.trust,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    });
    p.prepare?.(socket);
    const done = (c: Omit<DoctorCheck, 'scope'>) => {
      socket.destroy();
      resolve(c);
    };
    socket.setTimeout(o.timeoutMs, () =>
      done({
        id: 'tls',
        status: 'fail',
        ...said('doctor.tls-timeout', `the TLS handshake with ${host}:${port} did not finish within ${o.timeoutMs} ms`, {
          host,
          port,
          ms: o.timeoutMs,
        }),
      }),
    );
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      const [subject, issuer] = [cnOf(peer.subject?.CN) ?? host, cnOf(peer.issuer?.CN) ?? '?'];
      const until = new Date(peer.valid_to).toISOString();
      done({
        id: 'tls',
        status: 'pass',
        ...said(
          'doctor.tls-ok',
          `${socket.getProtocol()} with "${subject}" issued by "${issuer}" (${p.trustedBy.message}), valid until ${until}`,
          { protocol: socket.getProtocol() ?? '', subject, issuer, trustedBy: p.trustedBy, validUntilAt: until },
        ),
        data: { protocol: socket.getProtocol() ?? '', validTo: new Date(peer.valid_to).toISOString() },
      });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => done({ id: 'tls', status: 'fail', ...p.failure(err) }));
  });
}
