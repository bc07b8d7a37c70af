import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody as readBoundedBody } from '../shared/read-body';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

const MAX_BODY = 2 * 1024 * 1024;

/** Read the request body, at most MAX_BODY bytes; a larger one is answered 413. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return readBoundedBody(req, { maxBytes: MAX_BODY, tooLarge: (message) => new HttpError(413, message) });
}

/** Query string plus, for urlencoded POSTs, the form fields (form wins on conflicts). */
export async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, string>> {
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  if (req.method === 'POST' || req.method === 'PUT') {
    const body = await readBody(req);
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (body.length > 0) {
      if (type.includes('application/json')) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          throw new HttpError(400, 'request body is not valid JSON');
        }
        if (parsed && typeof parsed === 'object') {
          for (const [k, v] of Object.entries(parsed)) params[k] = typeof v === 'string' ? v : JSON.stringify(v);
        }
      } else {
        for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = v;
      }
    }
  }
  return params;
}

/** JSON with forward slashes escaped as "\/", as the RCDP documents require of the server. */
export function rcdpJson(value: unknown): string {
  return JSON.stringify(value).replace(/\//g, '\\/');
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = rcdpJson(value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-cache',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

export function parseBool(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
}

/** Parse a JSON request parameter, naming the parameter when it is malformed. */
export function parseJsonParam<T = unknown>(params: Record<string, string>, name: string): T | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw new HttpError(400, `parameter "${name}" is not valid JSON`);
  }
}
