import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { findService, findUser, userRuntime, type SimContext } from './context';
import type { FaultTable } from './faults';
import { faultSchema } from './fixture';
import { readBody } from './http-util';
import type { RequestLog } from './request-log';
import type { TlsFault } from './sim-pki';

export interface ControlDeps {
  faults: FaultTable;
  log: RequestLog;
  setTls(mode: 'normal' | TlsFault): Promise<void>;
  rccdUids: Record<string, string>;
}

const messageBody = z.object({ text: z.string(), utc: z.string().optional(), user: z.string().optional() }).strict();
const disclaimerBody = z
  .object({ name: z.string().min(1), text: z.string(), checkInterval: z.number().int().positive().default(60) })
  .strict();
const messagesBody = z
  .object({ messages: z.array(z.object({ text: z.string(), utc: z.string() }).strict()), user: z.string().optional() })
  .strict();

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

async function json(req: IncomingMessage): Promise<unknown> {
  const b = await readBody(req);
  if (b.length === 0) return {};
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    throw new Error('control request body is not JSON');
  }
}

/** The control endpoint (plain HTTP on loopback): see README "Control endpoint". */
export async function handleControl(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  deps: ControlDeps,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://control.invalid');
  const parts = url.pathname.split('/').filter(Boolean);
  const m = req.method ?? 'GET';
  const bad = (msg: string, status = 400) => send(res, status, { error: msg });
  try {
    switch (parts[0]) {
      case 'state':
        return send(res, 200, {
          urls: ctx.urls,
          sessions: ctx.sessions.size,
          issued: ctx.registry.all().length,
          keyPool: ctx.keyPool.size,
          healthy: ctx.healthy,
          rccdUids: deps.rccdUids,
        });
      case 'log':
        if (m === 'DELETE') {
          deps.log.clear();
          return send(res, 200, { ok: true });
        }
        return send(res, 200, deps.log.entries());
      case 'faults': {
        if (m === 'GET') return send(res, 200, deps.faults.list());
        if (m === 'POST') {
          const r = faultSchema.safeParse(await json(req));
          if (!r.success)
            return bad(`invalid fault: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
          return send(res, 201, deps.faults.add(r.data));
        }
        if (m === 'DELETE') {
          if (parts[1]) return send(res, deps.faults.remove(Number(parts[1])) ? 200 : 404, { ok: true });
          deps.faults.clear();
          return send(res, 200, { ok: true });
        }
        return bad('use GET, POST or DELETE', 405);
      }
      case 'tls': {
        const body = (await json(req)) as { mode?: string };
        if (m !== 'POST' || !['normal', 'expired', 'foreign', 'user-ca', 'no-eku'].includes(body.mode ?? ''))
          return bad('POST {"mode": "normal"|"expired"|"foreign"|"user-ca"|"no-eku"}');
        await deps.setTls(body.mode as 'normal');
        return send(res, 200, { ok: true, mode: body.mode });
      }
      case 'health': {
        const body = (await json(req)) as { healthy?: boolean };
        if (m !== 'POST' || typeof body.healthy !== 'boolean') return bad('POST {"healthy": true|false}');
        ctx.healthy = body.healthy;
        return send(res, 200, { ok: true });
      }
      case 'messages': {
        const user = url.searchParams.get('user') ?? undefined;
        const list = () => (user ? (ctx.userMessages.get(user) ?? []) : ctx.serverMessages);
        if (m === 'GET') return send(res, 200, list());
        if (m === 'POST') {
          const r = messageBody.safeParse(await json(req));
          if (!r.success) return bad('POST {"text": "...", "utc"?: ISO, "user"?: USERID}');
          const msg = { text: r.data.text, utc: r.data.utc ?? new Date().toISOString() };
          if (r.data.user) ctx.userMessages.set(r.data.user, [...(ctx.userMessages.get(r.data.user) ?? []), msg]);
          else ctx.serverMessages.push(msg);
          return send(res, 201, msg);
        }
        if (m === 'PUT') {
          const r = messagesBody.safeParse(await json(req));
          if (!r.success) return bad('PUT {"messages": [{"text","utc"}], "user"?: USERID}');
          if (r.data.user) ctx.userMessages.set(r.data.user, r.data.messages);
          else ctx.serverMessages.splice(0, ctx.serverMessages.length, ...r.data.messages);
          return send(res, 200, { ok: true });
        }
        if (m === 'DELETE') {
          if (user) ctx.userMessages.delete(user);
          else ctx.serverMessages.length = 0;
          return send(res, 200, { ok: true });
        }
        return bad('use GET, POST, PUT or DELETE', 405);
      }
      case 'services': {
        // The administrator changes (or withdraws) a service's e-mail disclaimer; agents see it at their next check.
        const ref = findService(ctx, parts[1] ? decodeURIComponent(parts[1]) : undefined);
        if (!ref) return bad(`unknown service "${parts[1] ?? ''}"`, 404);
        if (parts[2] !== 'disclaimer')
          return bad(`unknown service setting "${parts[2] ?? ''}"; use /services/<name>/disclaimer`, 404);
        if (m === 'GET') return send(res, 200, ref.service.cert.disclaimer ?? null);
        if (m === 'PUT') {
          const r = disclaimerBody.safeParse(await json(req));
          if (!r.success) return bad('PUT {"name": "...", "text": "...", "checkInterval"?: minutes}');
          ref.service.cert.disclaimer = r.data;
          return send(res, 200, r.data);
        }
        if (m === 'DELETE') {
          delete ref.service.cert.disclaimer;
          return send(res, 200, { ok: true });
        }
        return bad('use GET, PUT or DELETE', 405);
      }
      case 'issued': {
        const user = url.searchParams.get('user');
        return send(
          res,
          200,
          ctx.registry.all().filter((r) => !user || r.userId === user),
        );
      }
      case 'store-certs': {
        const user = url.searchParams.get('user');
        return send(
          res,
          200,
          ctx.storeCertsReceived.filter((r) => !user || r.user === user),
        );
      }
      case 'kerberos-checks':
        return send(res, 200, ctx.kerberosChecks);
      case 'outbox':
        return send(res, 200, await ctx.outbox.list(url.searchParams.get('to') ?? undefined));
      case 'users': {
        const id = parts[1] ? decodeURIComponent(parts[1]) : undefined;
        const user = findUser(ctx, undefined, id);
        if (!user) return bad(`unknown user "${id ?? ''}"`, 404);
        const rt = userRuntime(ctx, user);
        const body = (m === 'POST' ? await json(req) : {}) as Record<string, unknown>;
        switch (parts[2]) {
          case undefined:
            return send(res, 200, {
              id: user.id,
              ...rt,
              approved: [...rt.approved],
              approvalPolls: Object.fromEntries(rt.approvalPolls),
            });
          case 'revoke': {
            const serial = typeof body.serial === 'string' ? body.serial.toLowerCase() : undefined;
            const hit = ctx.registry.forUser(user.id).filter((r) => !serial || r.serial === serial);
            for (const r of hit) ctx.registry.update(r.serial, { revoked: true });
            return send(res, 200, { revoked: hit.map((r) => r.serial) });
          }
          case 'shorten': {
            const seconds = Number(body.seconds);
            if (!Number.isFinite(seconds) || seconds < 0) return bad('POST {"seconds": n}');
            rt.lifetimeOverride = Math.max(1, seconds);
            const until = new Date(Date.now() + seconds * 1000).toISOString();
            const hit = ctx.registry.forUser(user.id).filter((r) => !r.revoked && r.notAfter > until);
            for (const r of hit) ctx.registry.update(r.serial, { notAfter: until });
            return send(res, 200, { shortened: hit.map((r) => r.serial), lifetimeOverride: rt.lifetimeOverride });
          }
          case 'approve': {
            if (typeof body.service !== 'string') return bad('POST {"service": name}');
            rt.approved.add(body.service);
            return send(res, 200, { ok: true });
          }
          case 'lock': {
            const seconds = Number(body.seconds ?? 300);
            rt.lockedUntil = Date.now() + seconds * 1000;
            return send(res, 200, { ok: true });
          }
          case 'unlock':
            delete rt.lockedUntil;
            delete rt.delayUntil;
            rt.failures = 0;
            return send(res, 200, { ok: true });
          case 'password': {
            if (typeof body.password === 'string') rt.password = body.password;
            if (typeof body.expired === 'boolean') rt.passwordExpired = body.expired;
            return send(res, 200, { ok: true });
          }
          default:
            return bad(`unknown user action "${parts[2]}"`, 404);
        }
      }
      default:
        return bad('unknown control path; see simulators/keytalk/README.md', 404);
    }
  } catch (e) {
    return bad((e as Error).message);
  }
}
