/**
 * Enrollment time: the agent's engine (in process, as the tray app and daemon run it) against bench/rcdp-curl.sh,
 * a shell script doing the same RCDP calls with curl and the same key/certificate handling with openssl, both
 * against one KeyTalk simulator over HTTPS in the same run, interleaved so both see the same machine load.
 * Two modes: server-generated key (P12v2 package) and CSR (key generated locally). Median of the rounds.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runEnrollment } from '../app/engine/enroll';
import type { FlowFrontEnd } from '../app/engine/front-end';
import { FileStore } from '../app/stores/file-store';
import { startKeytalkSimulator } from '../simulators/keytalk/index';
import type { BenchResult } from './run';

const ROUNDS = 7;
const run$ = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function run(): Promise<BenchResult[]> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-bench-enroll-'));
  const sim = await startKeytalkSimulator({
    stateDir: path.join(tmp, 'sim'),
    fixture: {
      server: { rsaKeyPool: 16 },
      providers: [
        {
          name: 'Bench',
          services: [
            { name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} },
            { name: 'CSR', credentials: ['USERID', 'PASSWD'], cert: { csrSubject: { cn: 'bench' } } },
          ],
          users: [{ id: 'bench', password: 'secret' }],
        },
      ],
    },
  });
  try {
    const ca = await fs.readFile(sim.caFile, 'utf8');
    const server = new URL(sim.url).host;
    const agent = new https.Agent({ ca, keepAlive: true });
    const store = new FileStore(path.join(tmp, 'home', 'certs'));
    const frontEnd: FlowFrontEnd = {
      prompt: async () => ({ kind: 'credentials', values: { USERID: 'bench', PASSWD: 'secret' }, remember: false }),
      progress: () => {},
    };
    const deps = {
      home: path.join(tmp, 'home'),
      openProvider: async () => ({ name: 'Bench', server, agent, services: [{ name: 'PASSWD' }, { name: 'CSR' }] }),
      stores: () => [store],
    };
    const agentOnce = async (csr: boolean) => {
      const t = performance.now();
      const o = await runEnrollment({ provider: 'Bench', service: csr ? 'CSR' : 'PASSWD', format: 'P12v2', csr }, frontEnd, deps);
      if (o.status !== 'issued') throw new Error(`agent enrollment failed: ${JSON.stringify(o)}`);
      return performance.now() - t;
    };
    let n = 0;
    const scriptOnce = async (csr: boolean) => {
      const t = performance.now();
      await run$('bash', [
        path.join(here, 'rcdp-curl.sh'),
        server,
        sim.caFile,
        csr ? 'CSR' : 'PASSWD',
        'bench',
        'secret',
        path.join(tmp, `curl-${n++}`),
        csr ? 'csr' : 'server',
      ]);
      return performance.now() - t;
    };

    const results: BenchResult[] = [];
    for (const csr of [false, true]) {
      await agentOnce(csr);
      await scriptOnce(csr);
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        a.push(await agentOnce(csr));
        b.push(await scriptOnce(csr));
      }
      const value = median(a);
      const baseline = median(b);
      results.push({
        name: `enrollment (${csr ? 'CSR, key generated locally' : 'server-generated key, P12v2'})`,
        value,
        unit: 'ms',
        baselineName: 'curl + openssl script',
        baseline,
        ratio: value / baseline,
        target: '≤ 1.2×',
        met: value / baseline <= 1.2,
      });
    }
    agent.destroy();
    return results;
  } finally {
    await sim.stop();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
