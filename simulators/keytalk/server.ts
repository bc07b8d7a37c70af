import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { RsaKeyPool } from '../pki/keys';
import { writeFileAtomic } from '../pki/atomic-file';
import { handleCa, handleOob } from './ca-api';
import type { SimContext } from './context';
import { handleControl } from './control';
import { FaultTable } from './faults';
import { loadFixtureFile, parseFixture, type Fixture, type FixtureInput } from './fixture';
import { HttpError, rcdpJson, readParams } from './http-util';
import { Outbox } from './outbox';
import { handlePublic } from './public-api';
import { buildRccd } from './rccd';
import { handleRcdp, parseRcdpPath } from './rcdp';
import { IssuedRegistry } from './registry';
import type { Reply } from './reply';
import { redact, RequestLog } from './request-log';
import { SessionStore } from './sessions';
import { faultTlsIdentity, loadSimPki, type TlsFault } from './sim-pki';
import { handleSsapi } from './ssapi';

export interface KeytalkSimulatorOptions {
  /** Path of a YAML fixture, or the fixture itself. */
  fixture: string | FixtureInput;
  stateDir: string;
  /** HTTPS port of RCDP/Public/CA API; 0 or absent = random. */
  port?: number;
  controlPort?: number;
}

export interface KeytalkSimulator {
  /** https://127.0.0.1:<port> — RCDP, Public API, CA API, out-of-band downloads. */
  url: string;
  /** http://127.0.0.1:<port> — plain-HTTP CA API, Public API and out-of-band downloads. */
  httpUrl: string;
  /** https://127.0.0.1:<port> — Self-Service API (client certificate required). */
  ssapiUrl: string;
  /** Provider name → RCCD file. */
  rccds: Record<string, string>;
  /** Folder where OTPs and mails land (one JSON file each). */
  outbox: string;
  /** http://127.0.0.1:<port> — control endpoint (faults, messages, users, log). */
  control: string;
  /** PEM bundle to trust for the simulator's TLS (communication CA, primary CA, root CA). */
  caFile: string;
  /** JSONL request log. */
  requestLog: string;
  context: SimContext;
  stop(): Promise<void>;
}

