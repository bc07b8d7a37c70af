import { replacedCertificates } from '../engine/replaced-certificates';
import { enrollments, type EnrollmentRecord } from '../engine/state';
import type { Logger } from '../log/logger';
import type { CertificateStore } from '../stores/store';
import { adoptOrphans } from './orphans';
import { retireSuperseded } from './supersede';
import { jitter, STARTUP_JITTER_MS, type Random } from './fleet-policy';
import {
  DISCLAIMER_KIND,
  disclaimerJobId,
  KEEP_ALIVE_KIND,
  keepAliveJobId,
  MESSAGES_KIND,
  messagesJobId,
  SEAT_TEMPLATES_KIND,
  seatTemplatesJobId,
} from './periodic-jobs';
import { renewalJobId, trackCertificate, type RenewalPolicyInputs } from './renewal-job';
import type { Scheduler } from './scheduler';

export interface EnrolledJobsDeps {
  home: string;
  scheduler: Scheduler;
  stores: () => Promise<CertificateStore[]>;
  policyInputs: (r: EnrollmentRecord) => Promise<RenewalPolicyInputs>;
  computerName: () => string;
  now: () => number;
  random?: Random;
  startupJitterMs?: number;
  /** Disclaimer jobs only with a mail integration to apply them. */
  disclaimers: boolean;
  /** Messages jobs unless scheduled polling is off. */
  messages: boolean;
  /** Where adopted orphans are reported; without it they are not looked for. */
  log?: Logger;
}

/** At most this many margin calls at once during a sync (the server sees a burst of this size, not of every certificate). */
export const SYNC_CONCURRENCY = 8;

/** `fn` over `items` with at most `limit` running at once; results in input order. */
export async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Bring the job list in line with what is enrolled: a renewal job per enrolled certificate still in a store,
 * a keep-alive per provider/template/user, seat templates per provider, disclaimers where the server set one.
 * What is watched is derived from the engine's enrollment records (enrollments.json) and the stores, so a
 * certificate enrolled from the tray, the CLI or a renewal is picked up by the next sync.
 */
export async function syncEnrolledJobs(d: EnrolledJobsDeps): Promise<void> {
  const stores = await d.stores();
  // Orphans (a certificate stored without its record) become managed before the records are read.
  if (d.log) await adoptOrphans(d.home, stores, d.log);
  // One current certificate per identity: a new enrollment's predecessor leaves the stores (also after a crash).
  if (d.log) await retireSuperseded(d.home, stores, d.log);
  // A replaced certificate's renewal job ends now, not when it next runs (the UI and `status` would still list it).
  for (const h of await replacedCertificates.list(d.home)) {
    const id = renewalJobId(h.sha256Fingerprint);
    if (d.scheduler.get(id)?.runningSince === undefined && d.scheduler.get(id)) await d.scheduler.remove(id);
  }
  const records = await enrollments.list(d.home);
  const present = new Map<string, string[]>();
  for (const st of stores) {
    for (const c of await st.list()) {
      const fp = c.sha256Fingerprint.toUpperCase();
      present.set(fp, [...(present.get(fp) ?? []), st.id]);
    }
  }
  const live: EnrollmentRecord[] = records.filter((r) => present.has(r.sha256Fingerprint.toUpperCase()));
  // The margin questions go out together, a few at a time: one by one, a daemon with 50 certificates and an
  // unreachable server waited 30 s per certificate before its first job could run.
  const inputs = await mapBounded(live, SYNC_CONCURRENCY, (r) => d.policyInputs(r));
  for (const [i, r] of live.entries()) {
    const fp = r.sha256Fingerprint.toUpperCase();
    // The margin questions took a while: a renewal (here or in another process) may have retired this certificate
    // meanwhile, and tracking it again would leave a renewal job for a certificate that is gone.
    if (!(await enrollments.get(d.home, fp))) continue;
    const seat = isSeatCertificate(r);
    await trackCertificate(
      d.scheduler,
      {
        sha256Fingerprint: fp,
        provider: r.provider,
        service: r.service,
        subject: r.subject,
        notBefore: r.notBefore,
        notAfter: r.notAfter,
        stores: present.get(fp)!,
        userId: r.userId,
        seat,
      },
      inputs[i]!,
      d.random,
    );
  }
  // New periodic jobs start within the start-up jitter window, not all at "now": a fleet that is installed or
  // restarted together must not call the server in the same second.
  const random = d.random ?? Math.random;
  const startWindow = d.startupJitterMs ?? STARTUP_JITTER_MS;
  const soon = () => d.now() + jitter(startWindow, random);
  const keepAlive = new Set<string>();
  const seatTemplates = new Map<string, string[]>();
  // Keep-alive, seat templates, messages and disclaimers are KeyTalk Public API/RCDP jobs; other kinds (Online CA)
  // mark their records with providerKind and have none.
  const keytalk = live.filter((r) => r.providerKind === undefined);
  for (const r of keytalk) {
    if (r.userId) {
      const data = { provider: r.provider, templateName: r.service, user: r.userId, computerName: d.computerName() };
      const id = keepAliveJobId(data);
      keepAlive.add(id);
      await d.scheduler.ensure({ id, kind: KEEP_ALIVE_KIND, dueAt: soon(), data });
    }
    if (isSeatCertificate(r)) {
      const list = seatTemplates.get(r.provider) ?? [];
      if (!list.includes(r.service)) list.push(r.service);
      seatTemplates.set(r.provider, list);
    }
    if (d.disclaimers && r.extras.setDisclaimer) {
      const email = emailOf(r.subject) ?? r.userId;
      if (email) {
        const data = { provider: r.provider, service: r.service, email };
        await d.scheduler.ensure({ id: disclaimerJobId(data), kind: DISCLAIMER_KIND, dueAt: soon(), data });
      }
    }
  }
  for (const [provider, templates] of seatTemplates) {
    await d.scheduler.ensure({
      id: seatTemplatesJobId(provider),
      kind: SEAT_TEMPLATES_KIND,
      dueAt: soon(),
      data: { provider, templates },
    });
  }
  if (d.messages) {
    for (const provider of new Set(keytalk.map((r) => r.provider))) {
      await d.scheduler.ensure({ id: messagesJobId(provider), kind: MESSAGES_KIND, dueAt: soon(), data: { provider } });
    }
  }
  // Keep-alives for identities no longer enrolled stop.
  for (const j of d.scheduler.list()) if (j.kind === KEEP_ALIVE_KIND && !keepAlive.has(j.id)) await d.scheduler.remove(j.id);
}

/**
 * A seat certificate: the engine recorded that the server resolved a seat (USERID + computer-name on RCDP ≥ 2.8.0)
 * or that it was itself renewed with seat authentication. The RCCD does not mark seat templates, so the record
 * is the only source; templates-to-auto-renew-seat-certs then decides whether it renews unattended.
 */
export function isSeatCertificate(r: Pick<EnrollmentRecord, 'auth' | 'seat'>): boolean {
  return r.auth === 'seat' || r.seat !== undefined;
}

function emailOf(subject: string): string | undefined {
  return /(?:emailAddress|E)=([^,/]+@[^,/]+)/i.exec(subject)?.[1];
}
