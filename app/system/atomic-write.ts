import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface AtomicWriteOptions {
  /**
   * File mode for the final file, e.g. 0o600 for keys and secrets. Default: 0o600 inside a private folder (one
   * that group and others cannot enter: the agent home and everything under it), 0o644 elsewhere (a mail
   * client's profile, a system CA folder keep their usual modes).
   */
  mode?: number;
}

/** True when the nearest existing folder at or above `dir` is closed to group and others (mode & 0o077 === 0). */
async function isPrivateFolder(dir: string): Promise<boolean> {
  for (let d = dir; ; d = path.dirname(d)) {
    const st = await fs.stat(d).catch(() => undefined);
    if (st) return process.platform === 'win32' || (st.mode & 0o077) === 0;
    if (path.dirname(d) === d) return false;
  }
}

/**
 * mkdir -p where new folders inside a private folder are private too (0700), so a file written under the
 * agent home never lands in a folder other users can list.
 */
export async function mkdirInheritingPrivacy(dir: string): Promise<void> {
  const exists = await fs.stat(dir).catch(() => undefined);
  if (exists) return;
  await fs.mkdir(dir, { recursive: true, ...((await isPrivateFolder(dir)) ? { mode: 0o700 } : {}) });
}

/**
 * Write a file so that readers see either the old content or the new one, never a half-written file:
 * write a temporary sibling, fsync it, then rename over the target (rename is atomic on one filesystem).
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(file);
  await mkdirInheritingPrivacy(dir);
  const mode = options.mode ?? ((await isPrivateFolder(dir)) ? 0o600 : 0o644);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'wx', mode);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Inside the cleanup: a failed write or fsync (ENOSPC, EIO) must not leave its temp file behind, or a
    // retrying daemon fills the folder with them.
    await fs.chmod(tmp, mode);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** JSON variant of writeFileAtomic, pretty-printed so support staff can read state files. */
export async function writeJsonAtomic(file: string, value: unknown, options: AtomicWriteOptions = {}): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, options);
}

/** Read a JSON file, returning `fallback` when it does not exist yet. Corrupt JSON is an error, not silently replaced. */
export async function readJsonFile<T>(file: string, fallback: T): Promise<T> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message}); move it aside or restore it from a backup`);
  }
}