/** Restarts on the same port rewrite nothing: a write with fsync costs more than a compare on a busy machine. */
async function writeIfChanged(file: string, data: Buffer): Promise<void> {
  const old = await fs.readFile(file).catch(() => null);
  if (!old || !old.equals(data)) await writeFileAtomic(file, data);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startKeytalkSimulator(opts: KeytalkSimulatorOptions): Promise<KeytalkSimulator> {
  const fixture: Fixture = typeof opts.fixture === 'string' ? await loadFixtureFile(opts.fixture) : parseFixture(opts.fixture);
  const stateDir = path.resolve(opts.stateDir);
  await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
  const [pki, registry] = await Promise.all([
    loadSimPki(stateDir),
    (async () => {
      const r = new IssuedRegistry(stateDir);
      await r.load();
      return r;
    })(),
  ]);
  const outbox = new Outbox(path.join(stateDir, 'outbox'));
  await outbox.init();
  const keyPool = new RsaKeyPool(fixture.server.rsaKeyPool, 2048, 2, fixture.server.reuseKeys);
  const log = new RequestLog(path.join(stateDir, 'requests.jsonl'));
  const faults = new FaultTable();
  for (const f of fixture.server.faults) faults.add(f);

  const ctx: SimContext = {
    fixture,
    pki,
    sessions: new SessionStore(fixture.server.sessionIdleSeconds * 1000),
    registry,
    outbox,
    keyPool,
    serverMessages: [...fixture.server.messages],
    userMessages: new Map(
      fixture.providers.flatMap((p) => p.users.filter((u) => u.messages).map((u) => [u.id, [...u.messages!]] as const)),
    ),
    users: new Map(),
    oob: new Map(),
    storedCerts: new Map(),
    storeCertsReceived: [],
    kerberosChecks: [],
    healthy: fixture.server.healthy,
    urls: { https: '', http: '', ssapi: '' },
  };
  const rccds: Record<string, string> = {};
  const rccdUids: Record<string, string> = {};

  async function route(
    api: 'main' | 'http' | 'ssapi',
    req: IncomingMessage,
    url: URL,
    params: Record<string, string>,
  ): Promise<Reply> {
    const parts = url.pathname.split('/').filter(Boolean);
    if (api === 'ssapi') return handleSsapi(ctx, req, parts, params);
    if ((parts[0] === 'rcdp' || parts[0] === 'rdp') && api === 'main') {
      const r = parseRcdpPath(url.pathname);
      if (r) return handleRcdp(ctx, req, r, params);
    }
    if (parts[0] === 'public') return handlePublic(ctx, req.method ?? 'GET', parts, params, { rccds, rccdUids });
    if (parts[0] === 'ca') return handleCa(ctx, parts, url.searchParams);
    if (parts[0] === 'cert' && parts.length === 1) return handleOob(ctx, url.search);
    return { status: 404, json: { status: 'error', description: `no such path ${url.pathname}` } };
  }

  function serve(api: 'main' | 'http' | 'ssapi') {
    return async (req: IncomingMessage, res: ServerResponse) => {
      const started = Date.now();
      const url = new URL(req.url ?? '/', 'http://sim.invalid');
      const entry = {
        time: new Date().toISOString(),
        method: req.method ?? '?',
        path: url.pathname,
        api: api === 'ssapi' ? 'ssapi' : (url.pathname.split('/')[1] ?? ''),
        fields: {} as Record<string, string>,
        status: 0,
        durationMs: 0,
      } as Parameters<RequestLog['write']>[0];
      const rr = parseRcdpPath(url.pathname);
      if (rr) {
        entry.action = rr.action;
        if (rr.version) entry.version = rr.version;
      }
      const finish = (status: number, extra: Partial<typeof entry> = {}) => {
        Object.assign(entry, extra, { status, durationMs: Date.now() - started });
        log.write(entry);
      };
      res.on('error', () => undefined);
      try {
        const applied = faults.take(url.pathname);
        for (const f of applied) if (f.kind === 'latency') await sleep(f.ms ?? 1000);
        const fault = applied.find((f) => f.kind !== 'latency');
        if (applied.length) entry.fault = applied.map((f) => f.kind).join(',');
        if (fault?.kind === 'reset') {
          req.socket.destroy();
          return finish(0);
        }
        let params: Record<string, string>;
        try {
          params = await readParams(req, url);
        } catch (e) {
          const status = e instanceof HttpError ? e.status : 400;
          const body = rcdpJson({ status: 'error', description: (e as Error).message });
          res.writeHead(status, { 'content-type': 'application/json' }).end(body);
          return finish(status, { error: (e as Error).message });
        }
        entry.fields = redact(params);
        if (fault?.kind === 'status') {
          const status = fault.status ?? 503;
          res
            .writeHead(status, {
              'content-type': 'application/json',
              ...(fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {}),
            })
            .end(rcdpJson({ status: 'error', description: 'injected fault' }));
          return finish(status);
        }
        let reply: Reply;
        try {
          reply = await route(api, req, url, params);
        } catch (e) {
          if (e instanceof HttpError) {
            reply = { status: e.status, json: { status: 'error', description: e.message } };
          } else {
            // A bug must not take the simulator down: answer 500 and log it.
            reply = { status: 500, json: { status: 'error', description: `internal error: ${(e as Error).message}` } };
            entry.error = (e as Error).stack ?? String(e);
          }
        }
        if (reply.session) entry.session = reply.session;
        let body: Buffer =
          reply.json !== undefined
            ? Buffer.from(rcdpJson(reply.json))
            : Buffer.isBuffer(reply.raw)
              ? reply.raw
              : Buffer.from(reply.raw ?? '');
        let contentType = reply.json !== undefined ? 'application/json' : (reply.contentType ?? 'application/octet-stream');
        if (fault?.kind === 'malformed-json')
          body = Buffer.concat([body.subarray(0, Math.max(1, Math.floor(body.length / 2))), Buffer.from('{"')]);
        if (fault?.kind === 'wrong-content-type') contentType = 'text/html; charset=utf-8';
        const headers = {
          'content-type': contentType,
          'cache-control': 'no-cache',
          'content-length': String(body.length),
          ...(reply.headers ?? {}),
        };
        if (fault?.kind === 'truncate') {
          res.writeHead(reply.status, headers);
          res.write(body.subarray(0, Math.floor(body.length / 2)));
          // Headers promised the full length; cutting the connection gives the client a short body.
          setImmediate(() => req.socket.destroy());
          return finish(reply.status);
        }
        res.writeHead(reply.status, headers);
        res.end(body);
        return finish(reply.status);
      } catch (e) {
        if (!res.headersSent)
          res
            .writeHead(500, { 'content-type': 'application/json' })
            .end(rcdpJson({ status: 'error', description: 'internal error' }));
        return finish(500, { error: (e as Error).stack ?? String(e) });
      }
    };
  }

  const tlsOptions = { cert: pki.tls.certPem, key: pki.tls.keyPem };
  const main = https.createServer({ ...tlsOptions, keepAlive: true }, serve('main'));
  const plain = http.createServer(serve('http'));
  const ssapi = https.createServer(
    {
      ...tlsOptions,
      requestCert: true,
      rejectUnauthorized: false,
      ca: [pki.signing.certPem, pki.primary.certPem, pki.root.certPem],
    },
    serve('ssapi'),
  );
  const listen = (srv: http.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => resolve((srv.address() as AddressInfo).port));
    });
  for (const srv of [main, ssapi]) srv.on('tlsClientError', () => undefined);
  const mainPort = await listen(main, opts.port ?? 0);
  const [httpPort, ssapiPort] = await Promise.all([listen(plain, 0), listen(ssapi, 0)]);
  ctx.urls = {
    https: `https://127.0.0.1:${mainPort}`,
    http: `http://127.0.0.1:${httpPort}`,
    ssapi: `https://127.0.0.1:${ssapiPort}`,
  };

  const caFile = path.join(stateDir, 'pki', 'tls-trust.pem');
  await writeIfChanged(caFile, Buffer.from(pki.tlsTrustPem));
  const rccdDir = path.join(stateDir, 'rccd');
  await Promise.all(
    fixture.providers.map(async (p) => {
      const file = path.join(rccdDir, `${p.name.replace(/[^A-Za-z0-9._-]/g, '_')}.rccd`);
      await writeIfChanged(file, await buildRccd(p, pki, `127.0.0.1:${mainPort}`));
      rccds[p.name] = file;
      rccdUids[p.rccd.uid ?? createHash('sha1').update(p.name).digest('hex').slice(0, 16).toUpperCase()] = p.name;
    }),
  );

  const setTls = async (mode: 'normal' | TlsFault) => {
    const id = mode === 'normal' ? pki.tls : await faultTlsIdentity(pki, mode);
    main.setSecureContext({ cert: id.certPem, key: id.keyPem });
  };
  const control = http.createServer((req, res) => {
    handleControl(ctx, req, res, { faults, log, setTls, rccdUids }).catch((e: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: e.message }));
    });
  });
  const controlPort = await listen(control, opts.controlPort ?? 0);
  // Only now: key generation competes for the CPU and would slow the start-up.
  keyPool.start();

  const close = (srv: http.Server) =>
    new Promise<void>((resolve) => {
      srv.close(() => resolve());
      srv.closeAllConnections();
    });
  return {
    url: ctx.urls.https,
    httpUrl: ctx.urls.http,
    ssapiUrl: ctx.urls.ssapi,
    rccds,
    outbox: outbox.dir,
    control: `http://127.0.0.1:${controlPort}`,
    caFile,
    requestLog: log.file,
    context: ctx,
    async stop() {
      keyPool.stop();
      await Promise.all([main, plain, ssapi, control].map(close));
      await registry.flush();
      await log.close();
    },
  };
}
