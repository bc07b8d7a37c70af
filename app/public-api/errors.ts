/**
 * A failed Public API call. Its own module so callers that only classify errors (the scheduler's periodic jobs)
 * do not load the client and its zod reply schemas until a call is actually made (issue 7's idle daemon).
 */
export class PublicApiError extends Error {
  constructor(
    readonly endpoint: string,
    message: string,
    readonly kind: 'network' | 'tls' | 'http' | 'server-error' | 'bad-reply',
    readonly httpStatus?: number,
    readonly serverError?: string,
    /** A 429/503's Retry-After (app/system/retry-after.ts): the scheduler waits at least this long. */
    readonly retryAfterMs?: number,
  ) {
    super(`Public API ${endpoint}: ${message}`);
    this.name = 'PublicApiError';
  }
}
