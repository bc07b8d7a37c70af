import { promises as fs } from 'node:fs';

/**
 * Whether something is at `p` (a file, folder or a link to one). Only for decisions such as "is there a
 * database yet": between this answer and the next step the file can come or go, so writes must not rely on it.
 */
export async function pathExists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}
