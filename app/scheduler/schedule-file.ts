import path from 'node:path';
import * as z from 'zod/mini';
import { homeLayout } from '../config/home';
import { writeJsonAtomic } from '../system/atomic-write';
import { readStateFile } from '../system/state-file';
import { crashPoint } from '../system/crash-point';
import { withStateLock } from '../system/home-lock';
import { JobRecordSchema, type JobRecord } from './job';

/**
 * <home>/state/schedule.json: the next due time of every job, nothing else (a job missed while the agent was off
 * is simply overdue). Every change is written whole, atomically (temp file + fsync + rename), so a kill at any
 * moment leaves the previous or the next version, never a torn file.
 */

/** Where the agent keeps its schedule (tray app, daemon and CLI share it). */
export function scheduleFile(home: string): string {
  return path.join(homeLayout(home).state, 'schedule.json');
}

const StateFileSchema = z.object({ version: z.literal(1), jobs: z.array(JobRecordSchema) });

/**
 * The persisted jobs; a missing file is an empty schedule. A damaged one is moved aside and read as empty: the
 * agent's sync rebuilds the renewal jobs from its enrollments and the periodic jobs from its providers, so the
 * daemon starts (never crash-loops under a supervisor) and the user is told (state-file.ts).
 */
export async function readScheduleFile(file: string): Promise<JobRecord[]> {
  return (await readStateFile(file, StateFileSchema, { version: 1 as const, jobs: [] })).jobs;
}

/**
 * The persisted schedule shared by every process on the home (tray app, daemon, CLI). Each process keeps the jobs in
 * memory; a write is a three-way merge under the home's state lock (app/system/home-lock.ts): the file is re-read,
 * a job this process changed since it last read or wrote the file (`base`) is written as it is in memory, and every
 * other job is taken from the file — added, changed or removed by another process — into memory too. Writing the
 * in-memory list over the file instead made a running daemon drop the schedule entry a CLI `enroll` had just added,
 * or bring back the job of a certificate a CLI `renew` had just replaced, until its next sync.
 * Writes are serialized in this process; each runs over the live job map, so a queued write carries every change.
 */
export class ScheduleWriter {
  private chain: Promise<void> = Promise.resolve();
  /** Each job as this process last read or wrote it (what "changed here" is measured against). */
  private readonly base = new Map<string, string>();

  constructor(
    private readonly file: string,
    private readonly onError: (err: Error) => void,
  ) {}

  /** Read the file into `jobs` (jobs already in memory stay as they are). */
  async load(jobs: Map<string, JobRecord>): Promise<void> {
    for (const job of await readScheduleFile(this.file)) {
      this.base.set(job.id, key(job));
      if (!jobs.has(job.id)) jobs.set(job.id, job);
    }
  }

  /** Merge the file into `jobs` and write the result; resolves (or rejects) when it is on disk. */
  write(jobs: Map<string, JobRecord>): Promise<void> {
    return this.enqueue(jobs, true);
  }

  /** Take other processes' changes from the file into `jobs`; writes only if this process has changes of its own. */
  refresh(jobs: Map<string, JobRecord>): Promise<void> {
    return this.enqueue(jobs, false);
  }

  /** The last queued write (stop() waits for it). */
  settled(): Promise<void> {
    return this.chain;
  }

  private enqueue(jobs: Map<string, JobRecord>, write: boolean): Promise<void> {
    this.chain = this.chain
      .catch(() => {})
      .then(() => withStateLock(path.dirname(this.file), () => this.merge(jobs, write)))
      // Outside the lock: the crash tests kill here, and a killed holder would make the next run wait for staleness.
      .then((wrote) => {
        if (wrote) crashPoint('schedule');
      })
      .catch((err: unknown) => {
        this.onError(err as Error);
        throw err;
      });
    return this.chain;
  }

  private async merge(jobs: Map<string, JobRecord>, write: boolean): Promise<boolean> {
    const disk = new Map((await readScheduleFile(this.file)).map((j) => [j.id, j]));
    let local = false;
    for (const id of new Set([...jobs.keys(), ...this.base.keys(), ...disk.keys()])) {
      const mine = jobs.get(id);
      if ((mine ? key(mine) : undefined) !== this.base.get(id)) {
        local = true; // changed, added or removed here: this process's version stands
        continue;
      }
      const theirs = disk.get(id);
      if (!theirs) jobs.delete(id);
      else if (!mine) jobs.set(id, theirs);
      else if (key(theirs) !== key(mine)) replaceInPlace(mine, theirs);
    }
    // `base` is what the file holds after this merge, taken before the write's await: a job changed while the write
    // is under way is a change of this process's own for the next merge, not an old copy to be overwritten from disk.
    // A failed write (full disk) leaves `base` as it was: this process's changes stay its own, never reverted from disk.
    const snapshot = [...jobs.values()].map((j) => [j.id, key(j)] as const);
    if (write || local) await writeJsonAtomic(this.file, { version: 1 as const, jobs: [...jobs.values()] });
    this.base.clear();
    for (const [id, k] of snapshot) this.base.set(id, k);
    return write || local;
  }
}

const key = (job: JobRecord) => JSON.stringify(job);

/** Code that holds a job object (a run in flight) keeps seeing the current record. */
function replaceInPlace(target: JobRecord, source: JobRecord): void {
  for (const k of Object.keys(target)) delete (target as Record<string, unknown>)[k];
  Object.assign(target, source);
}
