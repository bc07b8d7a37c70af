import type { PeerCertificate } from 'node:tls';
import type { DoctorCheck } from '../ipc/doctor-contract';
import {
  formatFingerprint,
  parseBasicRealm,
  parseTrustRoots,
  readTrustRootPems,
  TRUST_ROOTS_LIMITS,
  type OnlineCaProviderRecord,
} from '../onlineca/index';
import { onlineCaFetch, type OnlineCaReply } from '../onlineca/http';
import { probeTls } from './tls-probe';
import { coreText, type CoreText } from '../model/core-text';
import { said, saidOf } from './doctor-text';
import { checkDns, checkTcp, errText, SKEW_WARN_SECONDS, type Check, type NetworkCheckOptions } from './network-checks';

/**
 * The doctor's lines for an Online CA provider (spec: online-ca-web-service.txt), in connection order like a
 * KeyTalk provider's: dns → tcp → tls → trust-roots → certificate-service → clock. The spec defines no health or
 * version call, only its two operations, so reachability is checked with those: Get Trust Roots (the one call
 * without credentials, verified against the CA this provider was trusted with) and Get Certificate without
 * credentials, which a working service answers 401 (the spec's "client not authorised"; it issues nothing — the
 * same probe `enroll` sends to learn the realm). The clock comes from the HTTP Date header of the trust roots reply
 * (RFC 9110 §6.6.1), the only time the service gives.
 */

const SOURCE = {
  nameHint: "check the provider's URL (keytalk-agent onlineca list)",
  refusedHint: "is the Online CA service running, and is the port in the provider's URL right?",
  onlineCa: true,
};

/** Codes of "the chain does not lead to a CA we trust": for an Online CA, the roots accepted at trust time. */
const FOREIGN_CA = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
]);

const MAX_PROBE_REPLY = 64 * 1024;

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 443) };
}

function trustWords(r: OnlineCaProviderRecord): CoreText {
  const t = r.trust!;
  const date = t.acceptedAt.slice(0, 10);
  const words = `the CA ${t.method === 'pin' ? 'pinned' : 'confirmed'} for ${r.name} on ${date}`;
  return coreText(t.method === 'pin' ? 'doctor.trusted-by-pin' : 'doctor.trusted-by-confirmed', words, { name: r.name, date });
}

const cnOf = (v: unknown) => (Array.isArray(v) ? v[0] : v) as string | undefined;

/** TLS against the stored trust roots only (not the OS store), as every call of app/onlineca/http.ts does. */
function checkTls(r: OnlineCaProviderRecord, caPems: string[], o: NetworkCheckOptions): Promise<Check> {
  const { host, port } = hostPort(r.url);
  // Node drops the peer certificate when verification fails; keep it to name the foreign certificate.
  let peer: PeerCertificate | undefined;
  return probeTls(
    {
      host,
      port,
      trust: { ca: caPems },
      trustedBy: trustWords(r),
      prepare: (socket) => socket.prependListener('secure', () => (peer = socket.getPeerCertificate())),
      failure: (err) => {
        const [subject, issuer] = [cnOf(peer?.subject?.CN) ?? '?', cnOf(peer?.issuer?.CN) ?? '?'];
        const fingerprint = formatFingerprint(peer?.fingerprint256?.replace(/:/g, '') ?? '?');
        const who = peer
          ? coreText('doctor.peer', `"${subject}", issued by "${issuer}", SHA-256 ${fingerprint}`, {
              subject,
              issuer,
              fingerprint,
            })
          : coreText('doctor.peer-unknown', 'its certificate');
        const trusted = trustWords(r);
        // The window's sentence says the fix in its own words (Settings → Providers), not the CLI's commands.
        return err.code && FOREIGN_CA.has(err.code)
          ? said(
              'doctor.tls-foreign-ca',
              `the TLS certificate of ${host} (${who.message}) does not chain to ${trusted.message} (${err.code}); it may not be the real Online CA. If its CA really changed, compare the new fingerprints with the CA's operator, then remove and add the provider again (keytalk-agent onlineca remove ${r.name}; onlineca add ${r.name} ${r.url})`,
              { host, peer: who, trustedBy: trusted, reason: err.code },
            )
          : said('doctor.tls-fail', `TLS with ${host}:${port} failed: ${errText(err)}`, { host, port, problem: errText(err) });
      },
    },
    o,
  );
}

