import https from 'node:https';
import type { Socket } from 'node:net';
import tls, { type PeerCertificate, type TLSSocket } from 'node:tls';
import type { ProviderRecord } from '../rccd/types';

export interface ProviderAgentOptions {
  keepAlive?: boolean;
  /** Socket idle timeout in ms. */
  timeoutMs?: number;
}

/** Symbol under which the agent attaches the server's certificate to a TLS error, for explainTlsError. */
export const PEER_CERTIFICATE = Symbol.for('keytalk-agent.peerCertificate');

/** id-kp-serverAuth (RFC 5280 4.2.1.12). */
const SERVER_AUTH_OID = '1.3.6.1.5.5.7.3.1';

/**
 * The one anchor for a KeyTalk server: the RCCD's server communication CA (SCA). The spec (2.1, "SCA.der") says it
 * is "the trust under which the KeyTalk virtual appliance certificates are generated"; the PCA and RCA also sign
 * the user CA (UCA), so trusting them would accept any certificate a user could obtain from the UCA.
 */
export function providerTrustAnchors(provider: Pick<ProviderRecord, 'cas' | 'name'>): string[] {
  if (!provider.cas.server) {
    throw new Error(`Provider "${provider.name}" has no server communication CA (SCA); re-import its RCCD file`);
  }
  return [provider.cas.server];
}

/**
 * Host-name check plus: the server certificate must be meant for TLS servers. OpenSSL already refuses an EKU
 * without serverAuth (INVALID_PURPOSE) but accepts a certificate with no EKU at all; a KeyTalk server's
 * certificate always carries serverAuth, so its absence means this is not one.
 */
export function checkKeytalkServerIdentity(host: string, cert: PeerCertificate): Error | undefined {
  const nameProblem = tls.checkServerIdentity(host, cert);
  if (nameProblem) return nameProblem;
  if (!cert.ext_key_usage?.includes(SERVER_AUTH_OID)) {
    return Object.assign(
      new Error(`the certificate of ${host} has no serverAuth extended key usage; it is not a TLS server certificate`),
      { code: 'INVALID_PURPOSE', reason: 'no serverAuth extended key usage', host, cert },
    );
  }
  return undefined;
}

/** https://host[:port] of a provider's KeyTalk server. */
export function providerOrigin(provider: Pick<ProviderRecord, 'server'>): string {
  return `https://${provider.server}`;
}

/**
 * An https.Agent that trusts only the provider's server communication CA (SCA) and requires a serverAuth leaf.
 * Verification is always on: rejectUnauthorized is set explicitly, so NODE_TLS_REJECT_UNAUTHORIZED=0 cannot
 * switch it off. Partial chains are allowed because the SCA is an intermediate (under the PCA): it is the anchor
 * itself, and the chain above it is not consulted.
 * The server certificate is captured during the handshake so errors can name its fingerprint.
 */
export function createProviderAgent(provider: ProviderRecord, opts: ProviderAgentOptions = {}): https.Agent {
  const agent = new https.Agent({
    ca: providerTrustAnchors(provider),
    rejectUnauthorized: true,
    allowPartialTrustChain: true,
    checkServerIdentity: checkKeytalkServerIdentity,
    minVersion: 'TLSv1.2',
    keepAlive: opts.keepAlive ?? true,
    timeout: opts.timeoutMs,
  });
  const base = agent.createConnection.bind(agent) as (options: https.RequestOptions, cb?: unknown) => Socket;
  // createConnection is the one hook that sees every TLS socket the agent opens.
  (agent as unknown as { createConnection: typeof base }).createConnection = (options, cb) => {
    const socket = base(
      { ...options, rejectUnauthorized: true, checkServerIdentity: checkKeytalkServerIdentity },
      cb,
    ) as TLSSocket;
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
