import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import { isIP } from 'node:net';
import path from 'node:path';
import tls, { type DetailedPeerCertificate } from 'node:tls';
import { homeLayout } from '../config/home';
import { derToPem } from '../crypto/pem';
import { readJsonFile, writeJsonAtomic } from '../system/atomic-write';
import { checkKeytalkServerIdentity, createProviderAgent } from '../tls/provider-agent';

/**
 * Provisioned providers fetched from a KeyTalk server with the Public API "Download client configuration files"
 * (spec 3.2.11: GET /public/rccd?uid=<UID>, application/octet-stream), named in the policy's `providers` as
 * `{server, uid, sha256}`.
 *
 * Trust. Before the first RCCD there is no SCA to trust the server with, so the policy pins one certificate by its
 * SHA-256 (of the DER): the server's communication CA, SCA — recommended, because the spec (2.1, "SCA.der") makes it
 * "the trust under which the KeyTalk virtual appliance certificates are generated", so the pin survives the
 * appliance's certificate renewals — or the server certificate itself. A TLS handshake that sends nothing reads the
 * server's chain; the certificate with the pinned hash becomes the only anchor of a normally verifying connection
 * (chain, host name, serverAuth), over which the RCCD is downloaded. The RCCD must then vouch for the server it came
 * from: its SCA must have issued the server's certificate, or it is refused (a tampered or foreign RCCD).
 *
 * Refresh. Once installed, the RCCD is fetched over the installed RCCD's own trust (its SCA; the pin is no longer
 * used), imported only when its ContentVersion is newer, and imported atomically by importRccd: the old provider
 * stays until the new one has parsed and validated. When a refresh is due (spread over the fleet) is rccd-refresh.ts.
 */
export interface RemoteRccdSource {
  /** host[:port] of the KeyTalk server. */
  server: string;
  uid: string;
  /** SHA-256 of the SCA (or server certificate) DER, hex, colons allowed. */
  sha256: string;
}

export const isRemoteSource = (p: unknown): p is RemoteRccdSource =>
  typeof p === 'object' && p !== null && 'uid' in p && 'server' in p;

const remoteFile = (home: string) => path.join(homeLayout(home).state, 'provisioned-remote.json');
const keyOf = (s: RemoteRccdSource) => `${s.server}\n${s.uid}`;
const normalizePin = (hex: string) => hex.replace(/[:\s]/g, '').toUpperCase();

export class PinMismatchError extends Error {
  constructor(server: string, pin: string, seen: string[]) {
    super(
      `the KeyTalk server ${server} presented no certificate with the pinned SHA-256 ${pin} (it presented ${seen.join(', ') || 'none'}); ` +
        'check the "sha256" of this provider in the policy: it is the SHA-256 of the SCA.der in the RCCD (or of the server certificate)',
    );
    this.name = 'PinMismatchError';
  }
}

/** host and port of "host[:port]" (443 by default, the spec's Public API port). */
function hostPort(server: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(server.trim());
  if (!m) throw new Error(`"${server}" is not a server name; use host or host:port`);
  return { host: m[1]!, port: m[2] ? Number(m[2]) : 443 };
}

/**
 * The server's certificate chain as presented, read with a handshake only (no request is sent, so nothing reaches a
 * server that turns out to be the wrong one). Not a trust decision: that is the verifying connection after it.
 */
export async function presentedChain(server: string, timeoutMs = 15_000): Promise<X509Certificate[]> {
  const { host, port } = hostPort(server);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      servername: isIP(host) ? undefined : host, // SNI takes names only
      rejectUnauthorized: false, // read-only probe; the verifying connection decides
      minVersion: 'TLSv1.2',
    });
    const timer = setTimeout(
      () => socket.destroy(new Error(`no TLS handshake with ${server} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once('secureConnect', () => {
      const chain: X509Certificate[] = [];
      let c: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      while (c?.raw && !chain.some((x) => x.raw.equals(c!.raw))) {
        chain.push(new X509Certificate(c.raw));
        c = c.issuerCertificate;
      }
      clearTimeout(timer);
      socket.end();
      resolve(chain);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot reach the KeyTalk server ${server}: ${err.message}`));
    });
  });
}

