/**
 * Soak benchmark (issue 22): a year of simulated time for 50 certificates in one scheduler — renewals (30-day
 * certificates, 7-day server margin), keep-alives every 4 h for 5 templates and hourly message polls — through the
 * real Scheduler, schedule file and handlers (test-support/scheduler/soak.ts). Prints the heap after a forced GC
 * every 30 simulated days and the ratio of the last sample (day 360) to the first month's (the baseline, measured in the
 * same run). Target: memory flat, end ≤ 1.2 × baseline; also every renewal on time and no timer left.
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { runSoak } from '../test-support/scheduler/soak';
import type { BenchResult } from './run';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const mb = (n: number) => n / 1048576;

export async function run(): Promise<BenchResult[]> {
  const heap: { day: number; mb: number }[] = [];
  const started = Date.now();
  const r = await runSoak({
    certificates: 50,
    days: 365,
    lifetimeDays: 30,
    marginDays: 7,
    templates: 5,
    keepAliveSeconds: 4 * 3600,
    messagesMinutes: 60,
    seed: 1,
    sampleEveryDays: 30,
    sample: (s) => {
      gc();
      const used = mb(process.memoryUsage().heapUsed);
      heap.push({ day: s.day, mb: used });
      console.log(
        `  day ${String(s.day).padStart(3)}: heap ${used.toFixed(2)} MB, scheduler timers ${s.clockTimers}, active handles ${s.activeResources}`,
      );
    },
  });
  // The last sample, taken while the scheduler still runs (after runSoak returns, all of it is garbage).
  const end = heap.at(-1)!.mb;
  console.log(
    `  ${r.renewals} renewals (${r.offSchedule.length} off schedule, ${r.overdueAtEnd} overdue at the end), ${r.keepAlives} keep-alives, ` +
      `${r.messagePolls} message polls, ${r.jobsAtEnd} jobs at the end, ${r.clockTimersAfterStop} timers after stop; ` +
      `heap at day ${heap.at(-1)!.day} ${end.toFixed(2)} MB; ${((Date.now() - started) / 1000).toFixed(1)} s wall`,
  );
  // Baseline: after the first month (modules loaded, the job table and caches at their working size).
  const baseline = heap.find((h) => h.day >= 30)?.mb ?? heap[0]!.mb;
  const ratio = end / baseline;
  return [
    {
      name: 'soak: heap after a year of scheduled work (last sample), 50 certificates',
      value: end,
      unit: 'MB',
      baselineName: 'heap after the first month',
      baseline,
      ratio,
      target: 'flat: ≤ 1.2 × the first month, all renewals on time, no timer left',
      met: ratio <= 1.2 && r.offSchedule.length === 0 && r.overdueAtEnd === 0 && r.clockTimersAfterStop === 0,
    },
  ];
}
