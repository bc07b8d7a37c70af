import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureInput } from './fixture';
import { startKeytalkSimulator, type KeytalkSimulator } from './index';
import type { LogEntry } from './request-log';
import { freshStateDir } from './test-state';
import { RcdpClient, request } from './test-client';

let sim: KeytalkSimulator;
let dir: string;
let ca: string;

beforeAll(async () => {
  dir = await freshStateDir('kt-faults-');
  const f = parseYaml(readFileSync(path.join(import.meta.dirname, 'fixtures', 'demo.yaml'), 'utf8')) as FixtureInput;
  f.server = { ...f.server, faults: [{ route: '/public/1.6.0/version', kind: 'status', status: 502, times: 1 }] };
  sim = await startKeytalkSimulator({ fixture: f, stateDir: dir });
  ca = readFileSync(sim.caFile, 'utf8');
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const addFault = (f: object) =>
  request(`${sim.control}/faults`, { method: 'POST', body: JSON.stringify(f) }).then((r) => r.json<{ id: number }>());
const version = () => request(`${sim.url}/public/version`, { ca });

describe('fault injection (fixture and control endpoint)', () => {
  it('a fixture fault applies `times` times, then the route is healthy again', async () => {
    const first = await request(`${sim.url}/public/1.6.0/version`, { ca });
    expect(first.status).toBe(502);
    expect((await request(`${sim.url}/public/1.6.0/version`, { ca })).status).toBe(200);
  });

  it('latency', async () => {
    await addFault({ route: '/public/version', kind: 'latency', ms: 400, times: 1 });
    const t = Date.now();
    expect((await version()).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(380);
  });

  it('HTTP 5xx on an RCDP route, removable by id', async () => {
    const { id } = await addFault({ route: '/rcdp/2.8.3/hello', kind: 'status', status: 503 });
    const c = new RcdpClient(sim.url, sim.caFile);
    expect((await c.get('hello')).status).toBe(503);
    expect((await request(`${sim.control}/faults/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await c.get('hello')).status).toBe(200);
  });

  it('connection reset', async () => {
    await addFault({ route: '/public/version', kind: 'reset', times: 1 });
    await expect(version()).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await version()).status).toBe(200);
  });

  it('truncated body: the client sees the connection end before content-length', async () => {
    await addFault({ route: '/public/version', kind: 'truncate', times: 1 });
    await expect(version()).rejects.toThrow(/aborted|ECONNRESET|socket hang up/);
  });

  it('malformed JSON and wrong content type', async () => {
    await addFault({ route: '/public/version', kind: 'malformed-json', times: 1 });
    const bad = await version();
    expect(() => JSON.parse(bad.text)).toThrow();
    await addFault({ route: '/public/version', kind: 'wrong-content-type', times: 1 });
    const html = await version();
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.json()).toEqual({ status: 'version', version: '7.8.0' });
  });

  it('regex routes and invalid faults are refused with a reason', async () => {
    await addFault({ route: '/\\/rcdp\\/[0-9.]+\\/handshake/', kind: 'status', status: 500, times: 1 });
    const c = new RcdpClient(sim.url, sim.caFile);
    await c.get('hello');
    expect((await c.get('handshake', { 'caller-utc': new Date().toISOString() })).status).toBe(500);
    const bad = await request(`${sim.control}/faults`, { method: 'POST', body: JSON.stringify({ route: 'x', kind: 'explode' }) });
    expect(bad.status).toBe(400);
    expect(bad.json<{ error: string }>().error).toMatch(/kind/);
  });

  it('server TLS certificate expired or from another CA, then back to normal', async () => {
    await request(`${sim.control}/tls`, { method: 'POST', body: JSON.stringify({ mode: 'expired' }) });
    await expect(version()).rejects.toThrow(/expired/i);
    await request(`${sim.control}/tls`, { method: 'POST', body: JSON.stringify({ mode: 'foreign' }) });
    await expect(version()).rejects.toThrow(/self[- ]signed|unable to verify|issuer/i);
    await request(`${sim.control}/tls`, { method: 'POST', body: JSON.stringify({ mode: 'normal' }) });
    expect((await version()).status).toBe(200);
  }, 30_000);
});

describe('request log (JSONL) with secrets redacted', () => {
  it('records method, path, version, action, fields and status; never the password or OTP', async () => {
    const c = new RcdpClient(sim.url, sim.caFile);
    await c.open();
    await c.auth('PASSWD', { USERID: 'DemoUser', PASSWD: 'secret' });
    await new Promise((r) => setTimeout(r, 100));
    const lines = readFileSync(sim.requestLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as LogEntry);
    const auth = lines.filter((l) => l.action === 'authentication' && l.session === c.cookie);
    expect(auth).toHaveLength(1);
    expect(auth[0]).toMatchObject({
      method: 'POST',
      path: '/rcdp/2.8.3/authentication',
      version: '2.8.3',
      status: 200,
      fields: { USERID: 'DemoUser', PASSWD: '[redacted]', service: 'PASSWD' },
    });
    expect(readFileSync(sim.requestLog, 'utf8')).not.toContain('"secret"');
    const viaControl = (await request(`${sim.control}/log`)).json<LogEntry[]>();
    expect(viaControl.some((l) => l.session === c.cookie && l.action === 'hello')).toBe(true);
  });
});

describe('robustness: bad input never crashes the simulator', () => {
  it('garbage paths, methods, bodies, cookies and parameters get answers below 500 and are logged', async () => {
    const c = new RcdpClient(sim.url, sim.caFile);
    await c.open();
    await c.auth('PASSWD', { USERID: 'DemoUser', PASSWD: 'secret' });
    const statuses: number[] = [];
    const probes: [string, string, string | undefined, Record<string, string>?][] = [
      ['GET', '/rcdp/2.8.3/nonsense', undefined],
      ['GET', '/rcdp/../../etc/passwd', undefined],
      ['DELETE', '/rcdp/2.8.3/cert', undefined],
      ['POST', '/rcdp/2.8.3/cert', 'format=DOCX'],
      ['POST', '/rcdp/2.8.3/cert', 'csr=-----BEGIN%20CERTIFICATE%20REQUEST-----%0AAAAA%0A-----END%20CERTIFICATE%20REQUEST-----'],
      ['POST', '/rcdp/2.8.3/cert', `csr=${'A'.repeat(500)}`],
      ['POST', '/rcdp/2.8.3/cert', 'format=PEM&cookie=%7Bbroken'],
      ['POST', '/rcdp/2.8.3/cert', 'format=PEM&san-domains=42'],
      ['POST', '/rcdp/2.8.3/store-certs', 'certificates=-----BEGIN%20CERTIFICATE-----%0Agarbage%0A-----END%20CERTIFICATE-----'],
      ['POST', '/rcdp/2.8.3/tpm-attestation', 'ek-cert=x&ek-pub-blob=y&ak-name=z'],
      ['POST', '/rcdp/2.8.3/authentication', 'responses=%5B1%2C2'],
      ['GET', '/rcdp/2.8.3/last-messages?from-utc=%ZZ', undefined],
      ['GET', '/public/1.6.9/cert-expiration-margin', undefined],
      ['POST', '/public/templates-to-auto-renew-seat-certs', 'template-names=%7B'],
      ['GET', '/public/99.0.0/version', undefined],
      ['GET', '/ca/1.0.3/../../pki/root.key.pem', undefined],
      ['GET', '/cert/?../../x', undefined],
      ['POST', '/rcdp/2.8.3/cert', Buffer.alloc(3 * 1024 * 1024, 97).toString()],
    ];
    for (const [method, p, body] of probes) {
      const r = await c.send(method, p, body).catch((e: Error) => ({ status: -1, text: e.message }));
      statuses.push(r.status);
      if (!(r.status === -1 || r.status < 500)) console.error(method, p.slice(0, 60), r.status, r.text.slice(0, 200));
    }
    const bogusCookie = await request(`${sim.url}/rcdp/2.8.3/handshake`, { ca, headers: { cookie: 'keytalkcookie=../../; x' } });
    statuses.push(bogusCookie.status);
    const json = await request(`${sim.url}/rcdp/2.8.3/cert`, {
      method: 'POST',
      ca,
      headers: { cookie: `keytalkcookie=${c.cookie}`, 'content-type': 'application/json' },
      body: '{not json',
    });
    statuses.push(json.status);
    for (const s of statuses) {
      expect(s === -1 || (s >= 200 && s < 500)).toBe(true);
    }
    expect((await version()).status).toBe(200);
    const crashed = readFileSync(sim.requestLog, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"status":500') && !l.includes('fault'));
    expect(crashed.filter((l) => !l.includes('handshake'))).toEqual([]);
  });
});
