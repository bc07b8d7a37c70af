/**
 * Idle cost of `keytalk-agent daemon` with 50 certificates scheduled (renewals days away; the 50 keep-alive jobs
 * written beside them are dropped by the start-up sync, since no such identity is enrolled): resident memory and
 * CPU between jobs, against `sleep` as the baseline process.
 *
 * It runs the shipped bundle, dist/cli as `node scripts/build.mjs --only=cli` builds it (split into chunks that
 * load on use), so the measurement is what ships, not tsx's transpiler. Duration: BENCH_DAEMON_SETTLE_SECONDS (default
 * 75 s, see measureDaemon) then BENCH_DAEMON_SECONDS (default 20 s; the issue asks for 10 min —
 * the daemon's only periodic work is one wake-up per minute, so 20 s shows the idle level; run with 600 for the
 * full measurement). Targets: RSS < 60 MB, CPU < 0.5 % of one core while idle.
 *
 * Those 50 certificates are schedule entries only, so no job touches a server. A second run is the daemon as it
 * lives with a real enrollment: the KeyTalk simulator, a provider imported and a certificate enrolled with the
 * shipped CLI, the same 50 entries beside it, measured after its first keep-alive and messages poll (start-up jitter: up to a
 * minute) has loaded the provider, TLS and Public API code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKeytalkSimulator } from '../simulators/keytalk/index';
import type { BenchResult } from './run';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLK_TCK = 100; // Linux USER_HZ

function sample(pid: number): { rssKb: number; hwmKb: number; cpuTicks: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  // VmHWM: the kernel's peak resident size since the process started, so the start-up burst counts too.
  const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  // Fields after the ")" of the command name: utime is field 14, stime 15 (1-based in proc(5)).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rssKb, hwmKb, cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

async function measure(child: ChildProcess, seconds: number): Promise<{ rssMb: number; peakMb: number; cpuPercent: number }> {
  const pid = child.pid!;
  const a = sample(pid);
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const b = sample(pid);
  const elapsed = (Date.now() - t0) / 1000;
  return { rssMb: b.rssKb / 1024, peakMb: b.hwmKb / 1024, cpuPercent: ((b.cpuTicks - a.cpuTicks) / CLK_TCK / elapsed) * 100 };
}

function scheduleWith50Certificates(home: string): void {
  const now = Date.now();
  const jobs = [];
  for (let i = 0; i < 50; i++) {
    const fp = i.toString(16).padStart(64, '0').toUpperCase();
    jobs.push({
      id: `renewal:${fp}`,
      kind: 'renewal',
      dueAt: now + (5 + i) * 86_400_000,
      failures: 0,
      reason: 'bench',
      data: {
        sha256Fingerprint: fp,
        provider: 'Bench',
        service: `SVC${i}`,
        notBefore: new Date(now - 86_400_000).toISOString(),
        notAfter: new Date(now + (30 + i) * 86_400_000).toISOString(),
        stores: ['file'],
      },
    });
    jobs.push({
      id: `keep-alive:Bench:SVC${i}:user${i}`,
      kind: 'keep-alive',
      dueAt: now + 3_600_000 + i * 1000,
      failures: 0,
      data: { provider: 'Bench', templateName: `SVC${i}`, user: `user${i}`, computerName: 'bench' },
    });
  }
  const file = path.join(home, 'state', 'schedule.json');
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { jobs: unknown[] }).jobs : [];
  writeFileSync(file, JSON.stringify({ version: 1, jobs: [...existing, ...jobs] }));
}

interface DaemonRun {
  d: { rssMb: number; peakMb: number; cpuPercent: number };
  s: { rssMb: number; peakMb: number; cpuPercent: number };
  jobs: number;
}

/** Start the daemon on `home`, wait until its output satisfies `settled`, then measure it beside `sleep`. */
async function measureDaemon(
  bundle: string,
  home: string,
  seconds: number,
  settled: (out: string) => boolean,
): Promise<DaemonRun> {
  const daemon = spawn(process.execPath, [bundle, 'daemon', '--home', home], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`daemon did not settle in 150 s:\n${out}`)), 150_000);
    daemon.stdout!.on('data', (c) => {
      out += c;
      if (settled(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    daemon.on('exit', (code) => reject(new Error(`daemon exited (${code})`)));
  });
  // Past the start-up burst, and past V8's memory reducer: the young generation the start-up grew stays resident
  // until the reducer runs, 45–70 s after the burst here (66 MB at 45 s, 57 MB at 70 s, same process), so sampling
  // earlier measured the start-up, not the idle daemon. The peak metric still covers the start-up.
  const settle = Number(process.env.BENCH_DAEMON_SETTLE_SECONDS ?? 75);
  await new Promise((r) => setTimeout(r, settle * 1000));
  const sleeper = spawn('sleep', [String(seconds + 30)], { stdio: 'ignore' });
  const [d, s] = await Promise.all([measure(daemon, seconds), measure(sleeper, seconds)]);
  const exited = new Promise((r) => daemon.on('exit', r));
  daemon.kill('SIGTERM');
  sleeper.kill('SIGTERM');
  await exited;
  const jobs = (JSON.parse(readFileSync(path.join(home, 'state', 'schedule.json'), 'utf8')) as { jobs: unknown[] }).jobs.length;
  return { d, s, jobs };
}

/** A home with one certificate really enrolled from the KeyTalk simulator (demo fixture) by the shipped CLI. */
async function enrolledHome(tmp: string, bundle: string) {
  const sim = await startKeytalkSimulator({
    stateDir: path.join(tmp, 'sim'),
    fixture: path.join(root, 'simulators', 'keytalk', 'fixtures', 'demo.yaml'),
  });
  const home = path.join(tmp, 'enrolled-home');
  // Asynchronously: the simulator runs in this process and must keep answering while the CLI talks to it.
  const cli = (args: string[], input = '') =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [bundle, ...args, '--home', home], { stdio: ['pipe', 'ignore', 'inherit'] });
      child.stdin!.end(input);
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`keytalk-agent ${args[0]} exited with ${code}`))));
    });
  await cli(['rccd', 'import', Object.values(sim.rccds)[0]!, '--force']);
  await cli(['enroll', '--provider', 'Demo', '--service', 'PASSWD', '--user', 'DemoUser', '--password-stdin'], 'secret\n');
  return { home, stop: () => sim.stop() };
}

