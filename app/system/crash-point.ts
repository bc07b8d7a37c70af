/**
 * Crash points: named places right after a write the agent must survive being killed at (a key, a certificate,
 * a PKCS#12, an NSS import, the schedule, an RCCD import, the enrollment record, a store switch-over).
 *
 * Why this exists in product code: the crash-safety tests (app/system/crash-safety.test.ts) run the real CLI in a
 * child process and need it to die with SIGKILL exactly between two writes, which no timing from outside can hit
 * reliably. With KEYTALK_AGENT_CRASH_AT=<name> set, the process kills itself (SIGKILL: no handlers, no flush,
 * no finally blocks — what a power cut or the OOM killer does) when it reaches that point. Unset (always, outside
 * those tests) it is a single environment lookup and does nothing.
 */
export const CRASH_POINTS = [
  'key',
  'certificate',
  'p12',
  'store-swap',
  'nss-import',
  'enrollment-record',
  'schedule',
  'switch-over',
  'provider-import',
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

const hits = new Map<string, number>();

/** `KEYTALK_AGENT_CRASH_AT=<name>` dies at the first pass, `<name>#<n>` at the n-th (e.g. a later schedule write). */
export function crashPoint(name: CrashPoint): void {
  const want = process.env.KEYTALK_AGENT_CRASH_AT;
  if (!want || !want.startsWith(name)) return;
  const n = (hits.get(name) ?? 0) + 1;
  hits.set(name, n);
  if (want === name || want === `${name}#${n}`) process.kill(process.pid, 'SIGKILL');
}
