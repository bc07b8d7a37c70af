import type { IncomingMessage } from 'node:http';
import type { SimContext } from './context';
import { parseCookies } from './http-util';
import { authentication, authRequirements, changePassword } from './rcdp-auth';
import { cert, certScrapingSettings, csrRequirements, lastMessages, smbCerts, storeCerts } from './rcdp-service';
import { tpmAttestation } from './tpm-attestation';
import { badRequest, ERR, ok, rcdpError, type Reply } from './reply';
import type { Phase, Session } from './sessions';
import { atLeast, compareVersions, FEATURES, has, parseVersion } from './versions';

type Handler = (ctx: SimContext, s: Session, p: Record<string, string>) => Reply | Promise<Reply>;

interface ActionSpec {
  handler: Handler;
  /** Phases in which the action is allowed. */
  phases: Phase[];
  /** Minimum protocol version. */
  since?: string;
  /** Allowed methods for a version. */
  methods: (version: string) => string[];
}

const GET = () => ['GET'];
const POST = () => ['POST'];
// Before 2.3.0 authentication and change-password were GET requests (2.3.2 document, 2.7.2).
const authMethods = (v: string) => (has(v, 'post') ? ['POST'] : ['GET']);
// Server-generated certs were a GET in the 2.3.2 document; the 2.8.3 one (and CSR submission from 2.2.0) uses POST.
const certMethods = (v: string) => [...(has(v, 'getCertUntil') ? ['GET'] : []), ...(atLeast(v, FEATURES.csr) ? ['POST'] : [])];
const AUTHED: Phase[] = ['authenticated'];

const ACTIONS: Record<string, ActionSpec> = {
  handshake: { handler: handshake, phases: ['hello'], methods: GET },
  'auth-requirements': { handler: authRequirements, phases: ['handshake', 'auth', 'authenticated'], methods: GET },
  authentication: { handler: authentication, phases: ['auth', 'authenticated'], methods: authMethods },
  'change-password': { handler: changePassword, phases: ['auth', 'authenticated'], methods: authMethods },
  'last-messages': { handler: lastMessages, phases: AUTHED, methods: GET },
  cert: { handler: cert, phases: AUTHED, methods: certMethods },
  'csr-requirements': { handler: csrRequirements, phases: AUTHED, since: FEATURES.csr, methods: GET },
  'tpm-attestation': { handler: tpmAttestation, phases: AUTHED, since: FEATURES.tpmAttestation, methods: POST },
  'store-certs': { handler: storeCerts, phases: AUTHED, since: FEATURES.storeCerts, methods: POST },
  smbcerts: { handler: smbCerts, phases: AUTHED, since: FEATURES.smbCerts, methods: POST },
  'cert-scraping-settings': { handler: certScrapingSettings, phases: AUTHED, since: FEATURES.certScraping, methods: GET },
};

export interface RcdpRoute {
  version?: string;
  action: string;
}

/** "/rcdp/2.8.3/cert" → {version, action}; "/rcdp/cert" → versionless. */
export function parseRcdpPath(pathname: string): RcdpRoute | null {
  const parts = pathname.split('/').filter(Boolean);
  // The 2.3.2 document also spells the cert path /rdp/<version>/cert; accept both.
  if (parts[0] !== 'rcdp' && parts[0] !== 'rdp') return null;
  if (parts.length === 2) return { action: parts[1]! };
  if (parts.length === 3) return { version: parts[1]!, action: parts[2]! };
  return null;
}

function hello(ctx: SimContext, route: RcdpRoute): Reply {
  const { maxRcdpVersion: max, minRcdpVersion: min } = ctx.fixture.server;
  const proposed = route.version ?? max;
  const pv = parseVersion(proposed);
  if (!pv || pv[0] !== 2)
    return rcdpError(ERR.incompatibleVersion, `RCDP version "${proposed}" is not supported; this server speaks ${min}–${max}`);
  if (compareVersions(proposed, min) < 0)
    return rcdpError(ERR.incompatibleVersion, `RCDP ${proposed} is too old; this server needs at least ${min}`);
  // The server proposes the caller's version when it knows it, otherwise its own latest.
  const version = compareVersions(proposed, max) > 0 ? max : proposed;
  const s = ctx.sessions.create(version);
  return {
    ...ok({ status: 'hello', version }),
    headers: { 'set-cookie': `keytalkcookie=${s.id}; Path=/; Secure; HttpOnly` },
    session: s.id,
  };
}

function handshake(ctx: SimContext, s: Session, p: Record<string, string>): Reply {
  const callerUtc = p['caller-utc'];
  if (!callerUtc) return badRequest('parameter "caller-utc" is required');
  const t = Date.parse(callerUtc);
  if (Number.isNaN(t)) return badRequest('caller-utc is not an ISO 8601 date-time');
  const diff = Math.round((t - Date.now()) / 1000);
  if (Math.abs(diff) > ctx.fixture.server.maxClockSkewSeconds) return rcdpError(ERR.timeOutOfSync, String(diff));
  s.phase = 'handshake';
  return ok({ status: 'handshake', 'server-utc': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') });
}

/** Dispatch one RCDP request. Never throws for client mistakes: those become replies. */
export async function handleRcdp(
  ctx: SimContext,
  req: IncomingMessage,
  route: RcdpRoute,
  params: Record<string, string>,
): Promise<Reply> {
  const { maxRcdpVersion: max } = ctx.fixture.server;
  if (!route.version && compareVersions(max, FEATURES.versionless) < 0) {
    return {
      ...badRequest(`versionless RCDP paths need a server with RCDP ${FEATURES.versionless} or later (this one: ${max})`, 404),
    };
  }
  if (route.version !== undefined && !parseVersion(route.version))
    return badRequest(`"${route.version}" is not an RCDP version`, 404);
  if (route.action === 'hello') return hello(ctx, route);

  const cookie = parseCookies(req.headers.cookie).keytalkcookie;
  const s = ctx.sessions.get(cookie);
  if (route.action === 'eoc' || route.action === 'error') {
    if (s) ctx.sessions.end(s.id);
    return {
      ...ok({ status: 'eoc', ...(route.action === 'error' ? { reason: 'error received' } : {}) }),
      ...(s ? { session: s.id } : {}),
    };
  }
  const spec = ACTIONS[route.action];
  if (!spec) return badRequest(`unknown RCDP action "${route.action}"`, 404);
  if (!s)
    return badRequest(cookie ? 'session expired or unknown: start again with hello' : 'no keytalkcookie: start with hello', 401);
  const tag = (r: Reply): Reply => ({ ...r, session: s.id });
  const version = route.version ?? s.version;
  if (version !== s.version) return tag(badRequest(`request uses RCDP ${version} but the session agreed on ${s.version}`));
  if (spec.since && !atLeast(version, spec.since))
    return tag(badRequest(`action "${route.action}" does not exist in RCDP ${version} (since ${spec.since})`, 404));
  const methods = spec.methods(version);
  if (!methods.includes(req.method ?? 'GET')) {
    return tag({
      ...badRequest(`${req.method} ${route.action} is not allowed in RCDP ${version}; use ${methods.join(' or ')}`, 405),
      headers: { allow: methods.join(', ') },
    });
  }
  if (!spec.phases.includes(s.phase)) {
    return tag(
      badRequest(`"${route.action}" is not allowed now (session phase: ${s.phase}; allowed in: ${spec.phases.join(', ')})`, 409),
    );
  }
  return tag(await spec.handler(ctx, s, params));
}