/** The provider name this source installed before (none when it never did). */
export async function installedName(home: string, source: RemoteRccdSource): Promise<string | undefined> {
  return (await readJsonFile<Record<string, string>>(remoteFile(home), {}))[keyOf(source)];
}

export interface RemoteResult {
  name: string;
  status: 'imported' | 'current';
  contentVersion: number;
}

/**
 * Fetch one policy-named RCCD and import it when it is new or newer. Throws (the caller reports and keeps whatever
 * is installed) on a wrong pin, an unreachable server, a refused TLS connection, or an RCCD that does not validate.
 */
export async function fetchRemoteRccd(home: string, source: RemoteRccdSource): Promise<RemoteResult> {
  const known = await readJsonFile<Record<string, string>>(remoteFile(home), {});
  const { loadProvider, importRccd, RccdVersionError } = await import('../rccd/provider-store');
  const installed = known[keyOf(source)] ? await loadProvider(home, known[keyOf(source)]!).catch(() => undefined) : undefined;
  const chain = await presentedChain(source.server);
  const leaf = chain[0];
  if (!leaf) throw new Error(`the KeyTalk server ${source.server} presented no certificate`);
  let agent: https.Agent;
  if (installed) {
    agent = createProviderAgent(installed, { keepAlive: false });
  } else {
    const pin = normalizePin(source.sha256);
    const anchor = chain.find((c) => normalizePin(c.fingerprint256) === pin);
    if (!anchor)
      throw new PinMismatchError(
        source.server,
        pin,
        chain.map((c) => `${c.subject.split('\n').join(', ')}: ${normalizePin(c.fingerprint256)}`),
      );
    agent = new https.Agent({
      ca: [derToPem(anchor.raw, 'CERTIFICATE')],
      rejectUnauthorized: true,
      // The SCA is an intermediate: it is the anchor itself; a pinned leaf is its own anchor.
      allowPartialTrustChain: true,
      checkServerIdentity: checkKeytalkServerIdentity,
      minVersion: 'TLSv1.2',
      keepAlive: false,
    });
  }
  const { PublicApiClient } = await import('../public-api/client');
  const zip = await new PublicApiClient({ baseUrl: `https://${source.server}`, agent }).rccd(source.uid);

  // Validate before anything is replaced: it parses, and its SCA vouches for this server (else it would be a provider
  // that cannot connect, or one swapped in by whoever could change the file on the way).
  const { parseRccd } = await import('../rccd/rccd-parse');
  const { readZipSafely } = await import('../rccd/zip-guard');
  const parsed = parseRccd(readZipSafely(zip), { fileName: `${source.uid}.rccd` });
  const sca = parsed.cas.server ? new X509Certificate(parsed.cas.server) : undefined;
  if (!sca || !leaf.checkIssued(sca) || !leaf.verify(sca.publicKey))
    throw new Error(
      `the RCCD served by ${source.server} (uid ${source.uid}) was refused: its server CA (SCA) did not issue the server's certificate; ` +
        (installed
          ? `the installed "${installed.name}" (ContentVersion ${installed.contentVersion}) is kept`
          : 'nothing was imported'),
    );
  if (installed && parsed.name !== installed.name)
    throw new Error(
      `the RCCD served by ${source.server} (uid ${source.uid}) is for provider "${parsed.name}", not "${installed.name}"; the installed one is kept`,
    );
  let status: RemoteResult['status'] = 'imported';
  let record = installed;
  try {
    record = await importRccd(home, zip, { fileName: `${source.uid}.rccd` });
  } catch (err) {
    if (!(err instanceof RccdVersionError)) throw err;
    status = 'current';
  }
  const name = record?.name ?? parsed.name;
  if (known[keyOf(source)] !== name) await writeJsonAtomic(remoteFile(home), { ...known, [keyOf(source)]: name });
  return { name, status, contentVersion: record?.contentVersion ?? parsed.contentVersion };
}
