import path from 'node:path';
import * as z from 'zod/mini';
import { homeLayout } from '../config/home';
import { writeJsonAtomic } from '../system/atomic-write';
import { readStateFile } from '../system/state-file';
import { crashPoint } from '../system/crash-point';
import { JobRecordSchema, type JobRecord } from './job';

/**
 * <home>/state/schedule.json: the next due time of every job, nothing else (a job missed while the agent was off
 * is simply overdue). Read once at start; every change is written whole, atomically (temp file + fsync +
 * rename), so a kill at any moment leaves the previous or the next version, never a torn file.
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

/** Writes serialized, so two jobs finishing together never interleave (each write is atomic on its own). */
export class ScheduleWriter {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly onError: (err: Error) => void,
  ) {}

  /** Queue a write of this snapshot of the jobs; resolves (or rejects) when it is on disk. */
  write(jobs: Iterable<JobRecord>): Promise<void> {
    const snapshot = { version: 1 as const, jobs: [...jobs].map((j) => ({ ...j })) };
    this.chain = this.chain
      .catch(() => {})
      .then(() => writeJsonAtomic(this.file, snapshot))
      .then(() => crashPoint('schedule'))
      .catch((err: unknown) => {
        this.onError(err as Error);
        throw err;
      });
    return this.chain;
  }

  /** The last queued write (stop() waits for it). */
  settled(): Promise<void> {
    return this.chain;
  }
}
