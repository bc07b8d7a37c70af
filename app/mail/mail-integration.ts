import { describeCertificate } from '../crypto/cert-info';
import { findMozillaProfiles, type MozillaProfile } from '../stores/mozilla-profiles';
import { NssStore } from '../stores/nss-store';
import type { CertificateBundle } from '../stores/store';
import type { CommandRunner } from '../system/command-runner';
import { parseDisclaimerZip } from './disclaimer-zip';
import { applyOutlookDisclaimer, applyOutlookSmimeSettings, outlookSignaturesDir } from './outlook';
import { applyOutlookAddressBooks } from './outlook-ldap';
import { selectOutlookSmimeCertificate } from './outlook-smime';
import {
  applyThunderbirdAddressBooks,
  applyThunderbirdDisclaimer,
  applyThunderbirdSmime,
  type LdapAddressBook,
} from './thunderbird';

/**
 * The mail-client side of S/MIME, as the scheduler and the engine call it: every Thunderbird profile of the
 * user, and Outlook on Windows. One failing client does not stop the others; the call throws only when
 * every client it tried failed, so the scheduler's back-off retries it.
 */
export interface MailIntegrationDeps {
  runner: CommandRunner;
  userHome: string;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** Outlook Signatures folder override (tests); default %APPDATA%\Microsoft\Signatures on Windows. */
  outlookSignaturesDir?: string;
  officeVersion?: string;
  /** Folder for Outlook's address-book PRF (tests); default %APPDATA%\KeyTalk on Windows. */
  outlookPrfDir?: string;
  certutil?: string;
  log?: (message: string) => void;
}

export interface MailApplyReport {
  applied: string[];
  failed: string[];
  notes: string[];
  /** What the user has to do by hand because the agent would not change it (shown to them as a message). */
  userSteps?: string[];
}

/** The shape of the scheduler's DisclaimerChange this needs (app/scheduler/periodic-jobs.ts). */
export interface DisclaimerChangeLike {
  email: string;
  /** undefined: the server no longer sets a disclaimer; ours is removed. */
  disclaimer: { name: string; zipBase64: string } | undefined;
}

