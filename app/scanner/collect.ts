import { details, quickInspect, sha256Hex, type CertPurpose, type QuickInspection, type ScannedCertInfo } from './classify';
import type { ScanSource, SkippedItem, SourcePlace, StoreType } from './found';

/** One certificate that matches the server's settings, deduplicated across all sources. */
export interface Candidate extends ScannedCertInfo {
  der: Buffer;
  keyPem?: string;
  /** Every place it was found (first one first). */
  locations: { sourceId: string; location: string }[];
  /** The purposes asked for that it serves. */
  matched: CertPurpose[];
}

export interface CollectOptions {
  sources: ScanSource[];
  purposes: CertPurpose[];
  storeTypes: StoreType[];
  includeExpired: boolean;
  wantKeys: boolean;
  now?: number;
}

export interface SourceSummary {
  source: string;
  description: string;
  place: SourcePlace;
  storeType: StoreType;
  certificates: number;
  error?: string;
}

export interface CollectResult {
  candidates: Candidate[];
  sources: SourceSummary[];
  skippedItems: SkippedItem[];
  /** Certificates seen but not selected, by reason. */
  excluded: { expired: number; purpose: number; duplicate: number; unreadable: number };
}

/**
 * Scan the sources of the asked store types, inspect every certificate once (by SHA-256 of its DER), and keep
 * those serving an asked purpose, not expired unless asked. A source that fails is reported and the rest goes on.
 */
export async function collectCertificates(opts: CollectOptions): Promise<CollectResult> {
  const now = opts.now ?? Date.now();
  const byFp = new Map<string, Candidate | null>();
  const out: CollectResult = {
    candidates: [],
    sources: [],
    skippedItems: [],
    excluded: { expired: 0, purpose: 0, duplicate: 0, unreadable: 0 },
  };
  for (const source of opts.sources) {
    if (!opts.storeTypes.includes(source.storeType)) continue;
    const summary: SourceSummary = {
      source: source.id,
      description: source.description,
      place: source.place,
      storeType: source.storeType,
      certificates: 0,
    };
    out.sources.push(summary);
    let result;
    try {
      result = await source.scan({ wantKeys: opts.wantKeys && source.storeType === 'personal' });
    } catch (err) {
      summary.error = (err as Error).message;
      out.skippedItems.push({ sourceId: source.id, location: source.description, reason: summary.error });
      continue;
    }
    out.skippedItems.push(...result.skipped);
    summary.certificates = result.certs.length;
    for (const found of result.certs) {
      // Hash first: a certificate seen in another store costs a hash, not a parse.
      const sha256 = sha256Hex(found.der);
      const seen = byFp.get(sha256);
      if (seen !== undefined) {
        out.excluded.duplicate++;
        if (seen) {
          seen.locations.push({ sourceId: found.sourceId, location: found.location });
          if (!seen.keyPem && found.keyPem) seen.keyPem = found.keyPem;
        }
        continue;
      }
      let q: QuickInspection;
      try {
        q = quickInspect(found.der, now, sha256);
      } catch (err) {
        out.excluded.unreadable++;
        out.skippedItems.push({
          sourceId: found.sourceId,
          location: found.location,
          reason: `not a readable X.509 certificate: ${(err as Error).message}`,
        });
        continue;
      }
      if (q.expired && !opts.includeExpired) {
        out.excluded.expired++;
        byFp.set(sha256, null);
        continue;
      }
      const matched = q.purposes.filter((p) => opts.purposes.includes(p));
      if (!matched.length) {
        out.excluded.purpose++;
        byFp.set(sha256, null);
        continue;
      }
      const info = details(q, found.der);
      const c: Candidate = {
        ...info,
        der: found.der,
        keyPem: found.keyPem,
        locations: [{ sourceId: found.sourceId, location: found.location }],
        matched,
      };
      byFp.set(info.sha256, c);
      out.candidates.push(c);
    }
  }
  return out;
}
