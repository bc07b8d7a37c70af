import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../test-support/crypto/test-pki';
import { onlineCaFetch } from '../onlineca/http';
import { PublicApiClient, PublicApiError } from '../public-api/client';
import { RcdpClient } from '../rcdp/client';
import { RcdpNetworkError } from '../rcdp/errors';
import { httpRequest } from '../rcdp/http';

/**
 * Issue 22, "Bounded network": every request has a connect limit, a total deadline and a reply size bound.
 * Three misbehaving servers on loopback — one that drips a byte every 50 ms (each byte resets Node's idle
 * timer, so only a total deadline stops it), one that sends without end, and one that accepts TCP and never
 * speaks TLS — against the RCDP, Public API and Online CA clients. Deadlines are made small here (they are
 * options); production defaults are 30 s total, 10 s connect.
 */
let pki: TestPki;
const closers: Array<() => void> = [];
const hits = { drip: 0, endless: 0 };
let drip: number;
let endless: number;
let silent: number;

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  pki = await createTestPki('Bounded');
  const tlsOpts = { key: pki.server.keyPem, cert: pki.server.certPem + pki.primary.certPem };
  const dripServer = https.createServer(tlsOpts, (req, res) => {
    hits.drip++;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
    const t = setInterval(() => res.write(' '), 50);
    res.on('close', () => clearInterval(t));
  });
  const endlessServer = https.createServer(tlsOpts, (req, res) => {
    hits.endless++;
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  });
  const sockets: net.Socket[] = [];
  const silentServer = net.createServer((s) => sockets.push(s)); // accepts TCP, never answers the TLS hello
  closers.push(() => sockets.forEach((s) => s.destroy()));
  for (const s of [dripServer, endlessServer])
    closers.push(() => (s as unknown as { closeAllConnections(): void }).closeAllConnections());
  [drip, endless, silent] = await Promise.all([listen(dripServer), listen(endlessServer), listen(silentServer)]);
});
afterAll(() => closers.forEach((c) => c()));

const agent = () => new https.Agent({ ca: pki.root.certPem, keepAlive: false });

async function timed<T>(p: Promise<T>): Promise<{ err: Error; ms: number }> {
  const started = Date.now();
  try {
    await p;
  } catch (err) {
    return { err: err as Error, ms: Date.now() - started };
  }
  throw new Error('the request unexpectedly succeeded');
}

describe('RCDP requests', () => {
  it('a server dripping one byte at a time is cut off at the total deadline, not reset by each byte', async () => {
    const { err, ms } = await timed(
      httpRequest({
        url: new URL(`https://127.0.0.1:${drip}/rcdp/2.8.3/hello`),
        method: 'GET',
        agent: agent(),
        timeoutMs: 400,
        action: 'hello',
      }),
    );
    expect(err).toBeInstanceOf(RcdpNetworkError);
    expect(err.message).toMatch(/did not complete hello within 400 ms; the server is too slow or stalled/);
    expect(ms).toBeLessThan(10_000); // 100 000 bytes at one per 50 ms would take 83 minutes
  });

  it('a server that sends without end is cut off at the size bound', async () => {
    const { err } = await timed(
      httpRequest({
        url: new URL(`https://127.0.0.1:${endless}/rcdp/2.8.3/hello`),
        method: 'GET',
        agent: agent(),
        timeoutMs: 20_000,
        maxBytes: 1024 * 1024,
        action: 'hello',
      }),
    );
    expect(err).toBeInstanceOf(RcdpNetworkError);
    expect(err.message).toMatch(/exceeds 1048576 bytes/);
  });

  it('a server that accepts TCP but never completes TLS fails at the connect limit', async () => {
    const { err } = await timed(
      httpRequest({
        url: new URL(`https://127.0.0.1:${silent}/rcdp/2.8.3/hello`),
        method: 'GET',
        agent: agent(),
        timeoutMs: 20_000,
        connectTimeoutMs: 300,
        action: 'hello',
      }),
    );
    expect(err.message).toMatch(/did not accept a secure connection within 300 ms \(hello\)/);
  });

  it('a hung hello is tried twice at most, not retries + 1 times, and the message says the time spent in all', async () => {
    const before = hits.drip;
    const client = new RcdpClient({
      server: `127.0.0.1:${drip}`,
      agent: agent(),
      timeoutMs: 400,
      versions: ['2.8.3'],
      retry: { retries: 3, baseMs: 1, maxMs: 2 },
    });
    const { err } = await timed(client.connect());
    expect(err.message).toMatch(/did not complete hello within 400 ms; .* \(tried 2 times, [\d.]+ s in all\)/);
    expect(hits.drip - before).toBe(2);
  });
});

describe('Public API and Online CA requests', () => {
  it('Public API: dripping → total deadline; endless → size bound; silent → connect limit', async () => {
    const api = (port: number, extra: object = {}) =>
      new PublicApiClient({ baseUrl: `https://127.0.0.1:${port}`, agent: agent(), timeoutMs: 400, ...extra });
    const d = await timed(api(drip).version());
    expect(d.err).toBeInstanceOf(PublicApiError);
    expect(d.err.message).toMatch(/did not complete the reply within 400 ms/);
    const e = await timed(api(endless, { timeoutMs: 20_000, maxReplyBytes: 1024 * 1024 }).version());
    expect(e.err.message).toMatch(/reply larger than 1048576 bytes/);
    const s = await timed(api(silent, { timeoutMs: 20_000, connectTimeoutMs: 300 }).version());
    expect(s.err.message).toMatch(/did not accept a secure connection within 300 ms/);
  });

  it('Online CA: dripping → total deadline; endless → size bound; silent → connect limit', async () => {
    const trust = { mode: 'verified' as const, caPems: [pki.root.certPem] };
    const d = await timed(
      onlineCaFetch(`https://127.0.0.1:${drip}/x`, { method: 'GET', trust, maxBytes: 1 << 20, timeoutMs: 400 }),
    );
    expect(d.err.message).toMatch(/sent no answer within 0.4 s for \/x/);
    const e = await timed(
      onlineCaFetch(`https://127.0.0.1:${endless}/x`, { method: 'GET', trust, maxBytes: 1 << 20, timeoutMs: 20_000 }),
    );
    expect(e.err.message).toMatch(/sent more than 1048576 bytes/);
    const s = await timed(
      onlineCaFetch(`https://127.0.0.1:${silent}/x`, {
        method: 'GET',
        trust,
        maxBytes: 1 << 20,
        timeoutMs: 20_000,
        connectTimeoutMs: 300,
      }),
    );
    expect(s.err.message).toMatch(/did not accept a secure connection within 0.3 s/);
  });
});
