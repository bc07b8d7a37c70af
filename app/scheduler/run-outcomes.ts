import type { JobOutcome, JobRecord } from './job';

/** Outcomes of jobs that no longer exist kept for `all()` (oldest forgotten first). */
const KEPT_ENDED = 200;

/**
 * What each job's last run returned, in this process (renew() reports from it, not from whether the job is still
 * there). A renewal's job ends with its certificate and the next certificate's job has a new id, so in a
 * long-running daemon the outcomes of ended jobs would pile up one per renewal forever (the soak showed it): only
 * the newest few of those are kept, enough for one command's report.
 */
export class RunOutcomes {
  private readonly map = new Map<string, { job: JobRecord; outcome: JobOutcome }>();

  record(job: JobRecord, outcome: JobOutcome, exists: (id: string) => boolean): void {
    this.map.delete(job.id);
    this.map.set(job.id, { job: { ...job, data: { ...job.data } }, outcome });
    let ended = 0;
    for (const id of this.map.keys()) if (!exists(id)) ended++;
    for (const id of this.map.keys()) {
      if (ended <= KEPT_ENDED) break;
      if (!exists(id)) {
        this.map.delete(id);
        ended--;
      }
    }
  }

  last(id: string): JobOutcome | undefined {
    return this.map.get(id)?.outcome;
  }

  all(): { job: JobRecord; outcome: JobOutcome }[] {
    return [...this.map.values()];
  }
}
