import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMemoryCore } from '../test-support/ipc/memory-core';
import { MAX_MESSAGE_BYTES } from '../app/ipc/contract';
import type { BridgeMessage } from '../app/ipc/transport';
import { BRIDGE_PATH, startBrowserHost, type BrowserHost } from './host';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'kt-host-'));
const rendererDir = path.join(tmp, 'renderer');
let host: BrowserHost;

beforeAll(async () => {
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(tmp, 'secret.txt'), 'outside');
  host = await startBrowserHost({ core: createMemoryCore(path.join(tmp, 'home')), rendererDir });
});
afterAll(async () => {
  await host.close();
  rmSync(tmp, { recursive: true, force: true });
});

function connect(opts: { token?: string | null; origin?: string } = {}): Promise<WebSocket> {
  const token = opts.token === undefined ? host.token : opts.token;
  const q = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${BRIDGE_PATH}${q}`, { origin: opts.origin ?? host.origin });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function request(ws: WebSocket, raw: string): Promise<Extract<BridgeMessage, { type: 'result' }>> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as BridgeMessage;
      if (msg.type === 'result') {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(raw);
  });
}

describe('browser host', () => {
  it('prints a 127.0.0.1 URL carrying the token in the fragment', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the renderer with a strict CSP and never files outside it', async () => {
    const res = await fetch(`${host.origin}/index.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const escape = await fetch(`${host.origin}/..%2Fsecret.txt`);
    expect(await escape.text()).not.toContain('outside');
  });

  // Security review (issue 22): "%zz" made decodeURIComponent throw, and the 500 carried "URI malformed".
  it('answers a malformed URL with 400 and no internal detail; the host keeps serving', async () => {
    for (const bad of ['/%zz', '/%E0%A4%A', '/a%']) {
      const res = await fetch(`${host.origin}${bad}`);
      expect(res.status, bad).toBe(400);
      const text = await res.text();
      expect(text).toBe('bad request: malformed URL\n');
      expect(text).not.toMatch(/URI|malformed URI|Error|at /);
    }
    const raw = await new Promise<number>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: host.port,
        path: `${BRIDGE_PATH}%zz`,
        headers: { Connection: 'Upgrade', Upgrade: 'websocket' },
      });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('upgrade', () => resolve(101));
      req.on('error', reject);
      req.end();
    });
    expect(raw).not.toBe(101);
    expect((await fetch(`${host.origin}/index.html`)).status).toBe(200);
  });

  it('refuses requests whose Host is not 127.0.0.1:<port> (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: host.port, path: '/', headers: { Host: `evil.example:${host.port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('refuses a connection without the token', async () => {
    await expect(connect({ token: null })).rejects.toThrow('HTTP 401');
    await expect(connect({ token: 'wrong' })).rejects.toThrow('HTTP 401');
  });

  it('refuses a connection from another Origin even with the token', async () => {
    await expect(connect({ origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect({ origin: 'http://localhost:1' })).rejects.toThrow('HTTP 403');
  });

  it('answers a valid request with the core result', async () => {
    const ws = await connect();
    const res = await request(ws, JSON.stringify({ id: 7, channel: 'agent:get-state', payload: {} }));
    expect(res).toMatchObject({ id: 7, ok: true, value: { status: 'idle', home: path.join(tmp, 'home') } });
    ws.close();
  });

  it('rejects unknown channels, malformed and oversize payloads with typed errors', async () => {
    const ws = await connect();
    expect(await request(ws, JSON.stringify({ id: 1, channel: 'fs:read', payload: {} }))).toMatchObject({
      id: 1,
      ok: false,
      error: { code: 'unknown-channel' },
    });
    expect(await request(ws, JSON.stringify({ id: 2, channel: 'settings:set', payload: { autostart: 'yes' } }))).toMatchObject({
      id: 2,
      ok: false,
      error: { code: 'invalid-payload' },
    });
    expect(await request(ws, '{not json')).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    const big = JSON.stringify({
      id: 3,
      channel: 'providers:import-rccd',
      payload: { fileName: 'a', dataBase64: 'A'.repeat(MAX_MESSAGE_BYTES) },
    });
    expect(await request(ws, big)).toMatchObject({ ok: false, error: { code: 'payload-too-large' } });
    ws.close();
  });

  it('pushes core events to connected clients', async () => {
    const ws = await connect();
    const event = new Promise<BridgeMessage>((resolve) =>
      ws.on('message', (d: Buffer) => {
        const msg = JSON.parse(d.toString()) as BridgeMessage;
        if (msg.type === 'event') resolve(msg);
      }),
    );
    await request(ws, JSON.stringify({ id: 4, channel: 'settings:set', payload: { logLevel: 'debug' } }));
    expect(await event).toMatchObject({ type: 'event', channel: 'agent:state' });
    ws.close();
  });
});
