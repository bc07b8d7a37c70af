import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * A damaged state file is never deleted and never silently replaced: it is renamed aside as
 * `NAME.damaged-<timestamp>` in the same folder (kept for support), and the agent continues with what it can
 * rebuild. The renamed files are themselves the record of what was damaged, so every process (tray app, daemon,
 * a CLI `status`) sees the same list without any further state file that could itself be damaged.
 */

const MARK = '.damaged-';

/** Move `file` aside; returns the new path (undefined when the file vanished meanwhile, e.g. another process moved it). */
export async function quarantineFile(file: string, now: Date = new Date()): Promise<string | undefined> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let n = 0; n < 100; n++) {
    const target = `${file}${MARK}${stamp}${n ? `-${n}` : ''}`;
    try {
      // link + unlink, not rename: rename would silently replace an existing quarantined copy.
      await fs.link(file, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code === 'ENOENT') return undefined;
      // Filesystems without hard links: fall back to rename (same folder, so atomic).
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') {
        await fs.rename(file, target);
        return target;
      }
      throw err;
    }
    await fs.rm(file, { force: true });
    return target;
  }
  throw new Error(`${file} is damaged and could not be moved aside (too many earlier copies in ${path.dirname(file)})`);
}

export interface QuarantinedFile {
  /** The original name, e.g. "schedule.json". */
  name: string;
  /** Where the damaged copy is kept. */
  path: string;
  /** When it was moved aside (from the name). */
  at: string;
}

/** Every file moved aside in these folders (newest first): what `status` and the UI report. */
export async function listQuarantined(dirs: string[]): Promise<QuarantinedFile[]> {
  const out: QuarantinedFile[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      const i = n.lastIndexOf(MARK);
      if (i <= 0 || n.startsWith('.')) continue;
      const iso = n.slice(i + MARK.length).replace(/^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})-(\d{3})Z.*$/, '$1:$2:$3.$4Z');
      out.push({ name: n.slice(0, i), path: path.join(dir, n), at: iso });
    }
  }
  return out.sort((a, b) => b.at.localeCompare(a.at));
}
