/**
 * Exponential backoff with full jitter: the delay before attempt n (n ≥ 1) is random in
 * [0, min(maxMs, baseMs·2^(n-1))]. Jitter keeps a fleet of agents from hammering a server that just came back.
 */
export interface RetryPolicy {
  /** Extra attempts after the first one. */
  retries: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseMs: 200, maxMs: 4000 };

export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * cap);
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(
  attemptFn: (attempt: number) => Promise<T>,
  options: {
    policy: RetryPolicy;
    isRetryable: (err: unknown) => boolean;
    sleep?: (ms: number) => Promise<void>;
    onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
    /** The least wait the error itself asks for (a server's Retry-After). */
    minDelay?: (err: unknown) => number | undefined;
  },
): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptFn(attempt);
    } catch (err) {
      if (attempt >= options.policy.retries || !options.isRetryable(err)) throw err;
      const delay = Math.max(backoffDelay(attempt + 1, options.policy), options.minDelay?.(err) ?? 0);
      options.onRetry?.(err, attempt + 1, delay);
      await sleep(delay);
    }
  }
}
