import { readFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import type { ServiceConfig } from './fixture';

type Mfa = NonNullable<ServiceConfig['mfa']>;

function getJson(url: string, caFile?: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.get(u, { ...(caFile ? { ca: readFileSync(caFile) } : {}), timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 300) return reject(new Error(`${url} answered HTTP ${res.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          reject(new Error(`${url} did not return JSON`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${url} timed out`)));
    req.on('error', reject);
  });
}

const jwksCache = new Map<string, { set: ReturnType<typeof createLocalJWKSet>; at: number }>();

async function keySet(mfa: Mfa): Promise<ReturnType<typeof createLocalJWKSet>> {
  let uri = mfa.jwksUri;
  if (!uri) {
    const conf = (await getJson(`${mfa.authority.replace(/\/$/, '')}/.well-known/openid-configuration`, mfa.caFile)) as {
      jwks_uri?: string;
    };
    if (!conf.jwks_uri) throw new Error(`authority ${mfa.authority} publishes no jwks_uri`);
    uri = conf.jwks_uri;
  }
  const hit = jwksCache.get(uri);
  if (hit && Date.now() - hit.at < 60_000) return hit.set;
  const jwks = (await getJson(uri, mfa.caFile)) as JSONWebKeySet;
  const set = createLocalJWKSet(jwks);
  jwksCache.set(uri, { set, at: Date.now() });
  return set;
}

/**
 * Validate an MFA access token submitted as OTP/MFA: signature against the authority's JWKS, audience = client-id,
 * not expired, all configured scopes granted, and (when the token names its user) issued to USERID.
 * Returns null when valid, otherwise the reason.
 */
export async function validateMfaToken(token: string, mfa: Mfa, userId: string | undefined): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, await keySet(mfa), { audience: mfa.audience ?? mfa.clientId });
    const granted = new Set<string>();
    for (const claim of [payload.scp, payload.scope]) {
      if (typeof claim === 'string') claim.split(/\s+/).forEach((s) => s && granted.add(s));
      else if (Array.isArray(claim)) claim.forEach((s) => typeof s === 'string' && granted.add(s));
    }
    const missing = mfa.scopes.filter((s) => !granted.has(s));
    if (missing.length) return `token lacks scope(s) ${missing.join(', ')}`;
    const claims = mfa.userClaim ? [mfa.userClaim] : ['preferred_username', 'email', 'upn'];
    for (const c of claims) {
      const v = payload[c];
      if (typeof v === 'string' && userId && v.toLowerCase() !== userId.toLowerCase())
        return `token ${c} "${v}" is not USERID "${userId}"`;
      if (typeof v === 'string') break;
    }
    return null;
  } catch (e) {
    return `token rejected: ${(e as Error).message}`;
  }
}
