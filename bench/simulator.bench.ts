/**
 * KeyTalk simulator benchmarks: 500 concurrent enrollments over loopback HTTPS (the fleet benchmarks need it) and
 * start-up time once the CA state exists (target < 2 s). Baselines are measured in the same run.
 */
import { generateKeyPair } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { startKeytalkSimulator, type FixtureInput } from '../simulators/keytalk/index';
import { RcdpClient } from '../simulators/keytalk/test-client';
import type { BenchResult } from './run';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'simulators', 'keytalk', 'fixtures', 'demo.yaml');

async function enroll(url: string, caFile: string, agent: https.Agent): Promise<void> {
  const c = new RcdpClient(url, caFile, '2.8.3', agent);
  await c.open();
  const auth = await c.auth('PASSWD', { USERID: 'DemoUser', PASSWD: 'secret' });
  if (auth['auth-status'] !== 'OK') throw new Error(`auth ${JSON.stringify(auth)}`);
  const r = await c.post('cert', { format: 'P12v2' });
  if (r.json().status !== 'cert') throw new Error(`cert ${r.text.slice(0, 200)}`);
  await c.get('eoc');
}

function keygenMs(): Promise<number> {
  const t = performance.now();
  return new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (err) => (err ? reject(err) : resolve(performance.now() - t))),
  );
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-bench-'));
  try {
    let t = performance.now();
    const first = await startKeytalkSimulator({ fixture, stateDir: dir });
    const coldMs = performance.now() - t;
    await first.stop();
    t = performance.now();
    const sim = await startKeytalkSimulator({ fixture, stateDir: dir });
    const warmMs = performance.now() - t;

    let keyBase = 0;
    for (let i = 0; i < 3; i++) keyBase += await keygenMs();
    keyBase /= 3;

    // Fresh key per certificate (what a real server does): CPU-bound by keygen, so a smaller batch.
    const agent = new https.Agent({ keepAlive: true, maxSockets: 500 });
    const fresh = 40;
    t = performance.now();
    const freshResults = await Promise.allSettled(Array.from({ length: fresh }, () => enroll(sim.url, sim.caFile, agent)));
    const freshMs = performance.now() - t;
    const freshFailed = freshResults.filter((r) => r.status === 'rejected').length;
    agent.destroy();
    await sim.stop();

    // 500 concurrent with the load-test key reuse switched on: measures the protocol, TLS, signing and packaging.
    const f = parseYaml(readFileSync(fixture, 'utf8')) as FixtureInput;
    f.server = { ...f.server, reuseKeys: true, rsaKeyPool: 16 };
    const loadSim = await startKeytalkSimulator({ fixture: f, stateDir: dir });
    const loadAgent = new https.Agent({ keepAlive: true, maxSockets: 500 });
    const n = 500;
    t = performance.now();
    const results = await Promise.allSettled(Array.from({ length: n }, () => enroll(loadSim.url, loadSim.caFile, loadAgent)));
    const totalMs = performance.now() - t;
    const failed = results.filter((r) => r.status === 'rejected');
    if (failed.length) console.error(`first failure: ${(failed[0] as PromiseRejectedResult).reason}`);
    loadAgent.destroy();
    await loadSim.stop();
    const perEnrollment = totalMs / n;
    return [
      {
        name: `${fresh} concurrent enrollments with a fresh RSA key each, ${freshFailed} failed, ${(fresh / (freshMs / 1000)).toFixed(1)} enrollments/s`,
        value: freshMs / fresh,
        unit: 'ms/enrollment',
        baselineName: 'one RSA-2048 keygen',
        baseline: keyBase,
        ratio: freshMs / fresh / keyBase,
        target: 'all succeed; ≈ keygen-bound (ratio ≈ 1 / cores)',
        met: freshFailed === 0,
      },
      {
        name: `500 concurrent enrollments (hello→cert P12v2→eoc, reuseKeys), ${failed.length} failed, ${(n / (totalMs / 1000)).toFixed(1)} enrollments/s`,
        value: perEnrollment,
        unit: 'ms/enrollment',
        baselineName: 'one RSA-2048 keygen',
        baseline: keyBase,
        ratio: perEnrollment / keyBase,
        target: 'all 500 succeed',
        met: failed.length === 0,
      },
      {
        name: 'simulator start-up with existing CA state',
        value: warmMs,
        unit: 'ms',
        baselineName: 'first start (creates the CA hierarchy)',
        baseline: coldMs,
        ratio: warmMs / coldMs,
        target: '< 2000 ms',
        met: warmMs < 2000,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
