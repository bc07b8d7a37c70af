import { replacedCertificates } from '../engine/replaced-certificates';
import { enrollments, type EnrollmentRecord } from '../engine/state';
import { subjectInRfc4514Order } from '../engine/subject-order';
import type { Logger } from '../log/logger';
import type { CertificateStore, StoredCertificate } from '../stores/store';
import { switchOver } from './replace-certificate';

/**
 * One current certificate per provider/service/user. A new enrollment for an identity that already has a
 * certificate replaces it the way a renewal does (`switchOver`: the new one goes into every store that held the
 * old one and is found there again, only then the old one is removed), so a program never picks the old one and
 * the Certificates page shows one card. The old record moves to the replaced-certificates history ("Previous
 * certificates").
 *
 * Derived from what is persisted (the records and the stores), not from a step of the enrollment: the newest
 * record of an identity is the current one, so an agent killed between issuing and switching over finishes the
 * job at the next sync, as a renewal's persisted switch-over does. A renewal in flight (the newest record
 * `replaces` the old one) is left to the renewal's own switch-over.
 *
 * The identity is provider + service + user. An Online CA request names its host (several servers, one
 * service), so there the subject is part of the identity too.
 */
export function enrollmentIdentity(r: EnrollmentRecord): string {
  return [r.provider, r.service, r.userId ?? '', r.providerKind === 'onlineca' ? r.subject : ''].join('\n');
}

const running = new Map<string, Promise<string[]>>();

/** Retire every certificate a newer enrollment of the same identity replaced; returns the retired fingerprints. */
export function retireSuperseded(home: string, stores: CertificateStore[], log: Logger): Promise<string[]> {
  // One pass per home at a time: the flow's own pass and the sync after it must not switch over the same pair twice.
  const prev = running.get(home) ?? Promise.resolve([]);
  const next = prev.catch(() => []).then(() => retire(home, stores, log));
  running.set(home, next);
  return next;
}

async function retire(home: string, stores: CertificateStore[], log: Logger): Promise<string[]> {
  const held = await holdings(stores);
  const groups = new Map<string, EnrollmentRecord[]>();
  for (const r of await enrollments.list(home)) {
    if (!held.has(r.sha256Fingerprint.toUpperCase())) continue;
    const key = enrollmentIdentity(r);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const retired: string[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => b.issuedAt.localeCompare(a.issuedAt) || b.notBefore.localeCompare(a.notBefore));
    const current = group[0]!;
    const newFp = current.sha256Fingerprint.toUpperCase();
    for (const old of group.slice(1)) {
      const oldFp = old.sha256Fingerprint.toUpperCase();
      if (current.replaces?.toUpperCase() === oldFp) continue;
      const { ids, cert } = held.get(oldFp)!;
      try {
        await switchOver(stores, { sha256Fingerprint: oldFp, stores: ids }, newFp, log);
      } catch (err) {
        log.warn('replacing the previous certificate failed; it stays until the next try', {
          old: oldFp,
          new: newFp,
          error: (err as Error).message,
        });
        continue;
      }
      // Only a certificate gone from every store is history; one a store refused to remove is tried again next sync.
      // Kept as a historical S/MIME certificate (switchOver leaves those, keys and all) counts as gone.
      const after = await holdings(stores);
      const left = after.get(oldFp);
      if (after.incomplete || (left && left.ids.some((id) => !left.historicalIn.includes(id)))) continue;
      await replacedCertificates.retire(home, old, { ...cert, issuer: subjectInRfc4514Order(cert.issuer) }, newFp);
      log.info('previous certificate replaced by a new enrollment', { old: oldFp, new: newFp, service: old.service });
      retired.push(oldFp);
    }
  }
  return retired;
}

type Holdings = Map<string, { ids: string[]; historicalIn: string[]; cert: StoredCertificate }> & { incomplete?: boolean };

/**
 * Which stores hold each certificate, with one store's facts about it. A store that cannot list is skipped and the
 * answer marked incomplete: "gone from every store" is only believed from a complete answer.
 */
async function holdings(stores: CertificateStore[]): Promise<Holdings> {
  const out: Holdings = new Map();
  for (const st of stores) {
    let items: StoredCertificate[];
    try {
      items = await st.list();
    } catch {
      out.incomplete = true;
      continue;
    }
    for (const c of items) {
      const fp = c.sha256Fingerprint.toUpperCase();
      const seen = out.get(fp) ?? { ids: [], historicalIn: [], cert: c };
      seen.ids.push(st.id);
      if (c.historical) seen.historicalIn.push(st.id);
      out.set(fp, seen);
    }
  }
  return out;
}
