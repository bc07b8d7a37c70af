import http from 'node:http';
import { z } from 'zod';
import { Faults, User } from './fixture';
import type { RequestLog } from './request-log';
import type { SimState } from './server';

/**
 * Control endpoint (plain HTTP, loopback only, its own port so the CA's own URL space stays what the spec says):
 *   GET  /state            faults and users (without passwords)
 *   POST /faults           JSON subset of the fixture's `faults`, merged in; returns the faults now active
 *   POST /faults/reset     back to the fixture's faults
 *   PUT  /users/<name>     JSON {password, lifetimeSeconds?}: add or change a user
 *   GET  /requests         the request log (same entries as requests.jsonl)
 */
export function createControlServer(state: SimState, log: RequestLog): http.Server {
  const send = (res: http.ServerResponse, status: number, body: unknown): void => {
    const text = `${JSON.stringify(body)}\n`;
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(text);
  };
  const readJson = async (req: http.IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text.trim() ? JSON.parse(text) : {};
  };
  const publicState = (): unknown => ({
    faults: state.faults,
    users: [...state.users.values()].map((u) => ({ username: u.username, lifetimeSeconds: u.lifetimeSeconds })),
    requests: log.entries.length,
  });

  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    (async () => {
      if (req.method === 'GET' && url.pathname === '/state') return send(res, 200, publicState());
      if (req.method === 'GET' && url.pathname === '/requests') return send(res, 200, log.entries);
      if (req.method === 'POST' && url.pathname === '/faults/reset') {
        state.faults = { ...state.fixture.faults };
        return send(res, 200, state.faults);
      }
      if (req.method === 'POST' && url.pathname === '/faults') {
        const patch = Faults.partial()
          .strict()
          .safeParse(await readJson(req));
        if (!patch.success) return send(res, 400, { error: patch.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
        state.faults = { ...state.faults, ...Object.fromEntries(Object.entries(patch.data).filter(([, v]) => v !== undefined)) };
        return send(res, 200, state.faults);
      }
      const userMatch = /^\/users\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'PUT' && userMatch) {
        const body = z
          .object({ password: z.string(), lifetimeSeconds: z.number().optional() })
          .strict()
          .safeParse(await readJson(req));
        const user = User.safeParse({ username: decodeURIComponent(userMatch[1]!), ...(body.success ? body.data : {}) });
        if (!body.success || !user.success) return send(res, 400, { error: 'expected JSON {password, lifetimeSeconds?}' });
        state.users.set(user.data.username, user.data);
        return send(res, 200, publicState());
      }
      return send(res, 404, { error: `no control endpoint ${req.method} ${url.pathname}` });
    })().catch((err: unknown) => send(res, 400, { error: (err as Error).message }));
  });
}
