import https from 'node:https';
import type { Socket } from 'node:net';
import tls, { type PeerCertificate, type TLSSocket } from 'node:tls';
import type { ProviderRecord } from '../rccd/types';

export interface ProviderAgentOptions {
  /** Also trust the operating system's / Node's public roots (only when the deployment is configured so). */
  useSystemStore?: boolean;
  keepAlive?: boolean;
  /** Socket idle timeout in ms. */
  timeoutMs?: number;
}

/** Symbol under which the agent attaches the server's certificate to a TLS error, for explainTlsError. */
export const PEER_CERTIFICATE = Symbol.for('keytalk-agent.peerCertificate');

export function providerTrustAnchors(provider: Pick<ProviderRecord, 'cas' | 'name'>): string[] {
  const anchors = [provider.cas.server, provider.cas.primary, provider.cas.root].filter((p): p is string => !!p);
  if (anchors.length === 0) {
    throw new Error(`Provider "${provider.name}" has no server CA certificates; re-import its RCCD file`);
  }
  return anchors;
}

/** https://host[:port] of a provider's KeyTalk server. */
export function providerOrigin(provider: Pick<ProviderRecord, 'server'>): string {
  return `https://${provider.server}`;
}

/**
 * An https.Agent that trusts only the provider's RCCD CAs (SCA, PCA, RCA) — plus the system roots only when asked.
 * Verification is always on: rejectUnauthorized is set explicitly, so NODE_TLS_REJECT_UNAUTHORIZED=0 cannot
 * switch it off. Partial chains are allowed so an intermediate SCA/PCA from the RCCD can be the trust anchor
 * even when the RCCD carries no self-signed root (RCCD v1 has no RCA).
 * The server certificate is captured during the handshake so errors can name its fingerprint.
 */
export function createProviderAgent(provider: ProviderRecord, opts: ProviderAgentOptions = {}): https.Agent {
  const ca = [...providerTrustAnchors(provider), ...(opts.useSystemStore ? tls.rootCertificates : [])];
  const agent = new https.Agent({
    ca,
    rejectUnauthorized: true,
    allowPartialTrustChain: true,
    minVersion: 'TLSv1.2',
    keepAlive: opts.keepAlive ?? true,
    timeout: opts.timeoutMs,
  });
  const base = agent.createConnection.bind(agent) as (options: https.RequestOptions, cb?: unknown) => Socket;
  // createConnection is the one hook that sees every TLS socket the agent opens.
  (agent as unknown as { createConnection: typeof base }).createConnection = (options, cb) => {
    const socket = base({ ...options, rejectUnauthorized: true }, cb) as TLSSocket;
    captureCertificateOnError(socket);
    return socket;
  };
  return agent;
}

/**
 * Node verifies the chain in the socket's 'secure' handler and destroys the socket on failure, after which the
 * certificate is gone. A listener prepended to 'secure' runs first and keeps a copy; an 'error' listener (added
 * before the request's own) attaches it to the error object the request will see.
 */
export function captureCertificateOnError(socket: TLSSocket): void {
  let peer: PeerCertificate | undefined;
  socket.prependListener('secure', () => {
    try {
      const cert = socket.getPeerCertificate(true);
      if (cert && Object.keys(cert).length > 0) peer = cert;
    } catch {
      // no certificate to keep
    }
  });
  socket.prependListener('error', (err: Error) => {
    if (peer && typeof err === 'object' && err !== null && !(PEER_CERTIFICATE in err)) {
      Object.defineProperty(err, PEER_CERTIFICATE, { value: peer, enumerable: false });
    }
  });
}
