import type { CoreTextCode } from '../model/core-text';

/**
 * Errors that say the disk, not the agent, is the problem: full, over quota, read-only. They become the
 * store-failed outcome (CLI exit 10, a clear UI error) with a sentence naming the fix, never "internal".
 */
const DISK_CODES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
};

/** The sentence for a disk error (undefined for any other error). */
export function describeDiskError(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException | undefined;
  const what = e?.code ? DISK_CODES[e.code] : undefined;
  if (!what) return undefined;
  const where = e?.path ? ` (writing ${e.path})` : '';
  return `${what}${where}; free space or make the agent home writable and try again — nothing was half-written and existing certificates were kept`;
}

const DISK_TEXTS: Record<string, CoreTextCode> = { ENOSPC: 'disk.full', EDQUOT: 'disk.quota', EROFS: 'disk.read-only' };

/** The code of a disk error's sentence (app/model/core-text.ts), for the UI to say it in the user's language. */
export function diskErrorCode(err: unknown): CoreTextCode | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code ? DISK_TEXTS[code] : undefined;
}
