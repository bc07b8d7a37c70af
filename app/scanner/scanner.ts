import type { CertScrapingSettingsReply, StoreCertsReply } from '../rcdp/schemas';
import { atLeast } from '../rcdp/versions';
import { textOf, type CoreText } from '../model/core-text';
import { collectCertificates, type CollectResult } from './collect';
import type { ScanSource, SkippedItem } from './found';
import { normalizeScrapingSettings, type ScannerLocalSettings, type ScrapingSettings } from './settings';
import { readScannerState, updateScannerState, type ScanSummary } from './state';
import { batchItems, matchReply, uploadItem } from './upload';

/** The part of an authenticated RcdpClient the scanner uses (RcdpClient fits as is). */
export interface ScrapingClient {
  readonly version: string;
  certScrapingSettings(): Promise<CertScrapingSettingsReply>;
  storeCerts(certificatesPem: string): Promise<StoreCertsReply>;
}

export type ScanTrigger = 'manual' | 'authentication' | 'startup';

export type ScanStatus =
  /** Scanned; everything selected that was new was sent (or there was nothing new). */
  | 'done'
  /** --dry-run: scanned and selected, nothing sent, nothing recorded as sent. */
  | 'dry-run'
  /** schedule "never", or scanning switched off on this computer (scanningEnabled, policy lockedScannerConsent). */
  | 'disabled'
  /** schedule "one-shot" and the one shot already happened. */
  | 'already-done'
  /** The server is older than 2.7.8 (no cert-scraping-settings). */
  | 'unsupported'
  /** An upload failed; the batches before it were recorded, the failed one and the rest were not. */
  | 'failed';

export interface ScannedItem {
  sha256: string;
  sha1: string;
  subject: string;
  notAfter: string;
  purposes: string[];
  locations: string[];
  /** What happened to it in this run. */
  outcome: 'already-sent' | 'would-send' | 'stored' | 'skipped-by-server' | 'unanswered' | 'not-sent';
  withKey: boolean;
}

export interface ScanReport {
  status: ScanStatus;
  target: string;
  trigger: ScanTrigger;
  dryRun: boolean;
  settings?: ScrapingSettings;
  /** Private keys were included (server settings active and the user agreed). */
  keysIncluded: boolean;
  sources: CollectResult['sources'];
  excluded?: CollectResult['excluded'];
  items: ScannedItem[];
  skippedItems: SkippedItem[];
  batches: number;
  error?: string;
  /** error as a coded text for the UI (a network or TLS failure is coded; the server's own refusal is not). */
  errorText?: CoreText;
  warnings: string[];
}

export interface ScrapeOptions {
  client: ScrapingClient;
  home: string;
  /** Whose server this is, e.g. "<provider>/<service>": what was sent is remembered per target. */
  target: string;
  trigger: ScanTrigger;
  sources: ScanSource[];
  local: ScannerLocalSettings;
  dryRun?: boolean;
  now?: () => number;
}

/** cert-scraping-settings appeared in RCDP 2.7.8, store-certs in 2.7.4. */
export const SCRAPING_MIN_VERSION = '2.7.8';

/**
 * One cert-scraping run on an authenticated session: ask the server what it wants (2.7.8), obey its schedule,
 * scan the asked store types, keep certificates serving the asked purposes, leave out what this server already
 * answered for, upload the rest with store-certs (2.7.6) in batches, and record the server's answer per batch in
 * <home>/state/scanner.json. A failed batch records nothing, so its certificates are offered again next time.
 *
 * Private keys: the store-certs call is documented as "certificates along with their private keys", so a server
 * with scraping switched on is taken to want keys; they are included only when the user agreed
 * (`local.sendPrivateKeys`) and only for keys read unencrypted from personal stores. Otherwise certificates only.
 */
