/**
 * RCDP 2.7.2 "cert-url-templ" (and 2.7.7's shared-mailbox templates): the spec's own example is
 * `http://$(KEYTALK_SVR_HOST)/cert/?<token>`, while the keytalkcookie's first 30 characters are the password of
 * the key package. The cookie must never travel over plain HTTP.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEnrollment } from '../engine/enroll';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';
import { RcdpClient } from './client';

interface Captured {
  url: string;
  headers: http.IncomingHttpHeaders;
}

let h: SimHarness;
let plain: http.Server;
let plainPort = 0;
const captured: Captured[] = [];
let plainStatus = 200;

beforeAll(async () => {
  h = await startSimHarness({
    // The server hands out http:// download templates, as in the spec's example.
    server: { oobScheme: 'http' },
    providers: [
      {
        name: 'Demo',
        services: [{ name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} }],
        users: [{ id: 'alice', password: 'secret' }],
      },
    ],
  });
  // A real plain-HTTP listener standing in for the server's port 80: it records every request it gets.
  plain = http.createServer((req, res) => {
    captured.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(plainStatus, { 'content-type': 'application/octet-stream' });
    res.end(plainStatus === 200 ? 'the-package' : 'no');
  });
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  plainPort = (plain.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => plain?.close(r));
  await h?.stop();
});

async function session(): Promise<RcdpClient> {
  const client = new RcdpClient({ server: h.server, agent: h.agent, retry: { retries: 0, baseMs: 1, maxMs: 1 } });
  await client.connect();
  expect(client.sessionId).toMatch(/^[0-9a-f]{32}$/);
  return client;
}

describe('RCDP 2.7.2 cert-url-templ over http://: the session cookie never travels in clear', () => {
  it('a server without the https form: the plain-HTTP download carries no cookie header', async () => {
    const client = await session();
    captured.length = 0;
    plainStatus = 200;
    const body = await client.download(`http://$(KEYTALK_SVR_HOST):${plainPort}/cert/?0123456789abcdef`);
    expect(body.toString()).toBe('the-package');
    expect(captured).toHaveLength(1);
    expect(captured[0]!.url).toBe('/cert/?0123456789abcdef');
    expect(captured[0]!.headers.cookie).toBeUndefined();
    expect(JSON.stringify(captured[0]!.headers)).not.toContain(client.sessionId!);
    await client.eoc();
  });

  it('a plain-HTTP server that insists on the cookie: refused with the reason, the cookie still not sent', async () => {
    const client = await session();
    captured.length = 0;
    plainStatus = 403;
    await expect(client.download(`http://$(KEYTALK_SVR_HOST):${plainPort}/cert/?fedcba9876543210`)).rejects.toThrow(
      /only over plain HTTP .* refuses it without the session cookie \(HTTP 403\); the agent never sends that cookie in clear, because its first 30 characters are the password of the key package/,
    );
    expect(captured).toHaveLength(1);
    expect(captured[0]!.headers.cookie).toBeUndefined();
    await client.eoc();
  });

  it('a server that offers the https form: an http:// out-of-band certificate is fetched over https', async () => {
    captured.length = 0;
    await h.control('/log', undefined, 'DELETE');
    const t = scriptedTestFrontEnd([() => creds({ USERID: 'alice', PASSWD: 'secret' })]);
    // The template names port 80 on 127.0.0.1 (nothing the test runs listens there): only the https form can work.
    const outcome = await runEnrollment({ provider: 'Demo', service: 'PASSWD', format: 'PEM', outOfBand: true }, t.fe, h.deps());
    expect(outcome).toMatchObject({ status: 'issued' });
    const log = (await h.control('/log')) as Array<{ path: string; api: string }>;
    // The template's port 80 is not the simulator's: the one /cert/ it logged came in over https.
    expect(log.filter((e) => e.path.startsWith('/cert/'))).toHaveLength(1);
    expect(captured).toHaveLength(0);
  });
});
