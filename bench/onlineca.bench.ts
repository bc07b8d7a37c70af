/**
 * Online CA enrollment against the local simulator: the agent's whole path (probe for the realm, CSR, POST,
 * reply verification against the trust roots, FileStore write) versus the bare protocol cost (the same two HTTPS
 * requests sent raw, the server's issuance included). The ratio is the client's own overhead. Key generation is
 * excluded from both (a pooled key), since it is the same fixed cost whatever the client does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { buildCsr } from '../app/crypto/csr';
import { generateRsaKeyPair } from '../app/crypto/keys';
import type { FlowFrontEnd } from '../app/engine/front-end';
import { addOnlineCaProvider, bootstrapTrust, enrollOnlineCa } from '../app/onlineca/index';
import { FileStore } from '../app/stores/file-store';
import { startOnlineCaSimulator } from '../simulators/onlineca/index';
import type { BenchResult } from './run';

const ROUNDS = 15;

function rawPost(url: string, ca: string, body: string, auth?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'POST',
        ca,
        agent: false,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          ...(auth ? { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<BenchResult[]> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'onlineca-bench-'));
  const sim = await startOnlineCaSimulator({
    fixture: { users: [{ username: 'bench', password: 'bench-pw' }] },
    stateDir: path.join(tmp, 'sim'),
  });
  try {
    const keyPair = await generateRsaKeyPair(2048);
    const home = path.join(tmp, 'home');
    const frontEnd: FlowFrontEnd = { progress: () => undefined, prompt: async () => ({ kind: 'confirm-trust', accept: true }) };
    await addOnlineCaProvider(home, 'bench', sim.url);
    await bootstrapTrust(home, 'bench', { frontEnd });
    const store = new FileStore(path.join(home, 'certs'));
    const form = new URLSearchParams({
      certificate_request: buildCsr({ privateKeyPem: keyPair.privateKeyPem, subject: { cn: 'bench' } }),
    }).toString();

    const full: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      let t = performance.now();
      await rawPost(sim.certificateUrl, sim.rootCertPem, 'certificate_request=');
      await rawPost(sim.certificateUrl, sim.rootCertPem, form, 'bench:bench-pw');
      bare.push(performance.now() - t);
      t = performance.now();
      await enrollOnlineCa({
        home,
        name: 'bench',
        frontEnd,
        stores: [store],
        keyPair,
        credentials: { username: 'bench', password: 'bench-pw' },
      });
      full.push(performance.now() - t);
    }
    const value = median(full);
    const baseline = median(bare);
    return [
      {
        name: 'onlineca enrollment (agent path, median of 15)',
        value,
        unit: 'ms',
        baselineName: 'the same two HTTPS requests sent raw',
        baseline,
        ratio: value / baseline,
        target: '≤ 3× (client overhead: CSR, chain check, file store incl. PKCS#12)',
        met: value / baseline <= 3,
      },
    ];
  } finally {
    await sim.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}
