import https from 'node:https';
import http from 'node:http';
import { readFileSync } from 'node:fs';

/**
 * A plain HTTPS client for the conformance tests and benchmarks: no knowledge of the agent, just requests with a
 * cookie jar, the way the specs' curl examples talk to a server.
 */
export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: <T = Record<string, unknown>>() => T;
}

export function request(
  url: string,
  opts: {
    method?: string;
    ca?: string | Buffer;
    headers?: Record<string, string>;
    body?: string | Buffer;
    agent?: https.Agent;
    cert?: string;
    key?: string;
  } = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(
      u,
      {
        method: opts.method ?? 'GET',
        headers: {
          ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}),
          ...(opts.headers ?? {}),
        },
        // A fresh connection unless an agent is given: tests that swap the server certificate must see the new one.
        ...(u.protocol === 'https:'
          ? { ca: opts.ca, agent: opts.agent ?? false, ...(opts.cert ? { cert: opts.cert, key: opts.key } : {}) }
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export class RcdpClient {
  cookie?: string;
  readonly ca: string;

  constructor(
    readonly base: string,
    caFile: string,
    /** null = versionless paths (/rcdp/<action>). */
    public version: string | null = '2.8.3',
    readonly agent?: https.Agent,
  ) {
    this.ca = readFileSync(caFile, 'utf8');
  }

  path(action: string): string {
    return this.version ? `/rcdp/${this.version}/${action}` : `/rcdp/${action}`;
  }

  async get(action: string, params: Record<string, string> = {}): Promise<HttpReply> {
    const qs = new URLSearchParams(params).toString();
    return this.send('GET', `${this.path(action)}${qs ? `?${qs}` : ''}`);
  }

  async post(action: string, params: Record<string, string> = {}): Promise<HttpReply> {
    return this.send('POST', this.path(action), new URLSearchParams(params).toString());
  }

  async send(method: string, path: string, body?: string): Promise<HttpReply> {
    const r = await request(`${this.base}${path}`, {
      method,
      ca: this.ca,
      ...(this.agent ? { agent: this.agent } : {}),
      headers: {
        ...(this.cookie ? { cookie: `keytalkcookie=${this.cookie}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
    const set = r.headers['set-cookie']?.find((c) => c.startsWith('keytalkcookie='));
    if (set) this.cookie = set.slice('keytalkcookie='.length).split(';')[0];
    return r;
  }

  /** hello + handshake; returns the version the server proposed (and switches to it). */
  async open(): Promise<string> {
    const h = (await this.get('hello')).json<{ version: string }>();
    if (this.version) this.version = h.version;
    await this.get('handshake', { 'caller-utc': new Date().toISOString() });
    return h.version;
  }

  /** auth-requirements + authentication (POST from 2.3.0, GET before). */
  async auth(service: string, creds: Record<string, string>): Promise<Record<string, unknown>> {
    await this.get('auth-requirements', { service });
    return this.authenticate({ service, 'caller-hw-description': 'conformance test', ...creds });
  }

  async authenticate(params: Record<string, string>): Promise<Record<string, unknown>> {
    const old = this.version && /^2\.[0-2]\./.test(this.version);
    const r = old ? await this.get('authentication', params) : await this.post('authentication', params);
    return r.json();
  }
}