export function createMailIntegration(deps: MailIntegrationDeps) {
  const platform = deps.platform ?? process.platform;
  const tbDeps = { runner: deps.runner, certutil: deps.certutil, platform };
  const profiles = (): MozillaProfile[] =>
    findMozillaProfiles({ userHome: deps.userHome, platform, env: deps.env, apps: ['thunderbird'] });
  const outlookDir = (): string | undefined =>
    deps.outlookSignaturesDir ?? (platform === 'win32' && deps.env?.APPDATA ? outlookSignaturesDir(deps.env.APPDATA) : undefined);

  const prfDir = (): string | undefined =>
    deps.outlookPrfDir ?? (platform === 'win32' && deps.env?.APPDATA ? `${deps.env.APPDATA}\\KeyTalk` : undefined);
  /** The LDAP directories for Outlook too (Windows), next to every Thunderbird profile. */
  async function outlookBooks(report: MailApplyReport, books: LdapAddressBook[]): Promise<void> {
    const dir = prfDir();
    if (!books.length || platform !== 'win32' || !dir) return;
    await each(report, 'Outlook address books', async () => {
      const r = await applyOutlookAddressBooks(books, { runner: deps.runner, prfDir: dir, officeVersion: deps.officeVersion });
      return r.notes;
    });
  }

  async function each(report: MailApplyReport, what: string, fn: () => Promise<string[] | void>): Promise<void> {
    try {
      const notes = await fn();
      report.applied.push(what);
      if (notes) report.notes.push(...notes);
    } catch (err) {
      report.failed.push(`${what}: ${(err as Error).message}`);
      deps.log?.(`${what} failed: ${(err as Error).message}`);
    }
  }
  function finish(report: MailApplyReport, action: string): MailApplyReport {
    if (report.failed.length && !report.applied.length)
      throw new Error(`${action} failed in every mail client: ${report.failed.join('; ')}`);
    return report;
  }

  /** The scheduler's disclaimer job hook (AgentSchedulerOptions.applyDisclaimer). */
  async function applyDisclaimer(change: DisclaimerChangeLike): Promise<MailApplyReport> {
    // A bad zip fails the whole call before touching anything.
    const content = change.disclaimer ? parseDisclaimerZip(change.disclaimer.zipBase64) : undefined;
    const report: MailApplyReport = {
      applied: [],
      failed: [],
      notes: content?.ignored.map((i) => `disclaimer zip: ${i.name} ignored (${i.reason})`) ?? [],
    };
    for (const p of profiles()) {
      await each(
        report,
        `Thunderbird ${p.name}`,
        async () => (await applyThunderbirdDisclaimer(p.dir, change.email, content, tbDeps)).notes,
      );
    }
    const dir = outlookDir();
    if (dir)
      await each(
        report,
        'Outlook',
        async () =>
          void (await applyOutlookDisclaimer(content, {
            signaturesDir: dir,
            runner: deps.runner,
            officeVersion: deps.officeVersion,
          })),
      );
    return finish(report, change.disclaimer ? 'applying the e-mail disclaimer' : 'removing the e-mail disclaimer');
  }

  /**
   * After an enrollment whose reply asked for it (extras.applySmimeSettings / applyAddressBooks): the
   * certificate goes into each Thunderbird profile's NSS database (if not there yet) and becomes the identity's
   * signing/encryption certificate; address books are configured. Historical bundles are installed for
   * decryption only and never selected.
   */
  async function applyAfterEnrollment(input: {
    bundle: CertificateBundle;
    historical?: CertificateBundle[];
    applySmimeSettings?: boolean;
    applyAddressBooks?: boolean;
    addressBooks?: { ldap_svr_url: string; search_base?: string; verification_ca?: string }[];
  }): Promise<MailApplyReport> {
    const report: MailApplyReport = { applied: [], failed: [], notes: [] };
    const emails = describeCertificate(input.bundle.certPem).emails;
    const books: LdapAddressBook[] = (input.applyAddressBooks ? (input.addressBooks ?? []) : []).map((b) => ({
      url: b.ldap_svr_url,
      searchBase: b.search_base,
      verificationCa: b.verification_ca,
    }));
    for (const p of profiles()) {
      if (!p.hasSqlDb) {
        report.notes.push(`Thunderbird ${p.name}: no cert9.db yet (start Thunderbird once)`);
        continue;
      }
      const nss = new NssStore({
        id: `thunderbird:${p.name}`,
        name: `Thunderbird ${p.name}`,
        dbDir: p.dir,
        usedBy: ['Thunderbird'],
        runner: deps.runner,
        certutil: deps.certutil,
      });
      if (input.applySmimeSettings && emails.length) {
        await each(report, `Thunderbird ${p.name} S/MIME`, async () => {
          const stored = await nss.add(input.bundle);
          for (const h of input.historical ?? []) await nss.add({ ...h, historical: true });
          return (await applyThunderbirdSmime(p.dir, { certPem: input.bundle.certPem, nickname: stored.ref }, tbDeps)).notes;
        });
      }
      if (books.length)
        await each(
          report,
          `Thunderbird ${p.name} address books`,
          async () => (await applyThunderbirdAddressBooks(p.dir, books, tbDeps)).notes,
        );
    }
    await outlookBooks(report, books);
    if (platform === 'win32' && input.applySmimeSettings) {
      await each(report, 'Outlook S/MIME', async () => {
        await applyOutlookSmimeSettings({ runner: deps.runner, officeVersion: deps.officeVersion });
        // Outlook's security settings name one address; the certificate's first is the identity's.
        if (!emails[0]) return [];
        const chosen = await selectOutlookSmimeCertificate({
          runner: deps.runner,
          officeVersion: deps.officeVersion,
          certPem: input.bundle.certPem,
          email: emails[0],
        });
        return chosen.notes;
      });
    }
    return finish(report, 'applying S/MIME settings');
  }

  /** Public API address-book-list (3.2.2) → the same LDAP directories as the cert reply's address-books. */
  async function applyAddressBookList(
    publicApi: {
      addressBookList(service: string): Promise<{
        applyAddressBooks: boolean;
        addressBooks: { ldapServerUrl: string; searchBase?: string; verificationCa?: string }[];
      }>;
    },
    service: string,
  ): Promise<MailApplyReport> {
    const list = await publicApi.addressBookList(service);
    const report: MailApplyReport = { applied: [], failed: [], notes: [] };
    if (!list.applyAddressBooks) return report;
    const books = list.addressBooks.map((b) => ({
      url: b.ldapServerUrl,
      searchBase: b.searchBase,
      verificationCa: b.verificationCa,
    }));
    for (const p of profiles())
      await each(
        report,
        `Thunderbird ${p.name} address books`,
        async () => (await applyThunderbirdAddressBooks(p.dir, books, tbDeps)).notes,
      );
    await outlookBooks(report, books);
    return finish(report, 'applying address books');
  }

  /** Self-Service API address-books (5.2.1 apply-address-books): the same directories, already converted. */
  async function applyAddressBooks(books: LdapAddressBook[]): Promise<MailApplyReport> {
    const report: MailApplyReport = { applied: [], failed: [], notes: [] };
    if (!books.length) return report;
    for (const p of profiles())
      await each(
        report,
        `Thunderbird ${p.name} address books`,
        async () => (await applyThunderbirdAddressBooks(p.dir, books, tbDeps)).notes,
      );
    await outlookBooks(report, books);
    return finish(report, 'applying address books');
  }

  /** Exactly the scheduler's hook type: `applyDisclaimer: mail.disclaimerHook`. */
  const disclaimerHook = async (change: DisclaimerChangeLike): Promise<void> => {
    const r = await applyDisclaimer(change);
    for (const n of r.notes) deps.log?.(n);
  };

  return { applyDisclaimer, disclaimerHook, applyAfterEnrollment, applyAddressBookList, applyAddressBooks, profiles };
}
export type MailIntegration = ReturnType<typeof createMailIntegration>;
