import type * as z from 'zod/mini';
import { RcdpError, RcdpHttpError, RcdpProtocolError, RcdpServerError } from './errors';
import type { HttpReply } from './http';
import { isBusyStatus, parseRetryAfter, retryAfterText } from '../system/retry-after';
import { describeIssue, ErrorReply } from './schemas';

/**
 * What an RCDP reply means: a value of the step's schema, or the typed error the engine and CLI map to a message and
 * an exit code (a KeyTalk error object, an HTTP status with its Retry-After, a session the server ended, or a
 * reply that is not what the spec describes). Kept apart from the client, which deals with the session.
 */

/** The server does not speak the version in the path (3.1: 404, or error 1006 "unsupported version"). */
export function isVersionRefusal(err: unknown): boolean {
  return (err instanceof RcdpHttpError && err.httpStatus === 404) || (err instanceof RcdpServerError && err.serverCode === 1006);
}

export function httpError(action: string, r: HttpReply): RcdpError {
  const retryAfterMs = isBusyStatus(r.status) ? parseRetryAfter(r.headers['retry-after']) : undefined;
  const err = retryAfterMs === undefined ? tryServerError(action, r.body) : undefined;
  if (err) return err;
  return new RcdpHttpError(
    action,
    r.status,
    `the KeyTalk server answered ${action} with HTTP ${r.status}${r.status >= 500 || r.status === 429 ? ' (server problem; try again later)' : ''}${retryAfterText(retryAfterMs)}${serverSaid(r.body)}`,
    retryAfterMs,
  );
}

/** A refusal without an error code may still say why in a "description" (or "error"/"reason"): show it, shortened. */
function serverSaid(body: Buffer): string {
  try {
    const j = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const why = [j.description, j.error, j.reason].find((v): v is string => typeof v === 'string' && v.trim() !== '');
    return why ? ` (server said: ${why.trim().slice(0, 300)})` : '';
  } catch {
    return '';
  }
}

function tryServerError(action: string, body: Buffer): RcdpServerError | undefined {
  try {
    const parsed = ErrorReply.safeParse(JSON.parse(body.toString('utf8')));
    if (parsed.success) return new RcdpServerError(action, parsed.data.code, parsed.data.description ?? parsed.data.reason);
  } catch {
    // not JSON: the caller reports the HTTP status instead
  }
  return undefined;
}

export function parseReply<S extends z.ZodMiniType>(action: string, r: HttpReply, schema: S): z.infer<S> {
  if (r.status !== 200) {
    const serverErr = tryServerError(action, r.body);
    if (serverErr) throw serverErr;
    throw httpError(action, r);
  }
  let json: unknown;
  try {
    json = JSON.parse(r.body.toString('utf8'));
  } catch {
    throw new RcdpProtocolError(
      action,
      `the KeyTalk server's reply to ${action} is not JSON (${r.body.length} bytes); is this a KeyTalk server?`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new RcdpProtocolError(action, `the KeyTalk server's reply to ${action} is not a JSON object`);
  }
  const status = (json as { status?: unknown }).status;
  if (status === 'error') {
    const err = ErrorReply.safeParse(json);
    if (!err.success) throw new RcdpProtocolError(action, `malformed error reply to ${action}: ${describeIssue(err.error)}`);
    throw new RcdpServerError(action, err.data.code, err.data.description ?? err.data.reason);
  }
  if (status === 'eoc' && action !== 'eoc') {
    const reason = (json as { reason?: unknown }).reason;
    throw new RcdpProtocolError(
      action,
      `the KeyTalk server ended the session during ${action}${typeof reason === 'string' ? `: ${reason}` : ''}`,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new RcdpProtocolError(action, `malformed reply to ${action} from the KeyTalk server: ${describeIssue(parsed.error)}`);
  }
  return parsed.data;
}
