import { derToPem } from '../crypto/pem';
import type { StoreCertsReply } from '../rcdp/schemas';
import { normalizeFp } from './classify';
import type { Candidate } from './collect';

export interface BatchLimits {
  maxCerts: number;
  /** PEM characters per request (before form encoding). */
  maxBytes: number;
}

export interface UploadItem {
  candidate: Candidate;
  /** Certificate PEM, followed by the key PEM when the key is sent. */
  text: string;
  withKey: boolean;
}

export function uploadItem(candidate: Candidate, sendKey: boolean): UploadItem {
  const withKey = sendKey && !!candidate.keyPem;
  const cert = derToPem(candidate.der, 'CERTIFICATE');
  return {
    candidate,
    withKey,
    text: withKey ? `${cert}${candidate.keyPem!.endsWith('\n') ? candidate.keyPem : `${candidate.keyPem}\n`}` : cert,
  };
}

/** Split into store-certs requests within the limits; an item larger than maxBytes alone goes in a batch of its own. */
export function batchItems(items: UploadItem[], limits: BatchLimits): UploadItem[][] {
  const batches: UploadItem[][] = [];
  let cur: UploadItem[] = [];
  let bytes = 0;
  for (const it of items) {
    if (cur.length && (cur.length >= limits.maxCerts || bytes + it.text.length > limits.maxBytes)) {
      batches.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(it);
    bytes += it.text.length;
  }
  if (cur.length) batches.push(cur);
  return batches;
}

export interface BatchVerdict {
  stored: UploadItem[];
  skipped: UploadItem[];
  /** Sent but named in neither list: not recorded, so they are offered again next time. */
  unanswered: UploadItem[];
  /** Fingerprints in the reply that match nothing sent. */
  unknown: string[];
}

/** Match the reply's fingerprints (SHA-1 as the KeyTalk server sends, or SHA-256; any case, with or without colons). */
export function matchReply(batch: UploadItem[], reply: Pick<StoreCertsReply, 'stored' | 'skipped'>): BatchVerdict {
  const index = new Map<string, UploadItem>();
  for (const it of batch) {
    index.set(it.candidate.sha1, it);
    index.set(it.candidate.sha256, it);
  }
  const v: BatchVerdict = { stored: [], skipped: [], unanswered: [], unknown: [] };
  const done = new Set<UploadItem>();
  for (const [list, into] of [
    [reply.stored, v.stored],
    [reply.skipped, v.skipped],
  ] as const) {
    for (const fp of list) {
      const it = index.get(normalizeFp(fp));
      if (!it) v.unknown.push(fp);
      else if (!done.has(it)) {
        done.add(it);
        into.push(it);
      }
    }
  }
  v.unanswered = batch.filter((it) => !done.has(it));
  return v;
}
