/**
 * What the file store finds after a crash, and how it puts it right. The temporary names (all start with ".tmp-",
 * so a listing never mistakes them for certificates):
 *   .tmp-<FP>-<r>       being written: incomplete until renamed to .tmp-new-; stale ones are deleted
 *   .tmp-new-<FP>-<r>   complete, ready to be renamed to <FP>; if <FP> is missing it is renamed in
 *   .tmp-old-<FP>-<r>   the previous <FP> set aside during a replace; put back when <FP> is missing, deleted only
 *                       once a complete <FP> with that certificate is in place
 *   .tmp-del-<FP>-<r>   being removed: remove() already took it out of the index, so it is deleted
 * A fingerprint-named folder is therefore only ever a complete one, and no step deletes the only complete copy.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { certFacts, parseCertificate } from './cert-summary';

export const TMP_PREFIX = '.tmp-';
/** Temporary folders younger than this may belong to another agent process still writing them. */
export const STALE_TMP_MS = 10 * 60_000;

const NAMED = /^\.tmp-(new|old|del)-([0-9A-F]{64})-[0-9a-f]+$/;

/** Does `dir/<fp>/cert.pem` hold the certificate with that fingerprint (a complete folder)? */
export async function folderHolds(dir: string, fp: string): Promise<boolean> {
  try {
    const pem = await fs.readFile(path.join(dir, fp, 'cert.pem'), 'utf8');
    return certFacts(parseCertificate(pem)).sha256Fingerprint === fp;
  } catch {
    return false;
  }
}

/**
 * Finish or undo replaces and removes a crash interrupted, then delete what is safe to delete. `names` is the
 * folder listing. Returns the fingerprints whose folder was put in place (their cached index entry is stale) and
 * the problems worth telling the user (nothing is deleted that could be a last copy).
 */
export async function recoverTemporaries(
  dir: string,
  names: string[],
  now = Date.now(),
): Promise<{ restored: string[]; problems: string[] }> {
  const problems: string[] = [];
  const restored: string[] = [];
  const present = new Set(names);
  const tmp = names.filter((n) => n.startsWith(TMP_PREFIX));
  // Ready new folders first: they are the latest complete copy.
  const order = (n: string) => (n.startsWith('.tmp-new-') ? 0 : n.startsWith('.tmp-old-') ? 1 : 2);
  for (const n of tmp.sort((a, b) => order(a) - order(b))) {
    const full = path.join(dir, n);
    const st = await fs.stat(full).catch(() => undefined);
    if (!st) continue;
    const m = NAMED.exec(n);
    if (m) {
      const [, kind, fp] = m as unknown as [string, 'new' | 'old' | 'del', string];
      if (kind === 'del') {
        await fs.rm(full, { recursive: true, force: true });
      } else if (!present.has(fp)) {
        // <FP> is missing: the crash fell between "old aside" and "new in". Put the complete copy in place.
        await fs.rename(full, path.join(dir, fp));
        present.add(fp);
        restored.push(fp);
      } else if (kind === 'old' && (await folderHolds(dir, fp))) {
        await fs.rm(full, { recursive: true, force: true });
      } else if (kind === 'new' && now - st.mtimeMs > STALE_TMP_MS && (await folderHolds(dir, fp))) {
        // Same fingerprint = same certificate, and a complete <FP> is in place: the ready copy is redundant.
        await fs.rm(full, { recursive: true, force: true });
      } else if (kind === 'old') {
        problems.push(`${path.join(dir, fp)} is damaged; the previous copy is kept in ${full}`);
      }
      continue;
    }
    // Still being written by someone, or left by a crash before it was complete (never the only copy).
    if (now - st.mtimeMs > STALE_TMP_MS) await fs.rm(full, { recursive: true, force: true });
  }
  return { restored, problems };
}
