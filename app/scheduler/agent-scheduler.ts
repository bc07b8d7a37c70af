import { homeLayout } from '../config/home';
import type { EngineDeps } from '../engine/enroll';
import { replacedCertificates } from '../engine/replaced-certificates';
import { enrollments } from '../engine/state';
import { subjectInRfc4514Order } from '../engine/subject-order';
import type { Logger } from '../log/logger';
import { nullLogger } from '../log/logger';
import type { PublicApiClient } from '../public-api/client';
import type { Clock } from '../system/clock';
import { isSeatCertificate, syncEnrolledJobs } from './enrolled-jobs';
import {
  DisclaimerState,
  DISCLAIMER_KIND,
  PERIODIC_RETRY,
  seatAutoRenewDecision,
  SeatTemplatesData,
  seatTemplatesJobId,
  type DisclaimerChange,
  type MessagesDeps,
} from './periodic-jobs';
import { registerPeriodicJobs } from './periodic-wiring';
import { ProviderPolicy } from './provider-policy';
import { RENEWAL_KIND, renewalJobId, type RenewalJobData, type RenewalPolicyInputs } from './renewal-job';
import { createRenewalHandler, renewNow, RENEWED_ELSEWHERE_REASON, RENEWED_REASON, type RenewalNotifier } from './renewer';
import { findStored, interruptedSwitchOver, switchOver } from './replace-certificate';
import { crashPoint } from '../system/crash-point';
import { withRenewalLock } from '../system/home-lock';
import { RENEWAL_JOB_DEADLINE_MS } from './job-deadline';
import { scheduleFile } from './schedule-file';
import { Scheduler, type SchedulerLog } from './scheduler';
import { statusFromJobs, type SchedulerStatus } from './scheduler-status';
import { renewalHooks, type HookFailureSink } from './renewal-hooks';
import { runSilentRenewal } from './silent-renewal';

// Importers (agent core, CLI, daemon, UI bridge) keep getting these from here; they live in their own modules.
export { isSeatCertificate, renewalJobId, scheduleFile, statusFromJobs };
export type { CertificateSchedule, SchedulerStatus } from './scheduler-status';

/**
 * The scheduler as the agent runs it (tray app and `keytalk-agent daemon` alike): one Scheduler over
 * <home>/state/schedule.json with the real engine, stores and Public API behind the job handlers.
 * The parts: what is watched (enrolled-jobs.ts, re-read by the `sync` job), what the servers say
 * (provider-policy.ts), the unattended renewal and its switch-over (silent-renewal.ts, replace-certificate.ts),
 * the periodic jobs' wiring (periodic-wiring.ts) and the status view (scheduler-status.ts).
 */

/** hookFailed (HookFailureSink): a certificate's pre- or post-hook around a renewal failed (renewal-hooks.ts). */
export interface AgentNotifier extends RenewalNotifier, HookFailureSink {
  newMessages?(provider: string, added: number, unread: number): void;
  /** A disclaimer was applied, replaced or removed in the mail clients (and recorded). */
  disclaimerChanged?(change: DisclaimerChange): void;
}

export interface AgentSchedulerOptions {
  home: string;
  engine: EngineDeps;
  notifier: AgentNotifier;
  /** Mail-client integration (S/MIME work); without it disclaimer jobs are not scheduled. */
  applyDisclaimer?: (change: DisclaimerChange) => Promise<void>;
  /**
   * Authenticated last-messages poll. Default: a silent session as the provider's most recent enrollment
   * (messages-fetch.ts); `false` turns scheduled polling off (messages then arrive with each authentication).
   */
  fetchMessages?: MessagesDeps['fetchMessages'] | false;
  clock?: Clock;
  monotonicNow?: () => number;
  random?: () => number;
  log?: Logger;
  startupJitterMs?: number;
  /** How often enrollments/stores are re-read for new certificates. */
  syncPeriodMs?: number;
  /** How long a fetched cert-expiration-margin is reused. */
  marginCacheMs?: number;
}

export interface RenewResult {
  sha256Fingerprint: string;
  service: string;
  ran: boolean;
  outcome: string;
}

export const SYNC_KIND = 'sync';

export class AgentScheduler {
  readonly scheduler: Scheduler;
  private readonly log: Logger;
  private readonly policy: ProviderPolicy;
  private readonly disclaimers: DisclaimerState;
  private readonly clock: Clock | undefined;
  /**
   * Aborted by stop(): the start-up sync's margin calls and every Public API request of this scheduler end at once
   * (SIGTERM while a server hangs must not wait for the request deadlines). A new one per start().
   */
  private life = new AbortController();

