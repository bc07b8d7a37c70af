import type * as z from 'zod/mini';
import { describeZodIssue } from '../system/describe-zod-issue';
import { PublicApiError } from './errors';
import { ErrorReply } from './schemas';
import { isBusyStatus, parseRetryAfter, retryAfterText } from '../system/retry-after';
import type { RawReply } from './transport';

// Reading a Public API reply: JSON, the server's {status:"error"} form, the endpoint's zod schema, and what a
// non-200 status means, each turned into a PublicApiError that names the endpoint and the problem.

export function parseJsonReply(endpoint: string, raw: RawReply): unknown {
  try {
    return JSON.parse(raw.body.toString('utf8'));
  } catch {
    throw new PublicApiError(
      endpoint,
      `reply is not JSON (HTTP ${raw.status}, ${raw.contentType || 'no content type'}): ${raw.body.toString('utf8').slice(0, 120)}`,
      'bad-reply',
      raw.status,
    );
  }
}

export function parseReply<S extends z.ZodMiniType>(endpoint: string, raw: RawReply, schema: S): z.infer<S> {
  const value = parseJsonReply(endpoint, raw);
  const err = ErrorReply.safeParse(value);
  if (err.success) {
    throw new PublicApiError(
      endpoint,
      `server error: ${err.data.error ?? '(no details)'}`,
      'server-error',
      raw.status,
      err.data.error,
    );
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => describeZodIssue(i, '(reply)')).join('; ');
    throw new PublicApiError(
      endpoint,
      `unexpected reply (${issues}); is the server a KeyTalk server with Public API 1.6.x?`,
      'bad-reply',
      raw.status,
    );
  }
  return result.data;
}

export function replyError(endpoint: string, raw: RawReply): PublicApiError {
  let detail: string | undefined;
  try {
    const err = ErrorReply.safeParse(JSON.parse(raw.body.toString('utf8')));
    if (err.success) detail = err.data.error ?? '(no details)';
  } catch {
    /* not JSON: report the status only */
  }
  if (raw.status === 404) {
    return new PublicApiError(endpoint, 'HTTP 404: the server does not offer this endpoint (older KeyTalk server?)', 'http', 404);
  }
  const wait = isBusyStatus(raw.status) ? parseRetryAfter(raw.retryAfter) : undefined;
  const text = `HTTP ${raw.status}${detail !== undefined ? `: ${detail}` : ''}${retryAfterText(wait)}`;
  return new PublicApiError(endpoint, text, detail !== undefined ? 'server-error' : 'http', raw.status, detail, wait);
}
