import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../system/atomic-write';
import { prefLine, type PrefValue } from './prefs';

/**
 * Our lines in a profile's user.js, between markers, one block per purpose ("smime", "address-books",
 * "disclaimer"), so a re-run replaces exactly what we wrote before and never the user's own lines.
 * user.js is read by Thunderbird at start-up only, so writing it while Thunderbird runs is safe: the values
 * take effect at the next start (prefs.js, which Thunderbird rewrites on exit, is never touched).
 */
const begin = (block: string) =>
  `// BEGIN KeyTalk Agent: ${block} (managed automatically; edits between these lines are replaced)`;
const end = (block: string) => `// END KeyTalk Agent: ${block}`;

export function replaceBlock(text: string, block: string, lines: string[]): string {
  const b = begin(block);
  const e = end(block);
  const all = text.split(/\r?\n/);
  const out: string[] = [];
  let inside = false;
  for (const line of all) {
    if (line === b) {
      inside = true;
      continue;
    }
    if (inside) {
      if (line === e) inside = false;
      continue;
    }
    out.push(line);
  }
  if (inside) throw new Error(`user.js has "${b}" without its end marker; remove the unfinished KeyTalk block and try again`);
  while (out.length && out[out.length - 1] === '') out.pop();
  if (lines.length) {
    if (out.length) out.push('');
    out.push(b, ...lines, e);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** Replace (or, with an empty map, remove) our block in <profile>/user.js, atomically. */
export async function writeUserJsBlock(profileDir: string, block: string, prefs: [string, PrefValue][]): Promise<string> {
  const file = path.join(profileDir, 'user.js');
  let text = '';
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const next = replaceBlock(
    text,
    block,
    prefs.map(([n, v]) => prefLine(n, v)),
  );
  if (next !== text) await writeFileAtomic(file, next, { mode: 0o600 });
  return file;
}
