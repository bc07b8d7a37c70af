import { execFile } from 'node:child_process';
import https from 'node:https';
import net from 'node:net';
import { PublicClientApplication } from '@azure/msal-node';
import type { AddressInfo } from 'node:net';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestTls, type TestTls } from '../../test-support/oidc/test-ca';
import { msalAuthConfig } from './authority';
import type { MfaSettings } from './mfa-sign-in';
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
      if (req.url === '/drip') {
        // One byte every 50 ms: each restarts Node's idle timer, so only a total deadline ends it.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
        const t = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(t));
        return;
      }
      if (req.url === '/endless') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
        return;
      }
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

    const posted = await client.sendPostRequestAsync(`${base}/token`, {
      body: 'grant_type=refresh_token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.status).toBe(200);
    expect(requests.at(-1)).toEqual({
      method: 'POST',
      body: 'grant_type=refresh_token',
      type: 'application/x-www-form-urlencoded',
    });
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

// Issue 22, "Bounded network": MSAL's network client gets the same connect and total deadlines and reply bound as
// the agent's other clients (app/system/request-deadline.ts), against an IdP that drips, streams without end, or
// accepts TCP and never speaks TLS — directly, and through MSAL's own authority discovery.
describe('HttpsNetworkClient deadlines and size bound', () => {
  const silentSockets: net.Socket[] = [];
  let silent: net.Server;
  let silentBase: string;
  beforeAll(async () => {
    silent = net.createServer((sock) => silentSockets.push(sock));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    silentBase = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    silentSockets.forEach((x) => x.destroy());
    silent.close();
    (server as unknown as { closeAllConnections(): void }).closeAllConnections();
  });

  it('a dripping IdP is cut off at the total deadline, an endless one at the size bound, a silent one at connect', async () => {
    const client = new HttpsNetworkClient({ extraCaPem: [tls.caPem], timeoutMs: 400, maxReplyBytes: 256 * 1024 });
    await expect(client.sendGetRequestAsync(`${base}/drip`)).rejects.toMatchObject({ errorCode: 'network_error' });
    expect(client.lastFailure).toMatch(/no complete answer within 400 ms/);
    await expect(client.sendGetRequestAsync(`${base}/endless`)).rejects.toThrow(/larger than 262144 bytes/);
    await expect(client.sendGetRequestAsync(`${silentBase}/x`)).rejects.toMatchObject({ errorCode: 'network_error' });
    expect(client.lastFailure).toMatch(/within 400 ms/);
  });

  it("MSAL's authority discovery over this client fails with the deadline instead of hanging", async () => {
    const network = new HttpsNetworkClient({ extraCaPem: [tls.caPem], timeoutMs: 400 });
    const { auth, protocolMode } = msalAuthConfig({ authority: `${silentBase}/realms/test`, clientId: 'agent' } as MfaSettings);
    const pca = new PublicClientApplication({ auth, system: { protocolMode, networkClient: network } });
    const hangGuard = new Promise((_, reject) => setTimeout(() => reject(new Error('MSAL hung')), 10_000).unref());
    const err = await Promise.race([
      pca.getAuthCodeUrl({ scopes: ['openid'], redirectUri: 'http://localhost:1/' }).then(
        () => new Error('unexpectedly resolved'),
        (e: unknown) => e,
      ),
      hangGuard,
    ]);
    expect(err).toBeInstanceOf(Error);
    expect(network.lastFailure).toMatch(/within 400 ms/);
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

  it('the extra CA is added to the system roots, not instead of them (a root of the process still verifies)', async () => {
    // A child process whose root store is this file's CA (--use-openssl-ca reads SSL_CERT_FILE: the same root store
    // copy Node makes for the bundled roots), with a second, unrelated CA as the extra one: both servers must verify
    // through systemRootsPlus([second CA]).
    const other = await makeTestTls('MSAL network client second CA');
    const otherServer = https.createServer({ cert: other.certPem, key: other.keyPem }, (_req, res) => res.end('{}'));
    await new Promise<void>((r) => otherServer.listen(0, '127.0.0.1', () => r()));
    const otherBase = `https://127.0.0.1:${(otherServer.address() as AddressInfo).port}`;
    const module = path.join(path.dirname(fileURLToPath(import.meta.url)), 'msal-network-client.ts');
    const script = path.join(other.dir, 'probe.mts');
    await fs.writeFile(
      script,
      `import https from 'node:https';
import tls from 'node:tls';
import { systemRootsPlus } from ${JSON.stringify(module)};
const get = (url, secureContext) => new Promise((resolve) =>
  https.get(url, { agent: new https.Agent({ secureContext }) }, (res) => res.resume().on('end', () => resolve('ok'))).on('error', (e) => resolve(e.code)));
const extra = [process.env.OTHER_CA];
console.log(JSON.stringify({
  rootServer: await get(process.env.ROOT_URL, systemRootsPlus(extra)),
  extraServer: await get(process.env.OTHER_URL, systemRootsPlus(extra)),
  rootServerWithCaOption: await get(process.env.ROOT_URL, tls.createSecureContext({ ca: extra })),
}));
`,
    );
    const caFile = path.join(other.dir, 'process-root.pem');
    await fs.writeFile(caFile, tls.caPem);
    try {
      const out = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ['--use-openssl-ca', '--import', 'tsx', script],
          {
            env: {
              ...process.env,
              SSL_CERT_FILE: caFile,
              SSL_CERT_DIR: other.dir,
              OTHER_CA: other.caPem,
              ROOT_URL: `${base}/root`,
              OTHER_URL: otherBase,
            },
            timeout: 60_000,
          },
          (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
        ),
      );
      expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({
        rootServer: 'ok',
        extraServer: 'ok',
        // the control: a context given only `ca` would have lost the roots
        rootServerWithCaOption: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      });
    } finally {
      otherServer.close();
      await fs.rm(other.dir, { recursive: true, force: true });
    }
  });
});
