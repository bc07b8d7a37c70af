import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readBody } from './read-body';

class StatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let server: http.Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A real HTTP server that echoes the body's length, or answers the reader's error with its status. */
async function serve(maxBytes: number, status: number): Promise<string> {
  server = http.createServer((req, res) => {
    readBody(req, { maxBytes, tooLarge: (m) => new StatusError(status, m) }).then(
      (body) => res.writeHead(200).end(String(body.length)),
      (err: StatusError) => res.writeHead(err.status, { connection: 'close' }).end(err.message),
    );
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('readBody (shared by the simulators)', () => {
  it('returns a body up to the limit whole', async () => {
    const url = await serve(1024, 413);
    const res = await fetch(url, { method: 'POST', body: 'x'.repeat(1024) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('1024');
  });

  it.each([413, 405])('answers a larger body with the caller’s status (%i), and the client receives it', async (status) => {
    const url = await serve(1024, status);
    const res = await fetch(url, { method: 'POST', body: 'x'.repeat(256 * 1024) });
    expect(res.status).toBe(status);
    expect(await res.text()).toBe('request body larger than 1024 bytes');
  });
});
