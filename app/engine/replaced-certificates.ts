import path from 'node:path';
import * as z from 'zod/mini';
import { homeLayout } from '../config/home';
import type { CertUse } from '../model/cert-use';
import { writeJsonAtomic } from '../system/atomic-write';
import { readStateFile } from '../system/state-file';
import { enrollments, serialized, type EnrollmentRecord } from './state';

/**
 * The certificates a newer one replaced (a renewal, or a new enrollment for the same provider/service/user), kept
 * as history in <home>/state/replaced-certificates.json for the UI's "Previous certificates". The certificates
 * themselves are gone from every store (so no program picks the old one); only these facts remain. Their
 * enrollment records leave enrollments.json, so nothing that reads the records (renewal, keep-alive, S/MIME,
 * the scanner) can mistake an old certificate for the current one.
 */
export interface ReplacedCertificate {
  sha256Fingerprint: string;
  /** Subject and issuer in RFC 4514 order (engine/subject-order.ts), as the records and the UI show them. */
  serialNumber: string;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  provider: string;
  service: string;
  userId?: string;
  uses?: CertUse[];
  /** The certificate that replaced it, and when. */
  replacedBy: string;
  replacedAt: string;
}

/** Enough for "which one did I have before"; older history is dropped so the file stays small. */
export const MAX_REPLACED = 100;

const str = z.string();
const Schema = z.array(
  z.looseObject({
    sha256Fingerprint: str,
    subject: str,
    notBefore: str,
    notAfter: str,
    provider: str,
    service: str,
    replacedBy: str,
    replacedAt: str,
  }),
) as unknown as z.ZodMiniType<ReplacedCertificate[]>;

const file = (home: string) => path.join(homeLayout(home).state, 'replaced-certificates.json');

export const replacedCertificates = {
  list(home: string): Promise<ReplacedCertificate[]> {
    return readStateFile(file(home), Schema, []);
  },
  /**
   * Move an enrollment record into the history. The history entry is written first: a kill in between leaves the
   * record of a certificate that is in no store, which nothing renews or shows as current, and the next retire
   * of it is harmless (one entry per fingerprint).
   */
  async retire(
    home: string,
    record: EnrollmentRecord,
    facts: { serialNumber?: string; issuer?: string; uses?: CertUse[] },
    replacedBy: string,
    now = new Date(),
  ): Promise<void> {
    const fp = record.sha256Fingerprint.toUpperCase();
    const f = file(home);
    await serialized(f, async () => {
      const all = (await readStateFile(f, Schema, [])).filter((e) => e.sha256Fingerprint !== fp);
      all.push({
        sha256Fingerprint: fp,
        serialNumber: facts.serialNumber ?? '',
        subject: record.subject,
        issuer: facts.issuer ?? '',
        notBefore: record.notBefore,
        notAfter: record.notAfter,
        provider: record.provider,
        service: record.service,
        ...(record.userId ? { userId: record.userId } : {}),
        ...(facts.uses ? { uses: facts.uses } : {}),
        replacedBy: replacedBy.toUpperCase(),
        replacedAt: now.toISOString(),
      });
      await writeJsonAtomic(f, all.slice(-MAX_REPLACED));
    });
    await enrollments.remove(home, fp);
  },
};