/** Get Trust Roots (spec): 200 with a parsable list, the same CA certificates as accepted; the Date for the clock. */
async function checkTrustRoots(r: OnlineCaProviderRecord, caPems: string[], o: NetworkCheckOptions): Promise<Check[]> {
  const host = new URL(r.trustRootsUrl).host;
  let reply: OnlineCaReply;
  try {
    reply = await onlineCaFetch(r.trustRootsUrl, {
      method: 'GET',
      trust: { mode: 'verified', caPems },
      maxBytes: TRUST_ROOTS_LIMITS.maxReplyBytes,
      timeoutMs: o.timeoutMs,
      connectTimeoutMs: o.timeoutMs,
    });
  } catch (err) {
    return [
      {
        id: 'trust-roots',
        status: 'fail',
        ...said('doctor.roots-fail', `Get Trust Roots failed: ${errText(err)}`, { problem: errText(err) }),
      },
      { id: 'clock', status: 'skip', ...said('doctor.skipped-no-reply', 'not measured: no reply') },
    ];
  }
  const at = o.now();
  const out: Check[] = [];
  if (reply.status !== 200) {
    const server = reply.status >= 500;
    const fix = server ? 'a server error: tell the CA’s operator' : `check the URL ${r.trustRootsUrl}`;
    out.push({
      id: 'trust-roots',
      status: 'fail',
      ...said(
        server ? 'doctor.roots-status-server' : 'doctor.roots-status',
        `${host} answered Get Trust Roots with HTTP ${reply.status}; ${fix}`,
        { host, status: reply.status, ...(!server && { url: r.trustRootsUrl }) },
      ),
    });
  } else {
    try {
      const parsed = parseTrustRoots(reply.body);
      const now = parsed.certificates.map((c) => c.sha256Fingerprint.toUpperCase()).sort();
      const accepted = [...r.trust!.fingerprints].map((f) => f.toUpperCase()).sort();
      const same = now.length === accepted.length && now.every((f, i) => f === accepted[i]);
      out.push(
        same
          ? {
              id: 'trust-roots',
              status: 'pass',
              ...said('doctor.roots-ok', `${host} serves its trust roots (${now.length} CA certificate(s), the ones accepted)`, {
                host,
                number: now.length,
              }),
              data: { certificates: now.length, format: parsed.format },
            }
          : {
              id: 'trust-roots',
              status: 'warn',
              ...said(
                'doctor.roots-changed',
                `${host} now serves other trust roots than the ${accepted.length} accepted on ${r.trust!.acceptedAt.slice(0, 10)}; ask the CA's operator whether its CA changed (enrollment still trusts only the accepted ones)`,
                { host, number: accepted.length, date: r.trust!.acceptedAt.slice(0, 10) },
              ),
            },
      );
    } catch (err) {
      out.push({
        id: 'trust-roots',
        status: 'fail',
        ...said('doctor.roots-unreadable', `the trust roots from ${host} cannot be read: ${errText(err)}`, {
          host,
          problem: errText(err),
        }),
      });
    }
  }
  out.push(clockCheck(reply.headers.date, at));
  return out;
}

function clockCheck(date: string | undefined, localAt: number): Check {
  const server = date ? Date.parse(date) : NaN;
  if (Number.isNaN(server))
    return { id: 'clock', status: 'skip', ...said('doctor.clock-no-date', 'the service sent no Date header to compare with') };
  // The Date header has whole seconds: a difference below 2 s is rounding plus the round trip.
  const skew = Math.round((localAt - server) / 1000);
  if (Math.abs(skew) <= SKEW_WARN_SECONDS)
    return {
      id: 'clock',
      status: 'pass',
      ...said('doctor.clock-ok-service', `clock in sync with the service (${skew} s)`, { skew }),
      data: { skewSeconds: skew },
    };
  return {
    id: 'clock',
    status: 'warn',
    ...said(
      skew >= 0 ? 'doctor.clock-ahead-service' : 'doctor.clock-behind-service',
      `this computer's clock is ${Math.abs(skew)} s ${skew >= 0 ? 'ahead of' : 'behind'} the service's; a new certificate may look not yet valid or expired: enable network time (NTP)`,
      { seconds: Math.abs(skew) },
    ),
    data: { skewSeconds: skew },
  };
}