export async function runCertScraping(o: ScrapeOptions): Promise<ScanReport> {
  const now = o.now ?? Date.now;
  const dryRun = !!o.dryRun;
  const report: ScanReport = {
    status: 'done',
    target: o.target,
    trigger: o.trigger,
    dryRun,
    keysIncluded: false,
    sources: [],
    items: [],
    skippedItems: [],
    batches: 0,
    warnings: [],
  };
  if (!o.local.scanningEnabled) {
    // The user's (or the policy's) consent is off: the server is not even asked what it wants.
    report.status = 'disabled';
    report.warnings.push('certificate scanning is switched off on this computer (scanner settings or policy)');
    return finish(o, report, now);
  }
  if (!atLeast(o.client.version, SCRAPING_MIN_VERSION)) {
    report.status = 'unsupported';
    report.warnings.push(
      `the server speaks RCDP ${o.client.version}; certificate scanning needs ${SCRAPING_MIN_VERSION} or later`,
    );
    return finish(o, report, now);
  }
  const settings = normalizeScrapingSettings(await o.client.certScrapingSettings());
  report.settings = settings;
  for (const i of settings.ignored) report.warnings.push(`the server asked for unknown ${i}; ignored`);
  if (settings.schedule === 'never') {
    report.status = 'disabled';
    return finish(o, report, now);
  }
  const state = await readScannerState(o.home);
  if (settings.schedule === 'one-shot' && state.oneShotDone[o.target]) {
    report.status = 'already-done';
    return finish(o, report, now);
  }
  const wantKeys = o.local.sendPrivateKeys;
  const collected = await collectCertificates({
    sources: o.sources,
    purposes: settings.purposes,
    storeTypes: settings.storeTypes,
    includeExpired: o.local.includeExpired,
    wantKeys,
    now: now(),
  });
  report.sources = collected.sources;
  report.excluded = collected.excluded;
  report.skippedItems = collected.skippedItems;

  const sent = state.sent[o.target] ?? {};
  const items = new Map<string, ScannedItem>();
  const toSend = [];
  for (const c of collected.candidates) {
    const prior = sent[c.sha256];
    // A certificate the server skipped when it came without its key is worth offering again with the key.
    const resend = prior && prior.result === 'skipped' && !prior.withKey && wantKeys && !!c.keyPem;
    const item: ScannedItem = {
      sha256: c.sha256,
      sha1: c.sha1,
      subject: c.subject,
      notAfter: c.notAfter,
      purposes: c.matched,
      locations: c.locations.map((l) => l.location),
      outcome: prior && !resend ? 'already-sent' : dryRun ? 'would-send' : 'not-sent',
      withKey: wantKeys && !!c.keyPem,
    };
    items.set(c.sha256, item);
    if (!prior || resend) toSend.push(uploadItem(c, wantKeys));
  }
  report.items = [...items.values()];
  report.keysIncluded = toSend.some((i) => i.withKey);
  if (dryRun) {
    report.status = 'dry-run';
    return finish(o, report, now);
  }

  const batches = batchItems(toSend, { maxCerts: o.local.maxBatchCerts, maxBytes: o.local.maxBatchBytes });
  for (const batch of batches) {
    let reply: StoreCertsReply;
    try {
      reply = await o.client.storeCerts(batch.map((i) => i.text).join(''));
    } catch (err) {
      report.status = 'failed';
      report.error = (err as Error).message;
      report.errorText = textOf(err);
      break;
    }
    report.batches++;
    const v = matchReply(batch, reply);
    if (v.unknown.length)
      report.warnings.push(
        `the server answered with ${v.unknown.length} fingerprint(s) that were not sent: ${v.unknown.slice(0, 3).join(', ')}`,
      );
    const at = new Date(now()).toISOString();
    await updateScannerState(o.home, (s) => {
      const t = (s.sent[o.target] ??= {});
      for (const it of v.stored) t[it.candidate.sha256] = { sha1: it.candidate.sha1, result: 'stored', withKey: it.withKey, at };
      for (const it of v.skipped)
        t[it.candidate.sha256] = { sha1: it.candidate.sha1, result: 'skipped', withKey: it.withKey, at };
    });
    for (const it of v.stored) items.get(it.candidate.sha256)!.outcome = 'stored';
    for (const it of v.skipped) items.get(it.candidate.sha256)!.outcome = 'skipped-by-server';
    for (const it of v.unanswered) items.get(it.candidate.sha256)!.outcome = 'unanswered';
  }
  if (report.status === 'done' && settings.schedule === 'one-shot') {
    await updateScannerState(o.home, (s) => {
      s.oneShotDone[o.target] = new Date(now()).toISOString();
    });
  }
  return finish(o, report, now);
}

async function finish(o: ScrapeOptions, report: ScanReport, now: () => number): Promise<ScanReport> {
  const summary = summarizeScan(report, new Date(now()).toISOString());
  const settings = report.settings;
  // The record of what was scanned and sent, for the UI and support; the last 20 runs.
  await updateScannerState(o.home, (s) => {
    s.lastScans = [summary, ...s.lastScans].slice(0, 20);
    if (settings)
      s.serverSettings[report.target] = {
        schedule: settings.schedule,
        purposes: settings.purposes,
        storeTypes: settings.storeTypes,
        at: summary.at,
      };
  });
  return report;
}

/** The counts of one run, as kept in scanner.json `lastScans`. */
export function summarizeScan(report: ScanReport, at: string): ScanSummary {
  const count = (what: ScannedItem['outcome']) => report.items.filter((i) => i.outcome === what).length;
  return {
    at,
    target: report.target,
    trigger: report.trigger,
    status: report.status,
    dryRun: report.dryRun,
    scanned: report.sources.map((s) => ({
      source: s.description,
      place: s.place,
      storeType: s.storeType,
      certificates: s.certificates,
    })),
    matched: report.items.length,
    sent: count('stored') + count('skipped-by-server') + count('unanswered'),
    stored: count('stored'),
    skippedByServer: count('skipped-by-server'),
    skippedItems: report.skippedItems.length,
    ...(report.error ? { error: report.error } : {}),
    ...(report.error && report.errorText ? { errorText: report.errorText } : {}),
  };
}
