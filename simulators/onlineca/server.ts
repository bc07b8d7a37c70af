import { createHash, createPublicKey, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import { readBody as readBoundedBody } from '../shared/read-body';
import { CsrError, issueCertificate, type CaMaterial } from './ca';
import { TrustRootsFormat, type Faults, type Fixture, type User } from './fixture';
import type { RequestLog } from './request-log';
import { encodeTrustRoots, type TrustRootFile } from './trust-roots';

/** URL paths (the spec names none); the same as the reference Online CA service deployments use. */
export const TRUST_ROOTS_PATH = '/onlineca/trustroots/';
export const CERTIFICATE_PATH = '/onlineca/certificate/';

const MAX_BODY = 64 * 1024;

/** Mutable run-time state shared with the control endpoint. */
export interface SimState {
  fixture: Fixture;
  faults: Faults;
  users: Map<string, User>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** At most MAX_BODY bytes; the spec answers errors in the format of a request with 405, a too-large body too. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return readBoundedBody(req, { maxBytes: MAX_BODY, tooLarge: (message) => new HttpError(405, message) });
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

function authenticate(req: IncomingMessage, state: SimState): User {
  const challenge = { 'WWW-Authenticate': `Basic realm="${state.fixture.realm.replace(/["\\]/g, '')}"` };
  const header = req.headers.authorization ?? '';
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) throw new HttpError(401, 'authentication required', challenge);
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new HttpError(401, 'malformed Basic credentials', challenge);
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const user = state.users.get(username);
  // Compare digests so the time taken says nothing about how much of the password matched.
  const ok = user !== undefined && timingSafeEqual(digest(user.password), digest(password));
  if (!ok || !user) throw new HttpError(401, `invalid username or password for "${username}"`, challenge);
  return user;
}

function extractCsr(body: Buffer, contentType: string | undefined): string {
  const text = body.toString('utf8');
  // The spec says "PEM in HTTP message body"; deployed clients send it as the certificate_request form field.
  if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const field = new URLSearchParams(text).get('certificate_request');
    if (!field) throw new HttpError(405, 'no certificate_request field in the form body');
    return field;
  }
  if (!text.includes('-----BEGIN CERTIFICATE REQUEST-----')) {
    throw new HttpError(405, 'body is neither a certificate_request form nor a PEM certificate request');
  }
  return text;
}

export interface ServerDeps {
  material: CaMaterial;
  trustRoots: TrustRootFile[];
  state: SimState;
  log: RequestLog;
}

export function createOnlineCaServer(deps: ServerDeps): https.Server {
  const { material, state, log } = deps;
  const otherKeyPem = createPublicKey(material.rogueKeyPem).export({ type: 'spki', format: 'pem' }).toString();

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<{ status: number; user?: string; fault?: string; detail?: string }> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const route = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    const faults = state.faults;
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));

    if (route === TRUST_ROOTS_PATH) {
      if (req.method !== 'GET') throw new HttpError(405, 'use GET for trust roots', { Allow: 'GET' });
      if (faults.trustRoots === 'error500') throw new HttpError(500, 'injected server error (trust roots)');
      const requested = url.searchParams.get('format');
      const format = requested ? TrustRootsFormat.safeParse(requested) : undefined;
      if (format && !format.success) throw new HttpError(405, `unknown format "${requested}"; use documented or lines`);
      const body = encodeTrustRoots(deps.trustRoots, format?.data ?? state.fixture.trustRootsFormat, faults.trustRoots);
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return { status: 200, fault: faults.trustRoots === 'none' ? undefined : faults.trustRoots };
    }

    if (route === CERTIFICATE_PATH) {
      if (req.method !== 'POST') throw new HttpError(405, 'use POST for certificate requests', { Allow: 'POST' });
      const user = authenticate(req, state);
      const body = await readBody(req);
      if (faults.certificate === 'error500') throw new HttpError(500, 'injected server error (certificate)');
      if (faults.certificate === 'busy503') throw new HttpError(503, 'injected: busy', { 'Retry-After': '120' });
      if (faults.certificate === 'reject-csr')
        throw new HttpError(405, 'injected fault: error parsing certificate signing request');
      const csrPem = extractCsr(body, req.headers['content-type']);
      let certPem: string;
      try {
        certPem = issueCertificate(material, csrPem, {
          username: user.username,
          lifetimeSeconds: user.lifetimeSeconds ?? state.fixture.defaultLifetimeSeconds,
          signer: faults.certificate === 'unchained' ? 'rogue' : 'issuing',
          replacePublicKeyPem: faults.certificate === 'wrong-key' ? otherKeyPem : undefined,
        });
      } catch (err) {
        if (err instanceof CsrError) throw new HttpError(405, err.message);
        throw err;
      }
      if (faults.certificate === 'malformed')
        certPem = '-----BEGIN CERTIFICATE-----\nThis*is not!a certificate\n-----END CERTIFICATE-----\n';
      res.writeHead(200, { 'Content-Type': 'application/x-pem-file', 'Content-Length': Buffer.byteLength(certPem) });
      res.end(certPem);
      return { status: 200, user: user.username, fault: faults.certificate === 'none' ? undefined : faults.certificate };
    }
    throw new HttpError(404, `no such endpoint ${url.pathname}; use ${TRUST_ROOTS_PATH} or ${CERTIFICATE_PATH}`);
  }

  return https.createServer(
    { key: material.serverKeyPem, cert: material.serverCertPem + material.issuingCertPem },
    (req, res) => {
      const started = Date.now();
      handle(req, res)
        .catch((err: unknown) => {
          const e = err instanceof HttpError ? err : new HttpError(500, `internal error: ${(err as Error).message}`);
          if (!res.headersSent) {
            res.writeHead(e.status, { 'Content-Type': 'text/plain; charset=utf-8', ...e.headers });
            res.end(`${e.message}\n`);
          }
          return { status: e.status, detail: e.message };
        })
        .then((r) => {
          log.add({
            time: new Date(started).toISOString(),
            method: req.method ?? '?',
            path: req.url ?? '',
            ms: Date.now() - started,
            ...r,
          });
        })
        .catch(() => undefined);
    },
  );
}