/** Get Certificate without credentials: 401 (or 405 for the empty request) says the service is up and issuing. */
async function checkCertificateService(r: OnlineCaProviderRecord, caPems: string[], o: NetworkCheckOptions): Promise<Check> {
  const host = new URL(r.certificateUrl).host;
  try {
    const reply = await onlineCaFetch(r.certificateUrl, {
      method: 'POST',
      trust: { mode: 'verified', caPems },
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'certificate_request=',
      maxBytes: MAX_PROBE_REPLY,
      timeoutMs: o.timeoutMs,
      connectTimeoutMs: o.timeoutMs,
    });
    if (reply.status === 401 || reply.status === 405) {
      const realm = parseBasicRealm(reply.headers['www-authenticate']);
      return {
        id: 'certificate-service',
        status: 'pass',
        ...said(
          realm ? 'doctor.cert-service-ok-realm' : 'doctor.cert-service-ok',
          `${host} answers Get Certificate (HTTP ${reply.status} without credentials${realm ? `, realm "${realm}"` : ''})`,
          { host, status: reply.status, ...(realm && { realm }) },
        ),
        data: { status: reply.status, ...(realm ? { realm } : {}) },
      };
    }
    const server = reply.status >= 500;
    const fix = server ? 'a server error: tell the CA’s operator' : `check the URL ${r.certificateUrl}`;
    return {
      id: 'certificate-service',
      status: 'fail',
      ...said(
        server ? 'doctor.cert-service-status-server' : 'doctor.cert-service-status',
        `${host} answered Get Certificate with HTTP ${reply.status}; ${fix}`,
        { host, status: reply.status, ...(!server && { url: r.certificateUrl }) },
      ),
    };
  } catch (err) {
    return {
      id: 'certificate-service',
      status: 'fail',
      ...said('doctor.cert-service-fail', `Get Certificate failed: ${errText(err)}`, { problem: errText(err) }),
    };
  }
}

export async function onlineCaNetworkChecks(
  home: string,
  r: OnlineCaProviderRecord,
  o: NetworkCheckOptions,
): Promise<DoctorCheck[]> {
  const { host, port } = hostPort(r.url);
  const out: Check[] = [];
  const skipRest = (why: Omit<Check, 'id' | 'status'>, ids: string[]) =>
    ids.forEach((id) => out.push({ id, status: 'skip', ...why }));
  const after = (step: string) => said('doctor.skipped', `not checked: ${step} failed`, { step });
  const d = await checkDns(host, o, SOURCE);
  out.push({ id: d.id, status: d.status, summary: d.summary, summaryText: d.summaryText, ...(d.data ? { data: d.data } : {}) });
  if (!d.address) skipRest(after('DNS'), ['tcp', 'tls', 'trust-roots', 'certificate-service', 'clock']);
  else {
    const t = await checkTcp(d.address, port, o, SOURCE);
    out.push(t);
    if (t.status === 'fail') skipRest(after('TCP'), ['tls', 'trust-roots', 'certificate-service', 'clock']);
    else if (!r.trust) {
      // Not an error yet: the first enroll (or `onlineca trust`) fetches the roots and asks the user to confirm them.
      out.push({
        id: 'tls',
        status: 'warn',
        ...said(
          'doctor.onlineca-untrusted',
          `no CA trusted for ${r.name} yet; run keytalk-agent onlineca trust ${r.name} (or enroll) and compare the fingerprints with the CA's operator`,
          { name: r.name },
        ),
      });
      skipRest(said('doctor.skipped-untrusted', 'not checked: no trusted CA yet'), [
        'trust-roots',
        'certificate-service',
        'clock',
      ]);
    } else {
      const caPems = await readTrustRootPems(home, r.name).catch((err: Error) => err);
      const s =
        caPems instanceof Error ? { id: 'tls', status: 'fail' as const, ...saidOf(caPems) } : await checkTls(r, caPems, o);
      out.push(s);
      if (s.status === 'fail' || caPems instanceof Error) skipRest(after('TLS'), ['trust-roots', 'certificate-service', 'clock']);
      else {
        const [roots, clock] = await checkTrustRoots(r, caPems, o);
        out.push(roots!, await checkCertificateService(r, caPems, o), clock!);
      }
    }
  }
  return out.map((c) => ({ ...c, scope: r.name }));
}
