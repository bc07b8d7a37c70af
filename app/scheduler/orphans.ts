import path from 'node:path';
import { homeLayout } from '../config/home';
import { enrollments, type EnrollmentRecord } from '../engine/state';
import type { Logger } from '../log/logger';
import type { CertificateStore, StoredCertificate } from '../stores/store';
import { readJsonFile } from '../system/atomic-write';

/**
 * Reconcile the stores with the enrollment records at start (and each sync): a certificate with its key and a
 * provider/service origin but no record was stored by an agent that died (or failed writing state) before the
 * record — the engine now writes the record first, but homes from before, and other writers, can hold such
 * orphans. Nothing would renew or show them as managed, so they are adopted: a record from what the store knows
 * (subject, validity, origin), without remembered credentials, which makes the scheduler renew it like any other
 * (asking the user when it cannot do so silently). One that names no provider is reported, never touched.
 */
export async function adoptOrphans(home: string, stores: CertificateStore[], log: Logger): Promise<EnrollmentRecord[]> {
  const records = await enrollments.list(home);
  const known = new Set(records.map((r) => r.sha256Fingerprint.toUpperCase()));
  const historical = new Set(records.flatMap((r) => r.extras?.historicalCertFingerprints ?? []).map((f) => f.toUpperCase()));
  const byFp = new Map<string, { cert: StoredCertificate; stores: string[]; store: CertificateStore }>();
  for (const st of stores) {
    for (const c of await st.list()) {
      const fp = c.sha256Fingerprint.toUpperCase();
      if (known.has(fp) || historical.has(fp) || !c.hasPrivateKey) continue;
      const seen = byFp.get(fp);
      if (seen) seen.stores.push(st.id);
      else byFp.set(fp, { cert: c, stores: [st.id], store: st });
    }
  }
  const adopted: EnrollmentRecord[] = [];
  for (const [fp, { cert, stores: ids, store }] of byFp) {
    // Historical S/MIME certificates carry keys too; the file store knows them from its metadata.
    const read = (store as { read?: (fp: string) => Promise<{ historical?: boolean }> }).read;
    if (read && (await read.call(store, fp).catch(() => undefined))?.historical) continue;
    // A shared mailbox's certificate came with a seat's own enrollment and is renewed with it (syncSharedMailboxes
    // after each issuance); adopting it would give it a renewal job that enrolls the seat's certificate again.
    if (cert.origin?.sharedMailbox) continue;
    if (!cert.origin) {
      log.debug('certificate not enrolled by this agent', { sha256Fingerprint: fp, stores: ids });
      continue;
    }
    const record: EnrollmentRecord = {
      sha256Fingerprint: fp,
      provider: cert.origin.provider,
      service: cert.origin.service,
      csr: false,
      subject: cert.subject,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      issuedAt: cert.notBefore,
      stores: ids,
      credentialsRemembered: false,
      extras: {},
      rcdpVersion: 'unknown (adopted)',
    };
    // The provider's kind from its provider.json (as engine/provider-kinds.ts decides it): an Online CA has no RCDP.
    const kind = await readJsonFile<{ kind?: unknown } | null>(
      path.join(homeLayout(home).providers, path.basename(record.provider), 'provider.json'),
      null,
    ).catch(() => null);
    if (kind?.kind === 'onlineca') Object.assign(record, { providerKind: 'onlineca', rcdpVersion: 'none' });
    await enrollments.put(home, record);
    log.warn('adopted a stored certificate that had no enrollment record', {
      sha256Fingerprint: fp,
      provider: record.provider,
      service: record.service,
      stores: ids,
    });
    adopted.push(record);
  }
  return adopted;
}
