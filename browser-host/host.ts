import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AgentCore } from '../app/agent/index';
import { MAX_MESSAGE_BYTES } from '../app/ipc/contract';
import { dispatch } from '../app/ipc/dispatcher';
import { IpcError } from '../app/ipc/errors';
import type { BridgeMessage } from '../app/ipc/transport';
import { hostCsp, serveStatic } from './static-files';

/** The WebSocket path the renderer's browser bridge connects to. */
export const BRIDGE_PATH = '/bridge';

export interface BrowserHostOptions {
  /** The core to expose; tests and e2e pass one built on a temporary home. */
  core: Pick<AgentCore, 'handlers' | 'onEvent' | 'uiAttached'>;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Fixed token for tests; a fresh random one otherwise. */
  token?: string;
}

export interface BrowserHost {
  /** Open this in a browser: it carries the token in the fragment (never sent in HTTP requests or logs). */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Serve the renderer on 127.0.0.1 and bridge `window.keytalk` over a WebSocket with the same dispatcher
 * (and so the same validation) as Electron's IPC. A connection must come from this host's own Origin and
 * carry this run's token; anything else — another site in the same browser, a local process guessing
 * the port, a DNS-rebinding page — is refused during the upgrade.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const clients = new Set<WebSocket>();
  let csp = '';
  let origin = '';
  let hostHeader = '';

  const server = http.createServer((req, res) => {
    if (req.headers.host !== hostHeader) {
      res.writeHead(421).end();
      return;
    }
    serveStatic(options.rendererDir, req, res, csp).catch((err: unknown) => {
      // The detail goes to our own stderr, never to the client (it names paths and internals).
      process.stderr.write(`browser host: serving ${JSON.stringify(req.url)} failed: ${(err as Error).message}\n`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('internal error\n');
    });
  });
  // Slightly above the contract limit, so a too-large request still gets the dispatcher's typed error;
  // far larger frames are cut off by ws itself (close code 1009) before they are buffered.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES + 1024 * 1024 });

  server.on('upgrade', (req, socket, head) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      return refuse(socket, 400, 'Bad Request');
    }
    if (url.pathname !== BRIDGE_PATH) return refuse(socket, 404, 'Not Found');
    if (req.headers.host !== hostHeader) return refuse(socket, 421, 'Misdirected Request');
    if (req.headers.origin !== origin) return refuse(socket, 403, 'Forbidden');
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) return refuse(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      // The core cancels the UI's enrollments when the last tab goes (closed or reloaded): nobody can answer them.
      const detach = options.core.uiAttached?.();
      ws.on('close', () => {
        clients.delete(ws);
        detach?.();
      });
      ws.on('message', (data, isBinary) => void onMessage(ws, data as Buffer, isBinary));
    });
  });

  const send = (ws: WebSocket, message: BridgeMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };

  async function onMessage(ws: WebSocket, data: Buffer, isBinary: boolean): Promise<void> {
    let id = -1;
    let channel: unknown;
    let payload: unknown;
    if (isBinary) {
      return send(ws, {
        type: 'result',
        id,
        ok: false,
        error: new IpcError('invalid-payload', 'binary frames are not accepted').toJSON(),
      });
    }
    if (data.length > MAX_MESSAGE_BYTES) {
      // Refused before parsing: JSON.parse of an oversize message is exactly the cost the limit avoids.
      const error = new IpcError('payload-too-large', `message of ${data.length} bytes exceeds ${MAX_MESSAGE_BYTES}`);
      return send(ws, { type: 'result', id, ok: false, error: error.toJSON() });
    }
    try {
      const msg = JSON.parse(data.toString('utf8')) as { id?: unknown; channel?: unknown; payload?: unknown };
      if (typeof msg?.id === 'number' && Number.isSafeInteger(msg.id)) id = msg.id;
      channel = msg?.channel;
      payload = msg?.payload;
    } catch {
      return send(ws, {
        type: 'result',
        id,
        ok: false,
        error: new IpcError('invalid-payload', 'message is not valid JSON').toJSON(),
      });
    }
    const result = await dispatch(options.core.handlers, channel, payload, data.length);
    send(ws, { type: 'result', id, ...result });
  }

  const unsubscribe = options.core.onEvent((channel, payload) => {
    for (const ws of clients) send(ws, { type: 'event', channel, payload });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  hostHeader = `127.0.0.1:${port}`;
  csp = hostCsp(port);

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
