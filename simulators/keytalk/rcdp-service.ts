import { createHash, createPrivateKey, createPublicKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { issueLeafCertificate, type SubjectFields } from '../pki/index';
import { findService, findUser, userRuntime, type ServiceRef, type SimContext } from './context';
import type { UserConfig } from './fixture';
import { parseBool, parseJsonParam } from './http-util';
import {
  csrViolation,
  issueServerGenerated,
  packageCert,
  packagePassword,
  registerOob,
  sha1Hex,
  userSan,
  userSubject,
  type CertFormat,
  type Issued,
} from './issue';
import { badRequest, ERR, ok, rcdpError, type Reply } from './reply';
import type { Session } from './sessions';
import { tpmEvidenceProblem } from './tpm-attestation';
import { has } from './versions';

function authedRefs(ctx: SimContext, s: Session): { ref: ServiceRef; user: UserConfig } | Reply {
  const ref = findService(ctx, s.service);
  const user = ref ? findUser(ctx, ref.provider, s.userId) : undefined;
  if (!ref || !user) return badRequest('session has no authenticated user', 409);
  return { ref, user };
}

/** 2.7.1 last-messages: server-wide plus the user's own, optionally from a UTC on. */
export function lastMessages(ctx: SimContext, s: Session, p: Record<string, string>): Reply {
  const from = p['from-utc'] ? Date.parse(p['from-utc']) : NaN;
  if (p['from-utc'] && Number.isNaN(from)) return badRequest('from-utc is not an ISO 8601 date-time');
  const all = [...ctx.serverMessages, ...(s.userId ? (ctx.userMessages.get(s.userId) ?? []) : [])]
    .filter((m) => Number.isNaN(from) || Date.parse(normalizeUtc(m.utc)) > from)
    .sort((a, b) => Date.parse(normalizeUtc(a.utc)) - Date.parse(normalizeUtc(b.utc)));
  return ok({ status: 'last-messages', messages: all.map((m) => ({ text: m.text, utc: m.utc })) });
}

/** The spec's examples write "+0000"; Date.parse wants "+00:00". */
function normalizeUtc(u: string): string {
  return u.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
}

/** Subject and SANs a CSR must carry (csr-requirements). */
function csrRequirementsFor(ref: ServiceRef, user: UserConfig, s: Session): { subject: SubjectFields; san: string[] } {
  const subject: SubjectFields = ref.service.cert.csrSubject ?? userSubject(ref.service, user);
  const san = ref.service.cert.csrSan ?? userSan(ref.service, user, s.computerName);
  return { subject, san };
}

/** 2.7.3 csr-requirements. */
export function csrRequirements(ctx: SimContext, s: Session): Reply {
  const a = authedRefs(ctx, s);
  if ('status' in a) return a;
  const req = csrRequirementsFor(a.ref, a.user, s);
  const subj: Record<string, unknown> = {};
  for (const k of ['cn', 'c', 'st', 'l', 'o', 'e'] as const) if (req.subject[k] !== undefined) subj[k] = req.subject[k];
  const ous = req.subject.ous ?? [];
  // As of server 7.7.11 a multi-value "ous" replaced the single "ou".
  if (has(s.version, 'csrOus')) {
    if (ous.length) subj.ous = ous;
  } else if (ous.length) {
    subj.ou = ous[0];
  }
  return ok({
    status: 'csr-requirements',
    'key-size': String(a.ref.service.cert.keySize),
    'signing-algo': a.ref.service.cert.signingAlgo,
    subject: subj,
    ...(has(s.version, 'csrSan') && req.san.length ? { san: req.san } : {}),
  });
}

interface CertRequestState {
  format?: CertFormat;
  csr?: string;
}

/** 2.7.2 / 2.7.5 cert: server-generated or from a CSR, with the multi-request flows of the spec. */
export async function cert(ctx: SimContext, s: Session, p: Record<string, string>): Promise<Reply> {
  const a = authedRefs(ctx, s);
  if ('status' in a) return a;
  const { ref, user } = a;
  const { service } = ref;
  const v = s.version;
  const req: CertRequestState = {};
  if (p.csr !== undefined) {
    if (!has(v, 'csr')) return badRequest(`CSR signing needs RCDP 2.2.0 or later (session is ${v})`);
    req.csr = p.csr;
  } else {
    const f = p.format;
    if (f !== 'PEM' && f !== 'P12' && f !== 'P12v2') return badRequest('parameter "format" must be "PEM", "P12" or "P12v2"');
    if (f === 'P12v2' && !has(v, 'p12v2')) return badRequest(`format P12v2 is not known in RCDP ${v}`);
    req.format = f;
  }
  const oob = parseBool(p['out-of-band']);
  if (oob && !has(v, 'outOfBand')) return badRequest(`out-of-band needs RCDP 2.1.0 or later (session is ${v})`);

  // Multi-request flows: a cookie from a previous submitted/in-progress/cert-challenge reply.
  const cookie = parseJsonParam<{ name?: string; value?: string }>(p, 'cookie');
  const rt = userRuntime(ctx, user);
  const approvalKey = service.name;
  if (service.cert.approverEmails?.length) {
    const response = parseJsonParam<{ type?: string; data?: string }>(p, 'response');
    if (!response) {
      const value = randomBytes(8).toString('hex');
      s.pendingCert = { cookie: value, polls: 0, kind: 'challenge', params: p };
      return ok({
        status: 'cert-challenge',
        'challenge-type': 'select-globalsign-domainssl-approver-email',
        'challenge-data': Buffer.from(JSON.stringify(service.cert.approverEmails)).toString('base64'),
        cookie: { name: 'cert-challenge', value },
      });
    }
    if (!cookie || s.pendingCert?.kind !== 'challenge' || cookie.value !== s.pendingCert.cookie)
      return badRequest('cert response without the cert-challenge cookie');
    const email = Buffer.from(String(response.data ?? ''), 'base64').toString('utf8');
    if (response.type !== 'select-globalsign-domainssl-approver-email' || !service.cert.approverEmails.includes(email)) {
      return badRequest(`"${email}" is not one of the approver emails offered`);
    }
    delete s.pendingCert;
    await ctx.outbox.send({
      to: email,
      subject: `Approve certificate for ${user.id}`,
      kind: 'approval',
      body: `Please approve the certificate request of ${user.id}.`,
      data: { user: user.id, service: service.name },
    });
  }
  if (service.cert.submittedPolls > 0) {
    if (!cookie) {
      const value = randomBytes(8).toString('hex');
      s.pendingCert = { cookie: value, polls: 0, kind: 'submitted', params: p };
      return ok({
        status: 'submitted',
        cookie: { name: 'request-id', value },
        details: 'Certificate request submitted to the CA',
      });
    }
    if (s.pendingCert?.kind !== 'submitted' || cookie.value !== s.pendingCert.cookie) return badRequest('unknown cert cookie');
    s.pendingCert.polls += 1;
    if (s.pendingCert.polls < service.cert.submittedPolls) {
      return ok({
        status: 'in-progress',
        cookie: { name: 'request-id', value: s.pendingCert.cookie },
        details: `Waiting for the CA (${s.pendingCert.polls}/${service.cert.submittedPolls})`,
      });
    }
    delete s.pendingCert;
  }
  if (service.cert.pendingApprovalPolls > 0 && !rt.approved.has(approvalKey)) {
    const polls = rt.approvalPolls.get(approvalKey) ?? 0;
    rt.approvalPolls.set(approvalKey, polls + 1);
    if (polls < service.cert.pendingApprovalPolls) return ok({ status: 'pending-approval', 'approval-ongoing': polls > 0 });
    rt.approved.add(approvalKey);
  }

  if (service.maxLicensedUsers !== undefined) {
    const licensed = ctx.registry.licensedUsers(service.name);
    if (!licensed.has(user.id) && licensed.size >= service.maxLicensedUsers)
      return rcdpError(ERR.maxLicensedUsers, `${service.maxLicensedUsers} licensed users reached`);
  }

  // Subject customisation (Public API cn-customization-policy tells the caller which form is honoured).
  let cn: string | undefined;
  if (service.cert.cnCustomizationPolicy === 'ALLOWED' && p['common-name']) cn = p['common-name'];
  if (
    service.cert.cnCustomizationPolicy === 'ALLOWED-AS-GIVENNAME_SURNAME' &&
    has(v, 'givenNameSurname') &&
    (p['given-name'] || p.surname)
  ) {
    cn = [p['given-name'], p.surname].filter(Boolean).join(' ');
  }
  const san = userSan(service, user, s.computerName);
  if (has(v, 'sanDomains') && p['san-domains']) {
    const extra = parseJsonParam<unknown>(p, 'san-domains');
    if (!Array.isArray(extra) || !extra.every((d) => typeof d === 'string' && /^[A-Za-z0-9*.-]+$/.test(d)))
      return badRequest('san-domains must be a JSON array of domain names');
    for (const d of extra as string[]) san.push(`DNS:${d}`);
  }
  // 2.3.2 document: the chain only with include-chain; 2.8.3 document: always, "when available".
  const includeChain = ctx.fixture.server.chainAvailable && (has(v, 'csrSan') ? true : parseBool(p['include-chain']));
  const lifetime = Math.min(service.cert.lifetime, rt.lifetimeOverride ?? Infinity);

  let issued: Issued;
  let reply: Record<string, unknown>;
  let tpmAttested = false;
  if (req.csr !== undefined) {
    const check = csrViolation(service, csrRequirementsFor(ref, user, s), req.csr);
    if ('error' in check) return badRequest(`CSR rejected: ${check.error}`);
    // 2.7.5: with attestation in effect the evidence is checked before the CSR is signed; nothing is issued without it.
    if (service.useTpmVsc === 'yes-with-attestation' && has(v, 'tpmAttestation')) {
      const problem = await tpmEvidenceProblem(s, p, check.csr.publicKey);
      if (problem) return badRequest(`TPM attestation failed: ${problem}`);
      tpmAttested = true;
    }
    const subject = { ...check.csr.subject, ...(cn ? { cn } : {}) };
    const certIssued = issueLeafCertificate(ctx.pki.signing, {
      subject,
      publicKey: check.csr.publicKey,
      lifetimeSeconds: lifetime,
      san: [...new Set([...check.csr.san, ...san.filter((x) => !check.csr.san.includes(x))])],
      extKeyUsage: ['clientAuth', 'emailProtection'],
    });
    issued = { cert: certIssued };
    const chainPem = [certIssued.pem, ...(includeChain ? [ctx.pki.signing.certPem, ctx.pki.primary.certPem] : [])].join('');
    reply = oob ? { 'cert-url-templ': registerOob(ctx, Buffer.from(chainPem), 'application/x-pem-file') } : { cert: chainPem };
  } else {
    issued = await issueServerGenerated(ctx, userSubject(service, user, cn ? { cn } : {}), san, lifetime);
    const pkg = packageCert(ctx, issued, req.format!, packagePassword(s.id), includeChain, user.id);
    reply = oob ? { 'cert-url-templ': registerOob(ctx, pkg.raw, pkg.contentType) } : { cert: pkg.json };
  }
  const history = ctx.registry.forUser(user.id, service.name).filter((r) => !r.smb);
  ctx.registry.add(
    {
      serial: issued.cert.serialHex,
      sha1: issued.cert.sha1,
      userId: user.id,
      service: service.name,
      ...(s.computerName ? { computerName: s.computerName } : {}),
      ...(s.hwsig ? { hwsig: s.hwsig } : {}),
      pem: issued.cert.pem,
      notBefore: issued.cert.notBefore.toISOString(),
      notAfter: issued.cert.notAfter.toISOString(),
      issuedAt: new Date().toISOString(),
      ...(tpmAttested ? { tpmAttested: true } : {}),
    },
    issued.privateKey,
  );

  const c = service.cert;
  reply['execute-sync'] = c.executeSync;
  if (has(v, 'csrSan')) reply['store-to-system'] = c.storeToSystem;
  if (c.addressBooks) {
    reply['apply-address-books'] = true;
    reply['address-books'] = c.addressBooks;
  }
  if (c.applySmimeSettings !== undefined) reply['apply-smime-settings'] = c.applySmimeSettings;
  if (c.setDisclaimer !== undefined) reply['set-disclaimer'] = c.setDisclaimer;
  if (c.historicalCerts && req.format) {
    const past = history
      .map((r) => ({ r, key: ctx.registry.keyOf(r.serial) }))
      .filter((x): x is { r: typeof x.r; key: KeyObject } => !!x.key);
    const packaged = past.map(({ r, key }) =>
      packageCert(
        ctx,
        { cert: { der: new X509Certificate(r.pem).raw } as Issued['cert'], privateKey: key },
        req.format!,
        packagePassword(s.id),
        includeChain,
      ),
    );
    if (oob) {
      const { gzipSync } = await import('node:zlib');
      reply['historical-certs-url-templ'] = registerOob(
        ctx,
        gzipSync(Buffer.from(JSON.stringify(packaged.map((x) => x.json)))),
        'application/gzip',
      );
    } else {
      reply['historical-certs'] = packaged.map((x) => x.json);
    }
  }
  return ok({ status: 'cert', ...reply });
}

/** 2.7.6 store-certs: each certificate with its matching private key is stored, the rest skipped. */
export function storeCerts(ctx: SimContext, s: Session, p: Record<string, string>): Reply {
  const a = authedRefs(ctx, s);
  if ('status' in a) return a;
  const text = p.certificates;
  if (!text) return badRequest('parameter "certificates" is required');
  const certs = [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => m[0]);
  const keys: KeyObject[] = [];
  for (const m of text.matchAll(/-----BEGIN (RSA |EC )?PRIVATE KEY-----[\s\S]*?-----END (RSA |EC )?PRIVATE KEY-----/g)) {
    try {
      keys.push(createPrivateKey(m[0]));
    } catch {
      // an unreadable key matches nothing; its certificate ends up skipped
    }
  }
  const spkis = keys.map((k) => createPublicKey(k).export({ type: 'spki', format: 'der' }));
  const stored: string[] = [];
  const skipped: string[] = [];
  for (const pem of certs) {
    let x: X509Certificate;
    try {
      x = new X509Certificate(pem);
    } catch {
      continue;
    }
    const fp = sha1Hex(x.raw);
    const spki = x.publicKey.export({ type: 'spki', format: 'der' });
    if (spkis.some((k) => k.equals(spki))) stored.push(fp);
    else skipped.push(fp);
  }
  const list = ctx.storedCerts.get(a.user.id) ?? [];
  list.push(...stored);
  ctx.storedCerts.set(a.user.id, list);
  ctx.storeCertsReceived.push({ time: new Date().toISOString(), user: a.user.id, service: a.ref.service.name, stored, skipped });
  return ok({ status: 'store-certs', stored, skipped });
}

/** 2.7.7 smbcerts: a certificate per shared mailbox of the seat. */
export async function smbCerts(ctx: SimContext, s: Session, p: Record<string, string>): Promise<Reply> {
  const a = authedRefs(ctx, s);
  if ('status' in a) return a;
  const f = p.format;
  if (f !== 'PEM' && f !== 'P12' && f !== 'P12v2') return badRequest('parameter "format" must be "PEM", "P12" or "P12v2"');
  const oob = parseBool(p['out-of-band']);
  if (oob && !has(s.version, 'smbOutOfBand'))
    return badRequest(`out-of-band smbcerts needs RCDP 2.7.9 or later (session is ${s.version})`);
  const out: Record<string, unknown>[] = [];
  for (const upn of a.user.sharedMailboxes ?? []) {
    // Spec 2.7.7 "historical-certs": certificates previously issued for this mailbox, with their keys.
    const past = a.ref.service.cert.historicalCerts
      ? ctx.registry
          .forUser(a.user.id, a.ref.service.name)
          .filter((r) => r.smb === upn)
          .flatMap((r) => {
            const key = ctx.registry.keyOf(r.serial);
            if (!key) return [];
            const cert = { der: new X509Certificate(r.pem).raw } as Issued['cert'];
            return [packageCert(ctx, { cert, privateKey: key }, f, packagePassword(s.id), true, upn).json];
          })
      : [];
    const issued = await issueServerGenerated(ctx, { cn: upn, e: upn }, [`email:${upn}`], a.ref.service.cert.lifetime);
    ctx.registry.add(
      {
        serial: issued.cert.serialHex,
        sha1: issued.cert.sha1,
        userId: a.user.id,
        service: a.ref.service.name,
        smb: upn,
        pem: issued.cert.pem,
        notBefore: issued.cert.notBefore.toISOString(),
        notAfter: issued.cert.notAfter.toISOString(),
        issuedAt: new Date().toISOString(),
      },
      issued.privateKey,
    );
    const pkg = packageCert(ctx, issued, f, packagePassword(s.id), true, upn);
    const history = !past.length
      ? {}
      : oob
        ? {
            'historical-certs-url-templ': registerOob(
              ctx,
              (await import('node:zlib')).gzipSync(Buffer.from(JSON.stringify(past))),
              'application/gzip',
            ),
          }
        : { 'historical-certs': past };
    out.push({
      upn,
      ...(oob ? { 'cert-url-templ': registerOob(ctx, pkg.raw, pkg.contentType) } : { cert: pkg.json }),
      ...history,
    });
  }
  return ok({ status: 'smbcerts', smbcerts: out });
}

/** 2.7.8 cert-scraping-settings. */
export function certScrapingSettings(ctx: SimContext, s: Session): Reply {
  const a = authedRefs(ctx, s);
  if ('status' in a) return a;
  const c = a.ref.service.certScraping;
  return ok({
    status: 'cert-scraping-settings',
    schedule: c?.schedule ?? 'never',
    'cert-purposes': c?.certPurposes ?? [],
    'cert-store-types': c?.certStoreTypes ?? [],
  });
}

export const fingerprintOf = (pem: string): string => createHash('sha1').update(new X509Certificate(pem).raw).digest('hex');
