import type { CertFormat } from '../engine/certificate';
import type { CertExtras } from '../engine/state';
import type { MailApplyReport, MailIntegration } from '../mail/mail-integration';
import type { RcdpClient } from '../rcdp/client';
import type { CertificateBundle, CertificateStore } from '../stores/store';
import { fetchHistoricalPackage, installSmimeCertificates, syncSharedMailboxes, type InstalledSmime } from './shared-mailboxes';

/**
 * Everything S/MIME after the engine stored a newly issued certificate, while the RCDP session is still open
 * (smbcerts and out-of-band downloads need it): the historical package (historical-certs-url-templ), the
 * seat's shared mailboxes with their history, then the mail clients (identity certificates, address books).
 * Nothing here fails the enrollment: problems are reported for the log and the UI.
 */
export interface SmimePostEnrollmentInput {
  client: RcdpClient;
  stores: CertificateStore[];
  provider: string;
  service: string;
  format: CertFormat;
  outOfBand?: boolean;
  /** The issued certificate as stored (label/origin set). */
  bundle: CertificateBundle;
  /** The cert reply's extra fields (engine's CertExtras). */
  extras: CertExtras;
  /** The cert reply's historical-certs-url-templ (out-of-band), which the engine does not download itself. */
  historicalCertsUrlTemplate?: string;
  /** Inline historical certificates the engine already decoded and stored. */
  historical?: CertificateBundle[];
  /** Ask smbcerts (default true; the call is skipped on servers before 2.7.7). */
  sharedMailboxes?: boolean;
  mail?: MailIntegration;
}

export interface SmimePostEnrollmentReport {
  historical?: InstalledSmime;
  sharedMailboxes: InstalledSmime[];
  mail: MailApplyReport[];
  problems: string[];
}

export async function smimePostEnrollment(i: SmimePostEnrollmentInput): Promise<SmimePostEnrollmentReport> {
  const report: SmimePostEnrollmentReport = { sharedMailboxes: [], mail: [], problems: [] };
  const origin = { provider: i.provider, service: i.service };
  const historical: CertificateBundle[] = [...(i.historical ?? [])];
  if (i.historicalCertsUrlTemplate) {
    try {
      const pkg = await fetchHistoricalPackage(i.client, i.historicalCertsUrlTemplate, i.format);
      report.problems.push(...pkg.skipped);
      report.historical = await installSmimeCertificates(
        i.stores,
        { historical: pkg.bundles },
        { label: i.bundle.label, origin },
      );
      report.problems.push(...report.historical.failed);
      historical.push(
        ...pkg.bundles.map((b, n) => ({ ...b, label: `${i.bundle.label} (historical ${n + 1})`, origin, historical: true })),
      );
    } catch (err) {
      report.problems.push(`historical certificates: ${(err as Error).message}`);
    }
  }
  if (i.sharedMailboxes !== false) {
    try {
      report.sharedMailboxes = await syncSharedMailboxes(i.client, i.stores, {
        format: i.format,
        outOfBand: i.outOfBand,
        provider: i.provider,
        service: i.service,
      });
      for (const m of report.sharedMailboxes) report.problems.push(...m.failed.map((f) => `${m.upn}: ${f}`));
    } catch (err) {
      report.problems.push(`shared mailboxes: ${(err as Error).message}`);
    }
  }
  if (i.mail && (i.extras.applySmimeSettings || i.extras.applyAddressBooks)) {
    const run = async (what: string, fn: () => Promise<MailApplyReport>) => {
      try {
        report.mail.push(await fn());
      } catch (err) {
        report.problems.push(`${what}: ${(err as Error).message}`);
      }
    };
    await run('mail clients', () =>
      i.mail!.applyAfterEnrollment({
        bundle: i.bundle,
        historical,
        applySmimeSettings: i.extras.applySmimeSettings,
        applyAddressBooks: i.extras.applyAddressBooks,
        addressBooks: i.extras.addressBooks,
      }),
    );
    if (i.extras.applySmimeSettings) {
      // A shared mailbox's certificate becomes the certificate of the identity with the mailbox address; its
      // historical ones go along for decryption only, so mail encrypted to the mailbox before stays readable.
      for (const m of report.sharedMailboxes) {
        const current = m.stored[0];
        if (!current) continue;
        const bundle = await bundleFor(i.stores, current.sha256Fingerprint);
        const fps = [...new Set(m.historical.map((h) => h.sha256Fingerprint))];
        const historical = (await Promise.all(fps.map((fp) => bundleFor(i.stores, fp)))).filter((b) => !!b);
        if (bundle)
          await run(`mail clients (${m.upn})`, () =>
            i.mail!.applyAfterEnrollment({ bundle, historical, applySmimeSettings: true }),
          );
      }
    }
  }
  return report;
}

/** Read a stored bundle back from a store that can (the file store); others only list. */
async function bundleFor(stores: CertificateStore[], fp: string): Promise<CertificateBundle | undefined> {
  for (const s of stores) {
    const r = s as CertificateStore & { read?: (fp: string) => Promise<CertificateBundle> };
    if (typeof r.read === 'function') {
      try {
        return await r.read(fp);
      } catch {
        // not in this store
      }
    }
  }
  return undefined;
}
