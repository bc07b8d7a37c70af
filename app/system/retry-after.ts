/**
 * HTTP Retry-After (RFC 9110 §10.2.3) on 429 and 503 replies, from any server the agent talks to (RCDP, Public
 * API, Online CA). The KeyTalk documents are silent on it, so the agent is tolerant: it honours the header when
 * present (seconds or an HTTP date) and does without it otherwise. DELAY in an RCDP auth-status is a different
 * thing (a rejected sign-in's wait, handled by the engine) and is not read here.
 */

/**
 * The longest server-asked wait honoured: a header asking for days would stop renewals too close to expiry, so
 * beyond this the agent's own back-off (whose cap is the same hour) takes over again.
 */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/** Milliseconds to wait from `now`, capped; undefined when absent or unreadable (then the own back-off applies). */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    const at = Date.parse(v);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/** Statuses whose Retry-After means "come back later" (RFC 9110 §15.6.4, RFC 6585 §4). */
export const isBusyStatus = (status: number): boolean => status === 429 || status === 503;

/** The server-asked wait carried by an error or anything in its cause chain (errors set `retryAfterMs`). */
export function retryAfterOf(err: unknown): number | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const ms = (e as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof ms === 'number' && Number.isFinite(ms)) return ms;
  }
  return undefined;
}

/** "; the server asks to wait 2 min before trying again" — appended to the error a user reads. */
export function retryAfterText(ms: number | undefined): string {
  if (ms === undefined) return '';
  const s = Math.ceil(ms / 1000);
  const span = s >= 120 ? `${Math.round(s / 60)} min` : `${s} s`;
  return `; the server is busy and asks to wait ${span} before trying again`;
}