  constructor(private readonly o: AgentSchedulerOptions) {
    this.log = o.log ?? nullLogger;
    this.clock = o.clock;
    this.disclaimers = new DisclaimerState(homeLayout(o.home).state);
    this.policy = new ProviderPolicy({
      home: o.home,
      engine: o.engine,
      log: this.log,
      now: () => this.now(),
      marginCacheMs: o.marginCacheMs,
      signal: () => this.life.signal,
    });
    const log: SchedulerLog = (level, event, fields) => this.log[level](event, { component: 'scheduler', ...fields });
    this.scheduler = new Scheduler({
      stateFile: scheduleFile(o.home),
      clock: o.clock,
      monotonicNow: o.monotonicNow,
      random: o.random,
      log,
      retry: PERIODIC_RETRY,
      startupJitterMs: o.startupJitterMs,
      deadlines: { [RENEWAL_KIND]: RENEWAL_JOB_DEADLINE_MS },
    });
    this.registerHandlers();
  }

  private now(): number {
    return this.clock ? this.clock.now() : Date.now();
  }

  /**
   * Start timing, then bring the jobs in line with what is enrolled. `signal` (the daemon's SIGTERM) ends a start
   * that is still waiting for servers: the sync's margin calls are aborted and start() returns; the caller stops.
   */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.life.signal.aborted) this.life = new AbortController();
    const life = this.life;
    const onAbort = () => life.abort(signal?.reason);
    if (signal?.aborted) return;
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.scheduler.start();
      if (life.signal.aborted) return;
      await this.sync(life.signal).catch((err: unknown) => {
        if (!life.signal.aborted) this.log.error('sync failed', { error: (err as Error).message });
      });
      if (life.signal.aborted) return;
      await this.scheduler.ensure({ id: SYNC_KIND, kind: SYNC_KIND, dueAt: this.now() + (this.o.syncPeriodMs ?? 10 * 60_000) });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  stop(): Promise<void> {
    this.life.abort();
    this.policy.forgetClients();
    return this.scheduler.stop();
  }

  /**
   * Put newly enrolled certificates into the persisted schedule without starting timers or running any job
   * (`enroll` from the CLI), so `status` and the UI show their renewal time and reason at once, not only after a
   * daemon or the tray app ran (issue 18/22).
   */
  async register(): Promise<void> {
    await this.scheduler.load();
    try {
      await this.sync();
    } finally {
      await this.scheduler.stop();
    }
  }

  recheck(reason: string): void {
    this.scheduler.recheck(reason);
  }

  /** Public API client for a provider, over its RCCD-pinned TLS agent. */
  publicApi = (provider: string): Promise<PublicApiClient> => this.policy.publicApi(provider);

  /** Margin (Public API) else CertValidPercent (RCCD); a server that does not answer falls back, logged. */
  policyInputs(c: { provider: string; service: string; userId?: string }): Promise<RenewalPolicyInputs> {
    return this.policy.policyInputs(c);
  }

  private registerHandlers(): void {
    const s = this.scheduler;
    const { home, engine } = this.o;
    // The certificate's pre-hook before the request, its post-hook after the switch-over: every host alike.
    const hooks = renewalHooks(home, this.log, this.o.notifier);
    s.handle(
      RENEWAL_KIND,
      createRenewalHandler({
        scheduler: s,
        random: this.o.random,
        notifier: hooks.notifier,
        runSilentRenewal: async (job, signal) => {
          await hooks.before(job);
          return runSilentRenewal(job, signal, { home, engine, log: this.log });
        },
        renewalLock: (fp, signal, fn) => withRenewalLock(homeLayout(home).state, fp, fn, { signal }),
        replaceCertificate: async (old, issued) => {
          const stores = await engine.stores();
          const facts = await findStored(stores, old.sha256Fingerprint);
          await switchOver(stores, old, issued.sha256Fingerprint, this.log);
          crashPoint('switch-over');
          // The old record becomes history ("Previous certificates"); without one there is nothing to keep.
          const record = await enrollments.get(home, old.sha256Fingerprint);
          const history = facts ? { ...facts, issuer: subjectInRfc4514Order(facts.issuer) } : {};
          if (record) await replacedCertificates.retire(home, record, history, issued.sha256Fingerprint);
          else await enrollments.remove(home, old.sha256Fingerprint);
        },
        interruptedSwitchOver: async (oldFp) => interruptedSwitchOver(home, await engine.stores(), oldFp),
        certificateExists: async (fp) => {
          for (const st of await engine.stores()) if ((await st.find({ sha256Fingerprint: fp })).length) return true;
          return false;
        },
        policyInputs: (job) => this.policy.policyInputs(job),
        popupTemplate: (p) => this.policy.popupTemplate(p),
        seatAutoRenew: async (provider, service) => {
          const job = s.get(seatTemplatesJobId(provider));
          const parsed = job ? SeatTemplatesData.safeParse(job.data) : undefined;
          return seatAutoRenewDecision(parsed?.success ? parsed.data : undefined, service);
        },
      }),
    );
    registerPeriodicJobs(s, {
      home,
      engine,
      log: this.log,
      publicApi: this.policy.publicApi,
      applyDisclaimer: this.o.applyDisclaimer,
      disclaimers: this.disclaimers,
      onDisclaimerChanged: (change) => this.o.notifier.disclaimerChanged?.(change),
      fetchMessages: this.o.fetchMessages,
      onNewMessages: (p, added, unread) => this.o.notifier.newMessages?.(p, added, unread),
    });
    s.handle(SYNC_KIND, async (_job, ctx) => {
      await this.sync(ctx.signal);
      return {
        status: 'done',
        nextDueAt: ctx.now + (this.o.syncPeriodMs ?? 10 * 60_000),
        reason: 'looks for newly enrolled certificates',
      };
    });
  }

  /** Bring the job list in line with what is enrolled (enrolled-jobs.ts); also a job every `syncPeriodMs`. */
  sync(signal?: AbortSignal): Promise<void> {
    return syncEnrolledJobs({
      home: this.o.home,
      scheduler: this.scheduler,
      stores: async () => this.o.engine.stores(),
      policyInputs: (r) => this.policy.policyInputs(r, signal),
      computerName: () => this.policy.computerName(),
      now: () => this.now(),
      random: this.o.random,
      startupJitterMs: this.o.startupJitterMs,
      disclaimers: this.o.applyDisclaimer !== undefined,
      messages: this.o.fetchMessages !== false,
      log: this.log,
    });
  }

  /**
   * Run every disclaimer job now (UI "Check now"), in turn, through the same handler as the timed check.
   * Returns the problems of the checks that failed (they stay scheduled with back-off, as after a timed run).
   */
  async checkDisclaimers(): Promise<string[]> {
    await this.sync();
    const errors: string[] = [];
    for (const job of this.scheduler.list().filter((j) => j.kind === DISCLAIMER_KIND)) {
      const after = await this.scheduler.runNow(job.id);
      const d = job.data as { email?: string };
      if (after && after.failures > 0) errors.push(`${d.email ?? job.id}: ${after.lastError ?? 'unknown error'}`);
    }
    return errors;
  }

  /** Renew now (CLI `renew`, UI "renew now"): due certificates, or all matching with force. */
  async renew(opts: { service?: string; force?: boolean } = {}): Promise<RenewResult[]> {
    await this.sync();
    // Renewals start() already began (overdue, or interrupted by a crash) finish first and are reported as such;
    // stopping the command under them would abort a renewal between issue and switch-over.
    await this.scheduler.idle();
    const results: RenewResult[] = [];
    const reported = new Set<string>();
    for (const { job, outcome } of this.scheduler.finishedRuns()) {
      const d = job.data as RenewalJobData;
      if (job.kind !== RENEWAL_KIND || (opts.service && d.service !== opts.service)) continue;
      if (outcome.status !== 'done') continue;
      const how = outcome.reason?.startsWith(RENEWED_REASON)
        ? 'renewed'
        : outcome.reason?.startsWith(RENEWED_ELSEWHERE_REASON)
          ? 'renewed by another KeyTalk Agent process'
          : undefined;
      if (!how) continue;
      results.push({ sha256Fingerprint: d.sha256Fingerprint, service: d.service, ran: true, outcome: how });
      reported.add(job.id);
    }
    for (const job of this.scheduler.list().filter((j) => j.kind === RENEWAL_KIND)) {
      const d = job.data as RenewalJobData;
      if (reported.has(job.id) || (opts.service && d.service !== opts.service)) continue;
      if (!opts.force && job.dueAt > this.now()) {
        results.push({
          sha256Fingerprint: d.sha256Fingerprint,
          service: d.service,
          ran: false,
          outcome: `not due: ${job.reason ?? ''}`,
        });
        continue;
      }
      await renewNow(this.scheduler, job.id, !!opts.force);
      // From what the run returned: the job may have been run by the start-up timer and re-tracked by a sync
      // meanwhile, so whether it is still listed says nothing (issue 22: a due renewal reported "not renewed").
      const outcome = this.scheduler.lastOutcome(job.id);
      const after = this.scheduler.get(job.id);
      const renewed = outcome?.status === 'done' && outcome.reason?.startsWith(RENEWED_REASON) === true;
      // Another process (daemon, tray app) renewed it while this one waited for its renewal lock: done, not twice.
      const elsewhere = outcome?.status === 'done' && outcome.reason?.startsWith(RENEWED_ELSEWHERE_REASON) === true;
      results.push({
        sha256Fingerprint: d.sha256Fingerprint,
        service: d.service,
        ran: true,
        outcome: renewed
          ? 'renewed'
          : elsewhere
            ? 'renewed by another KeyTalk Agent process'
            : `not renewed: ${(outcome?.status === 'retry' ? outcome.error : outcome?.reason) ?? after?.lastError ?? after?.reason ?? 'unknown'}`,
      });
    }
    return results;
  }

  async status(): Promise<SchedulerStatus> {
    return statusFromJobs(
      this.o.home,
      this.scheduler.list(),
      await this.disclaimers.list(),
      (id) => this.scheduler.get(id)?.runningSince !== undefined,
    );
  }
}
