/**
 * Hook runs in flight in this process. A command that ends (renew, enroll) waits for them, so a post-hook is not
 * cut off by the CLI's exit; the daemon just lets them run. Its own tiny module: the daemon imports it at start,
 * the hook runner only when a renewal happens.
 */
const pending = new Set<Promise<unknown>>();

export function trackHook<T>(work: Promise<T>): Promise<T> {
  pending.add(work);
  void work.then(
    () => pending.delete(work),
    () => pending.delete(work),
  );
  return work;
}

export async function settleHooks(): Promise<void> {
  while (pending.size) await Promise.allSettled([...pending]);
}
