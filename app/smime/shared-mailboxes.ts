import type { CertFormat } from '../engine/certificate';
import { decodeOne } from '../engine/certificate';
import type { RcdpClient } from '../rcdp/client';
import { certFactsFromPem } from '../stores/cert-summary';
import type { CertificateBundle, CertificateStore, StoredCertificate } from '../stores/store';
import { decodeHistoricalItems, decodeHistoricalPackage, type DecodedBundle } from './historical-package';

/**
 * Shared mailboxes (RCDP 2.7.7 smbcerts): after authentication, the seat's shared-mailbox certificates with
 * their historical certificates, inline or out-of-band (2.7.9). They are installed in the same stores as the
 * user's own; historical ones with `historical: true` so no store makes them the default signing identity.
 */
export interface SharedMailboxCert {
  upn: string;
  bundle?: DecodedBundle;
  historical: DecodedBundle[];
  /** Why a certificate of this mailbox was not usable. */
  problems: string[];
}

export async function fetchSharedMailboxCerts(
  client: RcdpClient,
  opts: { format: CertFormat; outOfBand?: boolean },
): Promise<SharedMailboxCert[]> {
  const outOfBand = !!opts.outOfBand && atLeast(client.version, '2.7.9');
  if (!atLeast(client.version, '2.7.7')) return []; // older servers have no shared-mailbox certificates
  const reply = await client.smbCerts(opts.format, outOfBand);
  const password = client.keyPassword;
  const out: SharedMailboxCert[] = [];
  for (const smb of reply.smbcerts) {
    const item: SharedMailboxCert = { upn: smb.upn, historical: [], problems: [] };
    try {
      const payload = smb.cert ?? (smb['cert-url-templ'] ? await client.download(smb['cert-url-templ']) : undefined);
      if (payload !== undefined) item.bundle = decodeOne(payload, opts.format, password);
    } catch (err) {
      item.problems.push(`certificate: ${(err as Error).message}`);
    }
    try {
      const h = smb['historical-certs-url-templ']
        ? decodeHistoricalPackage(await client.download(smb['historical-certs-url-templ']), opts.format, password)
        : decodeHistoricalItems(smb['historical-certs'] ?? [], opts.format, password);
      item.historical = h.bundles;
      item.problems.push(...h.skipped);
    } catch (err) {
      item.problems.push(`historical certificates: ${(err as Error).message}`);
    }
    out.push(item);
  }
  return out;
}

/** The cert reply's historical-certs-url-templ (the engine keeps only the inline ones). */
export async function fetchHistoricalPackage(client: RcdpClient, template: string, format: CertFormat) {
  return decodeHistoricalPackage(await client.download(template), format, client.keyPassword);
}

export interface InstalledSmime {
  upn?: string;
  stored: StoredCertificate[];
  historical: StoredCertificate[];
  failed: string[];
}

/**
 * Install certificates (a mailbox's current and historical ones, or the user's historical ones) in every
 * store. The current certificate is replaced in place on renewal; historical ones are added once.
 */
export async function installSmimeCertificates(
  stores: CertificateStore[],
  item: { upn?: string; bundle?: DecodedBundle; historical: DecodedBundle[] },
  meta: { label: string; origin: CertificateBundle['origin'] },
): Promise<InstalledSmime> {
  const res: InstalledSmime = { upn: item.upn, stored: [], historical: [], failed: [] };
  // A server that lists the current certificate among the historical ones too must not demote it.
  const currentFp = item.bundle ? certFactsFromPem(item.bundle.certPem).sha256Fingerprint : undefined;
  for (const store of stores) {
    if (item.bundle) {
      try {
        const current = await store.add(
          { ...item.bundle, historical: false, label: meta.label, origin: meta.origin },
          { replace: true },
        );
        res.stored.push(current);
        if (meta.origin?.sharedMailbox) res.failed.push(...(await keepSupersededAsHistorical(store, meta.origin, current)));
      } catch (err) {
        res.failed.push(`${store.id}: ${(err as Error).message}`);
      }
    }
    for (const [i, h] of item.historical.entries()) {
      if (currentFp && certFactsFromPem(h.certPem).sha256Fingerprint === currentFp) continue;
      try {
        res.historical.push(
          await store.add(
            { ...h, historical: true, label: `${meta.label} (historical ${i + 1})`, origin: meta.origin },
            { replace: true },
          ),
        );
      } catch (err) {
        res.failed.push(`${store.id} (historical ${i + 1}): ${(err as Error).message}`);
      }
    }
  }
  return res;
}

/**
 * The server hands out a mailbox's latest valid certificate; when that is a new one, the one this store had as the
 * mailbox's current certificate is superseded. Its key is still needed to read mail encrypted to it, so it stays,
 * marked historical (never the signing identity, listed under "Previous certificates", never given to a mail client
 * as the mailbox's certificate again). Only a store that can hand a certificate back with its key (the file store)
 * can re-mark one; the others just keep it. Returns what could not be re-marked.
 */
async function keepSupersededAsHistorical(
  store: CertificateStore,
  origin: NonNullable<CertificateBundle['origin']>,
  current: StoredCertificate,
): Promise<string[]> {
  const read = (store as { read?: (fp: string) => Promise<CertificateBundle> }).read;
  if (typeof read !== 'function') return [];
  const failed: string[] = [];
  for (const c of await store.list()) {
    const o = c.origin;
    if (c.historical || c.sha256Fingerprint === current.sha256Fingerprint) continue;
    if (!o || o.sharedMailbox !== origin.sharedMailbox || o.provider !== origin.provider || o.service !== origin.service)
      continue;
    try {
      const old = await read.call(store, c.sha256Fingerprint);
      await store.add({ ...old, historical: true, label: `${old.label} (superseded)` }, { replace: true });
    } catch (err) {
      failed.push(`${store.id} (superseded ${c.sha256Fingerprint.slice(0, 16)}): ${(err as Error).message}`);
    }
  }
  return failed;
}

/** Fetch and install every shared mailbox of the authenticated seat; the caller renews these with the seat. */
export async function syncSharedMailboxes(
  client: RcdpClient,
  stores: CertificateStore[],
  opts: { format: CertFormat; outOfBand?: boolean; provider: string; service: string },
): Promise<InstalledSmime[]> {
  const mailboxes = await fetchSharedMailboxCerts(client, opts);
  const out: InstalledSmime[] = [];
  for (const m of mailboxes) {
    const r = await installSmimeCertificates(stores, m, {
      label: `${opts.provider} ${opts.service} ${m.upn}`,
      origin: { provider: opts.provider, service: opts.service, sharedMailbox: m.upn },
    });
    r.failed.unshift(...m.problems);
    out.push(r);
  }
  return out;
}

function atLeast(version: string, min: string): boolean {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}
