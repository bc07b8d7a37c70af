import { promises as fs } from 'node:fs';
import path from 'node:path';
import { listQuarantined, type QuarantinedFile } from '../system/quarantine-file';
import { coreText, type CoreText } from '../model/core-text';
import { homeLayout } from './home';
import { checkSettings } from './settings-check';

/** A damaged file moved aside, with what was wrong where the file can say (settings.json is checked again). */
export interface RepairedFile extends QuarantinedFile {
  problem?: string;
}

/**
 * Every state file the agent found damaged and moved aside (state/, each provider's folder), newest first: shown
 * by `status` and the UI's status header until support or the user deletes the `.damaged-*` copies.
 */
export async function repairedFiles(home: string): Promise<RepairedFile[]> {
  const layout = homeLayout(home);
  const providers = await fs.readdir(layout.providers).catch(() => [] as string[]);
  const files = await listQuarantined([
    layout.state,
    layout.root,
    ...providers.filter((n) => !n.startsWith('.')).map((n) => path.join(layout.providers, n)),
  ]);
  return Promise.all(files.map(async (f) => (f.name === 'settings.json' ? { ...f, problem: await settingsProblem(f.path) } : f)));
}

/** The kept copy says itself which values were dropped, so every process words the same warning without more state. */
async function settingsProblem(copy: string): Promise<string | undefined> {
  try {
    const { problems } = checkSettings(JSON.parse(await fs.readFile(copy, 'utf8')));
    return problems.length ? problems.join('; ') : undefined;
  } catch {
    return 'not valid JSON';
  }
}

/** One line per file for the user: what was moved aside, where it is kept, and when. */
export function describeRepaired(f: RepairedFile): string {
  if (f.name === 'settings.json')
    return `settings.json had invalid values on ${f.at} (${f.problem ?? 'unreadable'}); the defaults are used instead, and the original is kept at ${f.path}`;
  const next = f.name === 'provider.json' ? "re-import the provider's RCCD file" : 'the agent rebuilt what it could';
  return `${f.name} was found damaged on ${f.at} and moved aside to ${f.path}; ${next}`;
}

/** describeRepaired's sentence as a coded text, for the UI to say in the user's language. */
export function repairedText(f: RepairedFile): CoreText {
  const message = describeRepaired(f);
  if (f.name === 'settings.json')
    return coreText('repaired.settings', message, { at: f.at, problem: f.problem ?? 'unreadable', path: f.path });
  return coreText(f.name === 'provider.json' ? 'repaired.provider' : 'repaired.file', message, {
    file: f.name,
    at: f.at,
    path: f.path,
  });
}
