import { promises as fs } from 'node:fs';
import path from 'node:path';
import { listQuarantined, type QuarantinedFile } from '../system/quarantine-file';
import { homeLayout } from './home';

/**
 * Every state file the agent found damaged and moved aside (state/, each provider's folder), newest first: shown
 * by `status` and the UI's status header until support or the user deletes the `.damaged-*` copies.
 */
export async function repairedFiles(home: string): Promise<QuarantinedFile[]> {
  const layout = homeLayout(home);
  const providers = await fs.readdir(layout.providers).catch(() => [] as string[]);
  return listQuarantined([
    layout.state,
    layout.root,
    ...providers.filter((n) => !n.startsWith('.')).map((n) => path.join(layout.providers, n)),
  ]);
}

/** One line per file for the user: what was moved aside, where it is kept, and when. */
export function describeRepaired(f: QuarantinedFile): string {
  const next = f.name === 'provider.json' ? "re-import the provider's RCCD file" : 'the agent rebuilt what it could';
  return `${f.name} was found damaged on ${f.at} and moved aside to ${f.path}; ${next}`;
}
