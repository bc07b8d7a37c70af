import { X509Certificate } from 'node:crypto';
import type http from 'node:http';
import { splitPemBlocks } from '../crypto/cert-info';
import { httpRequest } from '../rcdp/http';

/**
 * Every store gets leaf + chain, whatever the server sent. RCDP 2.7.2 returns the chain "when available"; the
 * 2.3.2 document's servers only when asked (`include-chain`, "Request the entire certificate chain including
 * subordinate and root CAs"). A reply without the intermediates is completed from the CAs the RCCD carries
 * and, where those lack one, from the server's CA API (section 6: /ca/<version>/{signing,primary,root,
 * extrasigning}). Each link is checked cryptographically (issuer name and signature), so a CA from anywhere
 * can only end up in the chain if it really issued the certificate below it.
 */
export interface ChainSources {
  /** The RCCD's CA certificates (PEM). */
  rccdCas: string[];
  /** The server's CA API, asked only when the RCCD's CAs do not complete the chain. */
  caApi?: () => Promise<string[]>;
}

const MAX_DEPTH = 8;

function parse(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

// X509Certificate.checkIssued(other): "was this certificate issued by other".
const selfSigned = (c: X509Certificate) => c.checkIssued(c) && c.verify(c.publicKey);

/** Walk from the leaf up through `pool`; the path (issuer first, root last) and whether it ends at a root. */
export function buildChain(leafPem: string, pool: string[]): { chainPem: string[]; complete: boolean } {
  const leaf = parse(leafPem);
  if (!leaf) return { chainPem: [], complete: false };
  const certs = pool.flatMap((pem) => {
    const c = parse(pem);
    return c ? [{ pem: c.toString(), cert: c }] : [];
  });
  const path: string[] = [];
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (selfSigned(current)) return { chainPem: path, complete: true };
    const issuer = certs.find(
      (c) =>
        !path.includes(c.pem) &&
        c.cert.fingerprint256 !== current.fingerprint256 &&
        current.checkIssued(c.cert) &&
        current.verify(c.cert.publicKey),
    );
    if (!issuer) return { chainPem: path, complete: false };
    path.push(issuer.pem);
    current = issuer.cert;
  }
  return { chainPem: path, complete: false };
}

/** The issued chain completed up to a root where the sources allow; the server's own chain is kept otherwise. */
export async function completeChain(leafPem: string, sentChain: string[], sources: ChainSources): Promise<string[]> {
  let built = buildChain(leafPem, [...sentChain, ...sources.rccdCas]);
  if (!built.complete && sources.caApi) {
    const fetched = await sources.caApi().catch(() => []);
    built = buildChain(leafPem, [...sentChain, ...sources.rccdCas, ...fetched]);
  }
  // Certificates the server sent that are not on the path (a cross-certificate, say) stay after it.
  const normalized = new Set(built.chainPem);
  const extra = sentChain.filter((pem) => {
    const c = parse(pem);
    return c && !normalized.has(c.toString());
  });
  return built.chainPem.length ? [...built.chainPem, ...extra] : sentChain;
}

/** CA API section 6.2.1 over the provider's TLS trust: 1.0.0 paths (every server since 5.3.1), extra signing CAs from 1.0.2. */
export function caApiFetcher(server: string, agent: http.Agent, timeoutMs = 15_000): () => Promise<string[]> {
  return async () => {
    const paths = ['/ca/1.0.0/signing', '/ca/1.0.0/primary', '/ca/1.0.0/root', '/ca/1.0.2/extrasigning'];
    const replies = await Promise.all(
      paths.map((p) =>
        httpRequest({ url: new URL(p, `https://${server}`), method: 'GET', agent, timeoutMs, action: 'CA API' }).catch(
          () => undefined,
        ),
      ),
    );
    return replies.flatMap((r) => (r && r.status === 200 ? splitPemBlocks(r.body.toString('utf8'), 'CERTIFICATE') : []));
  };
}
