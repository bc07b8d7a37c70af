import { describe, expect, it } from 'vitest';
import type { Candidate } from './collect';
import { batchItems, matchReply, uploadItem, type UploadItem } from './upload';

const cand = (n: number, keyPem?: string): Candidate => ({
  sha1: `${n}`.padStart(40, 'A'),
  sha256: `${n}`.padStart(64, 'B'),
  subject: `CN=${n}`,
  issuer: 'CN=x',
  notAfter: '2030-01-01T00:00:00.000Z',
  isCa: false,
  expired: false,
  purposes: ['client-auth'],
  matched: ['client-auth'],
  der: Buffer.alloc(100, n),
  keyPem,
  locations: [],
});

describe('uploadItem / batchItems', () => {
  it('adds the key only when sending keys and one is known', () => {
    expect(uploadItem(cand(1, 'KEY\n'), false).text).not.toContain('KEY');
    expect(uploadItem(cand(1, 'KEY\n'), true)).toMatchObject({ withKey: true });
    expect(uploadItem(cand(1, 'KEY\n'), true).text).toMatch(/END CERTIFICATE-----\nKEY\n$/);
    expect(uploadItem(cand(2), true).withKey).toBe(false);
  });

  it('splits by count and by size; an oversized item travels alone', () => {
    const items = [1, 2, 3, 4, 5].map((n) => uploadItem(cand(n), false));
    expect(batchItems(items, { maxCerts: 2, maxBytes: 1e6 }).map((b) => b.length)).toEqual([2, 2, 1]);
    const size = items[0]!.text.length;
    expect(batchItems(items, { maxCerts: 100, maxBytes: size * 3 }).map((b) => b.length)).toEqual([3, 2]);
    expect(batchItems(items, { maxCerts: 100, maxBytes: 10 }).map((b) => b.length)).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('matchReply', () => {
  it('matches SHA-1 or SHA-256 in any case and with colons; unanswered and unknown are kept apart', () => {
    const batch: UploadItem[] = [1, 2, 3].map((n) => uploadItem(cand(n), false));
    const sha1WithColons = batch[0]!.candidate.sha1.toLowerCase().replace(/(..)(?!$)/g, '$1:');
    const v = matchReply(batch, { stored: [sha1WithColons], skipped: [batch[1]!.candidate.sha256, 'DEADBEEF'] });
    expect(v.stored.map((i) => i.candidate.subject)).toEqual(['CN=1']);
    expect(v.skipped.map((i) => i.candidate.subject)).toEqual(['CN=2']);
    expect(v.unanswered.map((i) => i.candidate.subject)).toEqual(['CN=3']);
    expect(v.unknown).toEqual(['DEADBEEF']);
  });
});
