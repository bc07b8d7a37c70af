import path from 'node:path';
import * as z from 'zod/mini';
import { homeLayout } from '../config/home';
import { writeJsonAtomic } from '../system/atomic-write';
import { withStateLock } from '../system/home-lock';
import { readStateFile } from '../system/state-file';

/**
 * The problems of the last provisioning run (a provisioned RCCD that would not import, an `rccd?uid` refresh whose
 * server was away, whose pin did not match or whose RCCD was refused): `<home>/state/provisioning-warnings.json`.
 * The run happens in whichever process refreshes (tray core or daemon, at start, on a policy change, every 6 hours);
 * kept in the home so `status` and the UI's state show it too — a log line alone is what nobody reads. A clean run
 * clears it.
 */
export const provisioningWarningsFile = (home: string) => path.join(homeLayout(home).state, 'provisioning-warnings.json');

const Schema = z.object({ at: z.string(), warnings: z.array(z.string()) });
type Recorded = z.infer<typeof Schema>;

export async function readProvisioningWarnings(home: string): Promise<string[]> {
  return (await readStateFile(provisioningWarningsFile(home), Schema, { at: '', warnings: [] })).warnings;
}

/** Replaces the record with this run's problems; written only when they changed (most starts have none). */
export async function recordProvisioningWarnings(home: string, warnings: string[]): Promise<void> {
  const file = provisioningWarningsFile(home);
  await withStateLock(homeLayout(home).state, async () => {
    const before = await readStateFile<Recorded>(file, Schema, { at: '', warnings: [] });
    if (JSON.stringify(before.warnings) === JSON.stringify(warnings)) return;
    await writeJsonAtomic(file, { at: new Date().toISOString(), warnings } satisfies Recorded);
  });
}