export async function run(): Promise<BenchResult[]> {
  const seconds = Number(process.env.BENCH_DAEMON_SECONDS ?? 20);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kt-bench-daemon-'));
  // The shipped bundle (dist/cli, split into chunks by scripts/build.mjs): build it first with
  // `node scripts/build.mjs --only=cli`.
  const bundle = path.join(root, 'dist', 'cli', 'keytalk-agent.mjs');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`node scripts/build.mjs --only=cli\` first`);
  const home = path.join(tmp, 'home');
  mkdirSync(path.join(home, 'state'), { recursive: true });
  scheduleWith50Certificates(home);

  const { d, s, jobs } = await measureDaemon(bundle, home, seconds, (out) => out.includes('"daemon-ready"'));

  const enrolled = await enrolledHome(tmp, bundle);
  let live: DaemonRun;
  try {
    scheduleWith50Certificates(enrolled.home);
    // Both start-up jobs of an enrolled identity must have run before sampling: which one runs first depends on the
    // start-up jitter, and the messages poll loads the RCDP client, so waiting for one alone measured either state.
    live = await measureDaemon(
      bundle,
      enrolled.home,
      seconds,
      (out) => /"job-done".*"kind":"keep-alive"/.test(out) && /"job-(done|failed|waiting)".*"kind":"messages"/.test(out),
    );
  } finally {
    await enrolled.stop();
  }

  return [
    {
      name: `idle daemon RSS at end of window (${jobs} jobs incl. 50 certificates, ${seconds} s)`,
      value: d.rssMb,
      unit: 'MB',
      baselineName: 'sleep',
      baseline: s.rssMb,
      ratio: d.rssMb / s.rssMb,
      target: '< 60 MB absolute',
      met: d.rssMb < 60,
    },
    {
      name: `idle daemon peak RSS incl. start-up (${seconds} s)`,
      value: d.peakMb,
      unit: 'MB',
      baselineName: 'sleep',
      baseline: s.rssMb,
      ratio: d.peakMb / s.peakMb,
      target: '< 60 MB absolute',
      met: d.peakMb < 60,
    },
    {
      name: `daemon with an enrolled certificate, after its first keep-alive and messages poll (${live.jobs} jobs, ${seconds} s)`,
      value: live.d.rssMb,
      unit: 'MB',
      baselineName: 'sleep',
      baseline: live.s.rssMb,
      ratio: live.d.rssMb / live.s.rssMb,
      target: '< 60 MB absolute',
      met: live.d.rssMb < 60,
    },
    {
      name: `idle daemon CPU (${seconds} s)`,
      value: d.cpuPercent,
      unit: '% of one core',
      baselineName: 'sleep',
      baseline: s.cpuPercent,
      ratio: s.cpuPercent > 0 ? d.cpuPercent / s.cpuPercent : d.cpuPercent > 0 ? Infinity : 1,
      target: '< 0.5 % of one core',
      met: d.cpuPercent < 0.5,
    },
  ];
}
