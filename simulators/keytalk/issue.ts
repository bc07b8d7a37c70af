import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { buildPkcs12, issueLeafCertificate, parseCsr, type IssuedCertificate, type SubjectFields } from '../pki/index';
import type { SimContext } from './context';
import type { ServiceConfig, UserConfig } from './fixture';

export type CertFormat = 'PEM' | 'P12' | 'P12v2';

/** Subject of a user certificate: service template, then the user's own fields, CN = USERID by default. */
export function userSubject(service: ServiceConfig, user: UserConfig, overrides: { cn?: string } = {}): SubjectFields {
  return {
    ...(service.cert.subject ?? {}),
    ...(user.subject ?? {}),
    cn: overrides.cn ?? user.subject?.cn ?? service.cert.subject?.cn ?? user.id,
    ...(user.email ? { e: user.email } : {}),
  };
}

export function userSan(service: ServiceConfig, user: UserConfig, computerName: string | undefined): string[] {
  const fill = (t: string) =>
    t
      .replace(/\$\(USERID\)/g, user.id)
      .replace(/\$\(EMAIL\)/g, user.email ?? user.id)
      .replace(/\$\(COMPUTER\)/g, computerName ?? '');
  if (service.cert.san) return service.cert.san.map(fill).filter((s) => !/:\s*$/.test(s));
  return user.email ? [`email:${user.email}`] : [];
}

export interface Issued {
  cert: IssuedCertificate;
  privateKey?: KeyObject;
}

/** Issue a server-generated certificate with a fresh key from the pool. */
export async function issueServerGenerated(
  ctx: SimContext,
  subject: SubjectFields,
  san: string[],
  lifetimeSeconds: number,
): Promise<Issued> {
  const { privateKey, publicKey } = await ctx.keyPool.take();
  const cert = issueLeafCertificate(ctx.pki.signing, {
    subject,
    publicKey,
    lifetimeSeconds,
    san,
    extKeyUsage: ['clientAuth', 'emailProtection'],
  });
  return { cert, privateKey };
}

/** The chain sent with a user certificate: leaf, signing CA, primary CA (the root is the trust anchor). */
export function chainDer(ctx: SimContext, leaf: Buffer, includeChain: boolean): Buffer[] {
  return includeChain ? [leaf, ctx.pki.signing.certDer, ctx.pki.primary.certDer] : [leaf];
}

/** Password for keys and P12s: the first 30 characters of the session's keytalkcookie. */
export const packagePassword = (sessionId: string): string => sessionId.slice(0, 30);

/**
 * Package certificate + key in the requested format. PEM: chain then the PKCS#8 key encrypted (PBES2/3DES as in
 * the spec's example). P12: legacy RC2/3DES. P12v2: AES-256. Returns the JSON value (P12 base64) and raw bytes.
 */
export function packageCert(
  ctx: SimContext,
  issued: Issued,
  format: CertFormat,
  password: string,
  includeChain: boolean,
  friendlyName?: string,
): { json: string; raw: Buffer; contentType: string } {
  const chain = chainDer(ctx, issued.cert.der, includeChain);
  if (format === 'PEM') {
    const certs = chain.map((d) => toPem(d)).join('');
    const key = issued.privateKey
      ? issued.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'des-ede3-cbc', passphrase: password }).toString()
      : '';
    const text = certs + key;
    return { json: text, raw: Buffer.from(text), contentType: 'application/x-pem-file' };
  }
  if (!issued.privateKey) throw new Error('a PKCS#12 needs the private key');
  const p12 = buildPkcs12(issued.privateKey, chain, {
    flavour: format === 'P12' ? 'legacy' : 'aes256',
    password,
    ...(friendlyName ? { friendlyName } : {}),
  });
  return { json: p12.toString('base64'), raw: p12, contentType: 'application/x-pkcs12' };
}

function toPem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/** Register a one-shot out-of-band download and return the URL template with $(KEYTALK_SVR_HOST). */
export function registerOob(ctx: SimContext, body: Buffer, contentType: string): string {
  const token = randomBytes(16).toString('hex');
  ctx.oob.set(token, { body, contentType, expires: Date.now() + ctx.fixture.server.oobTtlSeconds * 1000 });
  return `${ctx.fixture.server.oobScheme}://$(KEYTALK_SVR_HOST)/cert/?${token}`;
}

/** Check a CSR against the service's csr-requirements; returns the problem or null. */
export function csrViolation(
  service: ServiceConfig,
  required: { subject: SubjectFields; san: string[] },
  csrPem: string,
): { error: string } | { csr: ReturnType<typeof parseCsr> } {
  let csr: ReturnType<typeof parseCsr>;
  try {
    csr = parseCsr(csrPem);
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (csr.keyType === 'rsa' && csr.keySize < service.cert.keySize)
    return { error: `CSR key is ${csr.keySize} bits; at least ${service.cert.keySize} required` };
  if (service.cert.signingAlgo && csr.signingAlgo !== service.cert.signingAlgo.toLowerCase()) {
    return { error: `CSR is signed with ${csr.signingAlgo}; ${service.cert.signingAlgo} required` };
  }
  const want = required.subject;
  const got = csr.subject;
  for (const k of ['cn', 'c', 'st', 'l', 'o', 'e'] as const) {
    const w = want[k];
    if (w && got[k] !== w) return { error: `CSR subject ${k} is "${got[k] ?? ''}"; "${w}" required` };
  }
  const wantOus = want.ous?.filter(Boolean) ?? [];
  if (wantOus.length && JSON.stringify([...(got.ous ?? [])].sort()) !== JSON.stringify([...wantOus].sort())) {
    return { error: `CSR subject OUs are [${(got.ous ?? []).join(', ')}]; [${wantOus.join(', ')}] required` };
  }
  const norm = (s: string) => {
    const i = s.indexOf(':');
    return `${s.slice(0, i).toLowerCase()}:${s.slice(i + 1)}`;
  };
  const gotSan = new Set(csr.san.map(norm));
  for (const s of required.san) {
    if (/:\s*$/.test(s)) continue;
    if (!gotSan.has(norm(s))) return { error: `CSR lacks required SAN ${s}` };
  }
  return { csr };
}

export const sha1Hex = (der: Buffer): string => createHash('sha1').update(der).digest('hex');
