import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureInput } from './fixture';
import { startKeytalkSimulator, type KeytalkSimulator } from './index';
import { freshStateDir } from './test-state';
import { RcdpClient } from './test-client';

const VERSIONS = [
  '2.0.0',
  '2.1.0',
  '2.2.0',
  '2.3.0',
  '2.4.0',
  '2.5.0',
  '2.6.0',
  '2.7.0',
  '2.7.1',
  '2.7.2',
  '2.7.3',
  '2.7.4',
  '2.7.5',
  '2.7.6',
  '2.7.7',
  '2.7.8',
  '2.7.9',
  '2.8.0',
  '2.8.1',
  '2.8.2',
  '2.8.3',
];
const demo = () => parseYaml(readFileSync(path.join(import.meta.dirname, 'fixtures', 'demo.yaml'), 'utf8')) as FixtureInput;
let sim: KeytalkSimulator;
let old: KeytalkSimulator;
const dirs: string[] = [];

beforeAll(async () => {
  const d1 = await freshStateDir('kt-ver-');
  const d2 = await freshStateDir('kt-ver-old-');
  dirs.push(d1, d2);
  sim = await startKeytalkSimulator({ fixture: demo(), stateDir: d1 });
  // An "old" server: RCDP up to 2.3.0 (no versionless paths), sharing nothing with the other one.
  const f = demo();
  f.server = { ...f.server, maxRcdpVersion: '2.3.0', minRcdpVersion: '2.1.0' };
  old = await startKeytalkSimulator({ fixture: f, stateDir: d2 });
});
afterAll(async () => {
  await Promise.all([sim?.stop(), old?.stop()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('every RCDP version 2.0.0–2.8.3', () => {
  it.each(VERSIONS)('%s: hello proposes it, auth uses its method, cert is served with its method', async (v) => {
    const c = new RcdpClient(sim.url, sim.caFile, v);
    expect(await c.open()).toBe(v);
    await c.get('auth-requirements', { service: 'PASSWD' });
    const creds = { service: 'PASSWD', 'caller-hw-description': 'x', USERID: 'DemoUser', PASSWD: 'secret' };
    const before23 = v < '2.3.0';
    const wrong = before23 ? await c.post('authentication', creds) : await c.get('authentication', creds);
    expect(wrong.status).toBe(405);
    const right = before23 ? await c.get('authentication', creds) : await c.post('authentication', creds);
    expect(right.json()).toEqual({ status: 'auth-result', 'auth-status': 'OK' });
    const getCert = await c.get('cert', { format: 'PEM' });
    const postCert = await c.post('cert', { format: 'PEM' });
    // GET cert is the 2.3.2 document's form (until 2.4.0); POST from 2.2.0 (CSR) and the only form later.
    expect(getCert.status).toBe(v < '2.4.0' ? 200 : 405);
    expect(postCert.status).toBe(v >= '2.2.0' ? 200 : 405);
    const served = v < '2.4.0' ? getCert : postCert;
    const body = served.json<{ cert: string; 'store-to-system'?: boolean }>();
    // Before 2.4.0 the chain only comes with include-chain=true.
    expect((body.cert.match(/BEGIN CERTIFICATE/g) ?? []).length).toBe(v < '2.4.0' ? 1 : 3);
    expect('store-to-system' in body).toBe(v >= '2.4.0');
    const csrReq = await c.get('csr-requirements');
    expect(csrReq.status).toBe(v >= '2.2.0' ? 200 : 404);
    expect((await c.get('cert-scraping-settings')).status).toBe(v >= '2.7.8' ? 200 : 404);
    expect((await c.post('smbcerts', { format: 'PEM' })).status).toBe(v >= '2.7.7' ? 200 : 404);
    const oob = await c.send(
      before23 || v < '2.4.0' ? 'GET' : 'POST',
      `${c.path('cert')}${v < '2.4.0' ? '?format=PEM&out-of-band=true' : ''}`,
      v < '2.4.0' ? undefined : 'format=PEM&out-of-band=true',
    );
    expect(oob.status).toBe(v >= '2.1.0' ? 200 : 400);
  });

  it('include-chain=true on an old version returns the chain', async () => {
    const c = new RcdpClient(sim.url, sim.caFile, '2.0.0');
    await c.open();
    await c.get('auth-requirements', { service: 'PASSWD' });
    await c.get('authentication', { service: 'PASSWD', 'caller-hw-description': 'x', USERID: 'DemoUser', PASSWD: 'secret' });
    const body = (await c.get('cert', { format: 'PEM', 'include-chain': 'True' })).json<{ cert: string }>();
    expect((body.cert.match(/BEGIN CERTIFICATE/g) ?? []).length).toBe(3);
  });

  it('versionless paths select the latest version (2.7.6+ server)', async () => {
    const c = new RcdpClient(sim.url, sim.caFile, null);
    expect(await c.open()).toBe('2.8.3');
    expect((await c.auth('OTP', { USERID: 'OtpUser', PASSWD: 'secret' }))['auth-status']).toBe('WAIT-FOR-OTP');
  });

  it('a newer caller version gets the server latest proposed; the session then insists on it', async () => {
    const c = new RcdpClient(sim.url, sim.caFile, '2.9.4');
    const hello = (await c.get('hello')).json();
    expect(hello).toEqual({ status: 'hello', version: '2.8.3' });
    const r = await c.get('handshake', { 'caller-utc': new Date().toISOString() });
    expect(r.status).toBe(400);
  });

  it('unsupported versions: error 1006', async () => {
    for (const v of ['1.0.0', '3.0.0', 'abc']) {
      const c = new RcdpClient(sim.url, sim.caFile, v);
      const r = await c.get('hello');
      if (v === 'abc') expect(r.status).toBe(404);
      else expect(r.json()).toMatchObject({ status: 'error', code: 1006 });
    }
    const c = new RcdpClient(old.url, old.caFile, '2.0.0');
    expect((await c.get('hello')).json()).toMatchObject({ status: 'error', code: 1006 });
  });

  it('old server (max 2.3.0): no versionless paths, proposes 2.3.0 to newer callers, no 2.7.x actions', async () => {
    const vl = new RcdpClient(old.url, old.caFile, null);
    expect((await vl.get('hello')).status).toBe(404);
    const c = new RcdpClient(old.url, old.caFile, '2.8.3');
    expect(await c.open()).toBe('2.3.0');
    const req = (await c.get('auth-requirements', { service: 'OTP' })).json<{ 'credential-types': string[] }>();
    expect(req['credential-types']).toEqual(['USERID', 'PASSWD', 'OTP']);
  });
});
