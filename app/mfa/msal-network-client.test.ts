import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { promises as fs } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestTls, type TestTls } from '../../test-support/oidc/test-ca';
import { HttpsNetworkClient } from './msal-network-client';

let tls: TestTls;
let server: https.Server;
let base: string;
const requests: { method?: string; body: string; type?: string }[] = [];

beforeAll(async () => {
  tls = await makeTestTls('MSAL network client test CA');
  server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ method: req.method, body, type: req.headers['content-type'] });
      if (req.url === '/html') {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>proxy error</html>');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-test': 'yes' });
      res.end(JSON.stringify({ ok: true, path: req.url }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.close();
  if (tls) await fs.rm(tls.dir, { recursive: true, force: true });
});

describe('HttpsNetworkClient', () => {
  it('GETs and POSTs JSON over TLS trusting only the configured extra CA, and measures the IdP clock', async () => {
    const client = new HttpsNetworkClient({ extraCaPem: [tls.caPem], now: () => Date.now() - 3_600_000 });
    const got = await client.sendGetRequestAsync<{ path: string }>(`${base}/.well-known/openid-configuration`);
    expect(got).toMatchObject({ status: 200, body: { ok: true, path: '/.well-known/openid-configuration' } });
    expect(got.headers['x-test']).toBe('yes');
    // Our clock (as given) is an hour behind the server's Date header.
    expect(client.clockSkewSeconds).toBeGreaterThan(3590);
    expect(client.clockSkewSeconds).toBeLessThan(3610);

    const posted = await client.sendPostRequestAsync(`${base}/token`, { body: 'grant_type=refresh_token', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(posted.status).toBe(200);
    expect(requests.at(-1)).toEqual({ method: 'POST', body: 'grant_type=refresh_token', type: 'application/x-www-form-urlencoded' });
  });

  it('without the CA the IdP is not trusted, and the error says so', async () => {
    const client = new HttpsNetworkClient();
    await expect(client.sendGetRequestAsync(`${base}/x`)).rejects.toMatchObject({ errorCode: 'network_error' });
    expect(client.lastFailure).toMatch(/not trusted/);
  });

  it('an HTML answer (proxy, wrong URL) is a clear error, not a JSON crash', async () => {
    const client = new HttpsNetworkClient({ extraCaPem: [tls.caPem] });
    await expect(client.sendGetRequestAsync(`${base}/html`)).rejects.toThrow(/HTTP 502 .*not JSON.*authority URL/);
  });

  it('refuses plain http', async () => {
    await expect(new HttpsNetworkClient().sendGetRequestAsync('http://127.0.0.1:1/x')).rejects.toThrow(/must use https/);
  });
});

describe('HttpsNetworkClient connection reuse', () => {
  it('retries once on a fresh connection when the IdP dropped the kept-alive one (the idle-timeout race)', async () => {
    // Serves one request per connection, then resets the connection when it is reused: what a client sees when
    // its request crosses the server's keep-alive timeout.
    const served = new WeakSet<object>();
    let resets = 0;
    const dropping = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
      if (served.has(req.socket)) {
        resets += 1;
        req.socket.destroy();
        return;
      }
      served.add(req.socket);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => dropping.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `https://127.0.0.1:${(dropping.address() as AddressInfo).port}/x`;
      const client = new HttpsNetworkClient({ extraCaPem: [tls.caPem] });
      for (let i = 0; i < 3; i++) expect((await client.sendGetRequestAsync(url)).body).toEqual({ ok: true });
      expect(resets).toBeGreaterThan(0);
    } finally {
      dropping.closeAllConnections();
      dropping.close();
    }
  });
});
