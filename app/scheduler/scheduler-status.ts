import { describeRepaired, repairedFiles } from '../config/repaired-files';
import { messageStore } from '../engine/state';
import type { CodedText } from '../model/core-text';
import type { JobRecord } from './job';
import { KEEP_ALIVE_KIND, type DisclaimerState } from './periodic-jobs';
import { RENEWAL_KIND, type RenewalJobData } from './renewal-job';

/**
 * What the UI, `keytalk-agent status` and the core's agent:state show of the schedule: per certificate when it
 * renews and why, the keep-alives, unread messages, applied disclaimers and the raw job list. Built from job
 * records alone, so `status` can read schedule.json while a daemon or the tray app runs (no network, no scheduler).
 */

export interface CertificateSchedule {
  sha256Fingerprint: string;
  subject?: string;
  provider: string;
  service: string;
  /** When this certificate was issued: the time of the last successful enrollment or renewal for it. */
  notBefore?: string;
  notAfter: string;
  renewAt: string;
  reason: string;
  /** reason as a coded text for the UI (app/model/core-text.ts). */
  reasonText?: CodedText;
  state: 'scheduled' | 'running' | 'retrying' | 'waiting-for-user';
  failures: number;
  /** When the agent last tried to renew it (none until it is due); lastError says whether that try failed. */
  lastAttemptAt?: string;
  lastError?: string;
  /** lastError as a coded text for the UI (app/model/core-text.ts), when the core's sentence was coded. */
  lastErrorText?: CodedText;
}

export interface SchedulerStatus {
  certificates: CertificateSchedule[];
  keepAlive: {
    provider: string;
    template: string;
    user: string;
    lastSuccessAt?: string;
    nextAt: string;
    reason?: string;
    lastError?: string;
  }[];
  unreadMessages: number;
  disclaimers: { provider: string; service: string; email: string; name: string; checkedAt: string; appliedAt?: string }[];
  jobs: { id: string; kind: string; dueAt: string; failures: number; reason?: string; lastError?: string }[];
  /** State files found damaged, moved aside and rebuilt (one sentence each; see app/system/state-file.ts). */
  repaired: string[];
}

/** Status from job records (live scheduler or schedule.json read by `status` while a daemon runs). */
export async function statusFromJobs(
  home: string,
  jobs: JobRecord[],
  disclaimers: Awaited<ReturnType<DisclaimerState['list']>>,
  running: (id: string) => boolean = (id) => jobs.find((j) => j.id === id)?.runningSince !== undefined,
): Promise<SchedulerStatus> {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const certificates: CertificateSchedule[] = [];
  for (const j of jobs.filter((x) => x.kind === RENEWAL_KIND)) {
    const d = j.data as RenewalJobData;
    certificates.push({
      sha256Fingerprint: d.sha256Fingerprint,
      subject: d.subject,
      provider: d.provider,
      service: d.service,
      notBefore: d.notBefore,
      notAfter: d.notAfter,
      renewAt: iso(j.dueAt)!,
      reason: j.reason ?? '',
      ...(j.reasonText && j.reason ? { reasonText: j.reasonText } : {}),
      state: running(j.id)
        ? 'running'
        : d.reminders !== undefined
          ? 'waiting-for-user'
          : j.failures > 0
            ? 'retrying'
            : 'scheduled',
      failures: j.failures,
      lastAttemptAt: iso(j.lastRunAt),
      lastError: j.lastError,
      ...(j.lastErrorText && j.lastError ? { lastErrorText: j.lastErrorText } : {}),
    });
  }
  const keepAlive = jobs
    .filter((x) => x.kind === KEEP_ALIVE_KIND)
    .map((j) => {
      const d = j.data as { provider: string; templateName: string; user: string };
      return {
        provider: d.provider,
        template: d.templateName,
        user: d.user,
        lastSuccessAt: iso(j.lastSuccessAt),
        nextAt: iso(j.dueAt)!,
        reason: j.reason,
        lastError: j.lastError,
      };
    });
  const unreadMessages = (await messageStore.list(home)).filter((m) => !m.read).length;
  const repaired = (await repairedFiles(home)).map(describeRepaired);
  return {
    certificates: certificates.sort((a, b) => a.renewAt.localeCompare(b.renewAt)),
    keepAlive,
    unreadMessages,
    disclaimers: disclaimers.map(({ provider, service, email, name, checkedAt, appliedAt }) => ({
      provider,
      service,
      email,
      name,
      checkedAt,
      appliedAt,
    })),
    jobs: jobs.map((j) => ({
      id: j.id,
      kind: j.kind,
      dueAt: iso(j.dueAt)!,
      failures: j.failures,
      reason: j.reason,
      lastError: j.lastError,
    })),
    repaired,
  };
}
