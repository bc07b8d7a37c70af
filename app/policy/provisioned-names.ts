import path from 'node:path';
import { homeLayout } from '../config/home';
import { readJsonFile } from '../system/atomic-write';

/**
 * The record of which providers the policy provisioned (<home>/state/provisioned-providers.json), apart from the
 * importer in provisioned.ts: the RCCD store asks it before removing a provider, and the importer needs the RCCD
 * store, so one module for both would be an import circle.
 */
export const provisionedFile = (home: string) => path.join(homeLayout(home).state, 'provisioned-providers.json');

/** The provisioned provider names recorded at the last start (none when there is no record). */
export async function provisionedNames(home: string): Promise<string[]> {
  const rec = await readJsonFile<{ names?: unknown }>(provisionedFile(home), {});
  return Array.isArray(rec.names) ? rec.names.filter((n): n is string => typeof n === 'string') : [];
}
