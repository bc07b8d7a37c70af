import { execFileSync, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnlineCaSimulator, type OnlineCaSimulator } from './index';

// The CSR comes from `openssl req`, not from app/: the simulator is checked against an independent client.
const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'onlineca-sim-'));
const keyFile = path.join(tmp, 'user.key');
const csrFile = path.join(tmp, 'user.csr');
execFileSync(
  'openssl',
  ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-subj', '/CN=ignored', '-out', csrFile],
  {
    stdio: 'ignore',
  },
);
const csrPem = readFileSync(csrFile, 'utf8');

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function request(
  url: string,
  ca: string,
  opts: { method?: string; auth?: string; form?: Record<string, string> } = {},
): Promise<Reply> {
  const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: opts.method ?? (body ? 'POST' : 'GET'),
        ca,
        agent: false,
        headers: {
          ...(opts.auth ? { Authorization: `Basic ${Buffer.from(opts.auth).toString('base64')}` } : {}),
          ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const fixture = {
  realm: 'Test Realm',
  caName: 'Sim Test CA',
  trustRootsFormat: 'lines',
  defaultLifetimeSeconds: 3600,
  users: [
    { username: 'alice', password: 'pw-alice', lifetimeSeconds: 600 },
    { username: 'bob', password: 'pw-bob' },
  ],
};

let sim: OnlineCaSimulator;
let ca: string;
const stateDir = path.join(tmp, 'state');

beforeAll(async () => {
  sim = await startOnlineCaSimulator({ fixture, stateDir });
  ca = sim.rootCertPem;
});
afterAll(async () => {
  await sim.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function verifyWithOpenssl(certPem: string): string {
  const certFile = path.join(tmp, 'leaf.pem');
  const rootFile = path.join(tmp, 'root.pem');
  const issFile = path.join(tmp, 'issuing.pem');
  writeFileSync(certFile, certPem);
  writeFileSync(rootFile, sim.rootCertPem);
  writeFileSync(issFile, sim.issuingCertPem);
  try {
    return execFileSync('openssl', ['verify', '-CAfile', rootFile, '-untrusted', issFile, certFile], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (err) {
    return `FAILED ${(err as { stdout?: string }).stdout ?? ''}`;
  }
}

describe('Online CA simulator', () => {
  it('serves TLS for 127.0.0.1 that verifies against its own root', async () => {
    const r = await request(sim.trustRootsUrl, ca);
    expect(r.status).toBe(200);
  });

  it('serves trust roots as <name>=<base64> lines and in the documented TRUSTED_CERTS/FILEDATA_ format', async () => {
    const lines = (await request(sim.trustRootsUrl, ca)).body.trim().split('\n');
    const files = new Map(
      lines.map((l) => [l.slice(0, l.indexOf('=')), Buffer.from(l.slice(l.indexOf('=') + 1), 'base64').toString()]),
    );
    const certNames = [...files.keys()].filter((n) => /^[0-9a-f]{8}\.0$/.test(n));
    expect(certNames).toHaveLength(2);
    const fps = certNames.map((n) => new X509Certificate(files.get(n)!).fingerprint256.replace(/:/g, ''));
    expect(fps.sort()).toEqual([sim.caFingerprints.root, sim.caFingerprints.issuing].sort());
    expect([...files.keys()].filter((n) => n.endsWith('.signing_policy'))).toHaveLength(2);

    const documented = (await request(`${sim.trustRootsUrl}?format=documented`, ca)).body.trim().split('\n');
    expect(documented[0]!.startsWith('TRUSTED_CERTS=')).toBe(true);
    const listed = Buffer.from(documented[0]!.slice('TRUSTED_CERTS='.length), 'base64').toString().split(',');
    expect(listed.sort()).toEqual([...files.keys()].sort());
    for (const line of documented.slice(1)) {
      const name = line.slice('FILEDATA_'.length, line.indexOf('='));
      expect(Buffer.from(line.slice(line.indexOf('=') + 1), 'base64').toString()).toBe(files.get(name));
    }
  });

  it('answers 401 with the realm when credentials are missing or wrong', async () => {
    const none = await request(sim.certificateUrl, ca, { form: { certificate_request: csrPem } });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Basic realm="Test Realm"');
    const wrong = await request(sim.certificateUrl, ca, { auth: 'alice:nope', form: { certificate_request: csrPem } });
    expect(wrong.status).toBe(401);
  });

  it('issues a certificate with CN=username, the per-user lifetime, chaining to the root (openssl verify)', async () => {
    const r = await request(sim.certificateUrl, ca, { auth: 'alice:pw-alice', form: { certificate_request: csrPem } });
    expect(r.status).toBe(200);
    const cert = new X509Certificate(r.body);
    expect(cert.subject).toContain('CN=alice');
    expect((Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 1000).toBe(600);
    expect(verifyWithOpenssl(r.body)).toContain('OK');
    const bob = new X509Certificate(
      (await request(sim.certificateUrl, ca, { auth: 'bob:pw-bob', form: { certificate_request: csrPem } })).body,
    );
    expect((Date.parse(bob.validTo) - Date.parse(bob.validFrom)) / 1000).toBe(3600);
  });

  it('answers 405 for an unparsable CSR, the wrong method and an oversize body', async () => {
    const bad = await request(sim.certificateUrl, ca, { auth: 'alice:pw-alice', form: { certificate_request: 'garbage' } });
    expect(bad.status).toBe(405);
    expect(bad.body).toMatch(/certificate signing request/);
    expect((await request(sim.certificateUrl, ca, { method: 'GET' })).status).toBe(405);
    const huge = await request(sim.certificateUrl, ca, {
      auth: 'alice:pw-alice',
      form: { certificate_request: 'x'.repeat(200 * 1024) },
    });
    expect(huge.status).toBe(405);
    expect(huge.body).toMatch(/request body larger than 65536 bytes/);
  });

  it('injects faults through the control endpoint: 500, malformed, unchained, hostile trust roots, latency', async () => {
    const setFaults = async (f: object): Promise<void> => {
      const res = await fetch(`${sim.control}/faults`, { method: 'POST', body: JSON.stringify(f) });
      expect(res.status).toBe(200);
    };
    const issue = (): Promise<Reply> =>
      request(sim.certificateUrl, ca, { auth: 'alice:pw-alice', form: { certificate_request: csrPem } });
    await setFaults({ certificate: 'error500' });
    expect((await issue()).status).toBe(500);
    await setFaults({ certificate: 'malformed' });
    const malformed = await issue();
    expect(malformed.status).toBe(200);
    expect(() => new X509Certificate(malformed.body)).toThrow();
    await setFaults({ certificate: 'unchained' });
    const unchained = await issue();
    expect(new X509Certificate(unchained.body).issuer).toBe(new X509Certificate(sim.issuingCertPem).subject);
    expect(verifyWithOpenssl(unchained.body)).toMatch(/^FAILED/);
    await setFaults({ certificate: 'none', trustRoots: 'path-separator', latencyMs: 150 });
    const started = Date.now();
    const hostile = await request(sim.trustRootsUrl, ca);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(hostile.body).toContain('../../evil.0=');
    expect((await fetch(`${sim.control}/faults`, { method: 'POST', body: '{"certificate":"bogus"}' })).status).toBe(400);
    await fetch(`${sim.control}/faults/reset`, { method: 'POST' });
    const state = (await (await fetch(`${sim.control}/state`)).json()) as { faults: { trustRoots: string } };
    expect(state.faults.trustRoots).toBe('none');
  });

  it('logs every request as JSON lines in the state folder', () => {
    const lines = readFileSync(path.join(stateDir, 'requests.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: number; user?: string });
    expect(lines.length).toBe(sim.requests().length);
    expect(lines.some((l) => l.status === 401)).toBe(true);
    expect(lines.some((l) => l.status === 200 && l.user === 'alice')).toBe(true);
  });

  it('keeps its CA across restarts with the same state folder', async () => {
    const again = await startOnlineCaSimulator({ fixture, stateDir });
    try {
      expect(again.caFingerprints).toEqual(sim.caFingerprints);
    } finally {
      await again.stop();
    }
  });

  it('rejects an invalid fixture with a message naming the field', async () => {
    await expect(startOnlineCaSimulator({ fixture: { users: [{ username: 'x' }] }, stateDir })).rejects.toThrow(
      /users\.0\.password/,
    );
  });

  it('main.ts prints exactly one JSON ready line', async () => {
    // Reuse the CA made above (the state folder format is the contract): saves four RSA key generations.
    mkdirSync(path.join(tmp, 'cli-state'), { recursive: true });
    copyFileSync(path.join(stateDir, 'ca.json'), path.join(tmp, 'cli-state', 'ca.json'));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(here, 'main.ts'),
        '--fixture',
        path.join(here, 'fixtures', 'demo.yaml'),
        '--state',
        path.join(tmp, 'cli-state'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const ready = JSON.parse(line.trim()) as { ready: boolean; url: string; control: string; caFile: string; requestLog: string };
    expect(ready.ready).toBe(true);
    expect((ready as unknown as { caFingerprints: unknown }).caFingerprints).toEqual(sim.caFingerprints);
    expect(readFileSync(ready.caFile, 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(ready.requestLog).toBe(path.join(tmp, 'cli-state', 'requests.jsonl'));
    expect(ready.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/onlineca\/$/);
    const state = await (await fetch(`${ready.control}/state`)).json();
    expect(state).toHaveProperty('users');
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await exited;
  });
});
