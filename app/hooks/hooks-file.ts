import path from 'node:path';
import * as z from 'zod/mini';
import { homeLayout } from '../config/home';
import { writeJsonAtomic } from '../system/atomic-write';
import { withStateLock } from '../system/home-lock';
import { readStateFile } from '../system/state-file';

/**
 * <home>/state/hooks.json: per certificate, the commands to run around its renewal (certmonger's -B/-C,
 * `step ca renew --exec`), and how the last run went. Read through state-file.ts and written atomically, so a
 * damaged file is quarantined instead of stopping renewals, and the inter-process lock wrapping state writes
 * covers it. Keyed by the certificate's SHA-256; a renewal moves the entry to the successor (hooks follow the
 * certificate, as the operator set them for "this server's certificate", not for one fingerprint).
 */
const LastRun = z.object({
  at: z.string(),
  phase: z.enum(['pre', 'post']),
  trigger: z.enum(['enrollment', 'renewal']),
  exitCode: z.nullable(z.number()),
  signal: z.optional(z.string()),
  timedOut: z.boolean(),
  durationMs: z.number(),
  /** The last part of what it printed (stdout and stderr), for `status` and support. */
  output: z.string(),
});
export type HookRun = z.infer<typeof LastRun>;

const Hook = z.object({
  sha256: z.string(),
  provider: z.string(),
  service: z.string(),
  postHook: z.optional(z.string()),
  preHook: z.optional(z.string()),
  timeoutSeconds: z.optional(z.number()),
  last: z.optional(LastRun),
  /** Post-hook failures in a row (reset by a success), for monitoring. */
  failures: z.optional(z.number()),
});
export type CertificateHook = z.infer<typeof Hook>;

const HooksFile = z.object({ hooks: z.array(Hook) });

export const DEFAULT_HOOK_TIMEOUT_SECONDS = 60;

export const hooksFile = (home: string) => path.join(homeLayout(home).state, 'hooks.json');

export async function readHooks(home: string): Promise<CertificateHook[]> {
  return (await readStateFile(hooksFile(home), HooksFile, { hooks: [] })).hooks;
}

/**
 * Read-modify-write of hooks.json (one atomic replace) under the home's state lock, so a daemon recording a hook
 * run and a CLI `hooks set` at the same moment do not drop each other's change.
 */
export function updateHooks(home: string, change: (hooks: CertificateHook[]) => CertificateHook[]): Promise<CertificateHook[]> {
  return withStateLock(homeLayout(home).state, async () => {
    const next = change(await readHooks(home));
    await writeJsonAtomic(hooksFile(home), { hooks: next });
    return next;
  });
}

export function hookFor(hooks: CertificateHook[], sha256: string): CertificateHook | undefined {
  return hooks.find((h) => h.sha256.toUpperCase() === sha256.toUpperCase());
}
