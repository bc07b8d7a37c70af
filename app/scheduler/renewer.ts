import type { FlowOutcome } from '../model/flow-types';
import { textOf, type CodedText, type CoreText, type CoreTextValue } from '../model/core-text';
import { jitterWindow, renewalData, trackCertificate, type RenewalJobData, type RenewalPolicyInputs } from './renewal-job';
import { duration, renewalDecision } from './renewal-rule';
import type { JobHandler, JobOutcome, Scheduler } from './scheduler';

/**
 * Renewal orchestration, run by the scheduler when a certificate's renewal job is due:
 *  1. the certificate must still exist (a removed certificate ends its job) and still be due under the current
 *     margin (the server may have changed it);
 *  2. renew silently through the engine (remembered credentials in the SecretStore, HWSIG, seat authentication,
 *     cached MFA token: the engine decides which apply; it never prompts in this mode);
 *  3. when that needs a person, raise the unattended auto-renewal popup (text from the server's
 *     ktagent-unattended-popup-msg-template) and ask again at growing intervals until the user renews;
 *  4. LOCKED: tell the user, keep everything, try later;
 *  5. the old certificate leaves a store only after the new one is confirmed in every store it was in
 *     (`replaceCertificate`), so a failed renewal at any step leaves the old certificate where it was.
 */

export type IssuedOutcome = Extract<FlowOutcome, { status: 'issued' }>;

export interface RenewalNotice {
  jobId: string;
  provider: string;
  service: string;
  subject?: string;
  notAfter: string;
  /** Text for the popup/notification. */
  message: string;
  /** The same coded for the UI's languages (app/model/core-text.ts); the server's template comes as its words. */
  text?: CoreText;
}

export interface RenewalNotifier {
  /** Silent renewal is impossible: show the unattended auto-renewal popup (reminder 0, 1, 2, ...). */
  userActionNeeded(notice: RenewalNotice & { reminder: number }): void;
  /** The account is locked on the server: tell the user; the old certificate stays in use. */
  locked(notice: RenewalNotice): void;
  renewed(notice: RenewalNotice & { newSha256Fingerprint: string; newNotAfter: string }): void;
  /** A renewal that keeps failing (network, server) while expiry comes closer. */
  failing?(notice: RenewalNotice & { error: string; failures: number }): void;
}

export interface RenewerDeps {
  /** Engine: run the renewal flow unattended (never prompts; needs-input when a person is required). */
  runSilentRenewal(job: RenewalJobData, signal: AbortSignal): Promise<FlowOutcome>;
  /**
   * Stores: make the new certificate the one in use and retire the old one, only once the new one is in every
   * store in `oldStores`. Must throw (leaving the old one) if it cannot confirm that.
   */
  replaceCertificate(old: { sha256Fingerprint: string; stores: string[] }, issued: IssuedOutcome): Promise<void>;
  /**
   * A renewal of this certificate that was issued and stored but whose switch-over a crash interrupted: the new
   * certificate's enrollment record names it in `replaces` (written before the stores, engine/store-issued.ts).
   */
  interruptedSwitchOver?(oldSha256Fingerprint: string): Promise<IssuedOutcome | undefined>;
  /**
   * Run `fn` holding this certificate's renewal lock (app/system/home-lock.ts), so the tray app, the daemon and a CLI
   * never renew one certificate at the same time; rejects with HomeBusyError when another process keeps it too long.
   * Without it (unit tests of one process) the handler runs unlocked.
   */
  renewalLock?<T>(sha256Fingerprint: string, signal: AbortSignal, fn: () => Promise<T>): Promise<T>;
  /** Is this certificate still present anywhere? (a user may have removed it). */
  certificateExists(sha256Fingerprint: string): Promise<boolean>;
  /** Current renewal inputs (server margin via Public API, else RCCD CertValidPercent); may be cached. */
  policyInputs(job: RenewalJobData): Promise<RenewalPolicyInputs>;
  /** The server's popup template (Public API 3.2.13); undefined when the server has none/old API. */
  popupTemplate(provider: string): Promise<string | undefined>;
  /** Seat certificates: does this template participate in auto-renewal (templates-to-auto-renew-seat-certs)? */
  seatAutoRenew?(provider: string, service: string): Promise<boolean>;
  notifier: RenewalNotifier;
  scheduler: Scheduler;
  random?: () => number;
}

/** Reminder n (0-based) waits REMINDER_BASE_MS × 2^n, capped: 15 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h, ... */
export const REMINDER_BASE_MS = 15 * 60_000;
export const REMINDER_CAP_MS = 8 * 3_600_000;
export function reminderDelay(reminder: number): number {
  return Math.min(REMINDER_CAP_MS, REMINDER_BASE_MS * 2 ** Math.min(20, reminder));
}

/** Outcomes other than "needs the user" end a pending user request (the popup cadence starts over next time). */
const NOT_WAITING = { reminders: undefined, waitingForUserSince: undefined };

/** How a finished renewal's outcome reason starts (renew() reports "renewed" from it). */
export const RENEWED_REASON = 'renewed: replaced by ';
/** Another process on the home renewed it while this one waited for the certificate's renewal lock. */
export const RENEWED_ELSEWHERE_REASON = 'renewed by another KeyTalk Agent process: replaced by ';

/** Where a pending approval is re-checked. */
export const APPROVAL_POLL_MS = 10 * 60_000;

export function createRenewalHandler(deps: RenewerDeps): JobHandler {
  const renew = renewalRun(deps);
  return async (job, ctx): Promise<JobOutcome> => {
    if (!deps.renewalLock) return renew(job, ctx);
    try {
      // Everything below re-reads what it decides on (stores, records) after the lock is taken: a process that
      // waited here finds the certificate already renewed and does not enroll a second one.
      return await deps.renewalLock(renewalData(job).sha256Fingerprint, ctx.signal, () => renew(job, ctx));
    } catch (err) {
      if ((err as Error).name !== 'HomeBusyError') throw err;
      return { status: 'retry', error: (err as Error).message, errorText: textOf(err), countsAsFailure: false };
    }
  };
}

function renewalRun(deps: RenewerDeps): JobHandler {
  return async (job, ctx): Promise<JobOutcome> => {
    const data = renewalData(job);
    const notice = (message: string, text?: CodedText): RenewalNotice => ({
      jobId: job.id,
      provider: data.provider,
      service: data.service,
      subject: data.subject,
      notAfter: data.notAfter,
      message,
      ...(text ? { text: { ...text, message } } : {}),
    });

    if (!(await deps.certificateExists(data.sha256Fingerprint))) {
      const successor = await deps.interruptedSwitchOver?.(data.sha256Fingerprint).catch(() => undefined);
      if (successor) return { status: 'done', reason: `${RENEWED_ELSEWHERE_REASON}${successor.sha256Fingerprint.slice(0, 16)}…` };
      return { status: 'done', reason: 'the certificate was removed; nothing to renew' };
    }

    // A previous run got the new certificate but could not retire the old one (a failed store, or a kill before
    // the switch-over): finish that, never renew again.
    const pending =
      (job.data.pendingReplacement as IssuedOutcome | undefined) ??
      (await deps.interruptedSwitchOver?.(data.sha256Fingerprint).catch(() => undefined));
    const inputs = await deps.policyInputs(data).catch(() => ({}) as RenewalPolicyInputs);
    const decision = renewalDecision({ notBefore: data.notBefore, notAfter: data.notAfter, ...inputs });
    const window = jitterWindow(decision, data);
    if (!pending && ctx.now < window.from && job.data.forced !== true) {
      // The margin moved since this job was scheduled: not due yet.
      return {
        status: 'done',
        nextDueAt: window.from,
        jitterMs: window.jitterMs,
        reason: decision.reason,
        reasonText: decision.text,
      };
    }

    if (!pending && data.seat && deps.seatAutoRenew && !(await deps.seatAutoRenew(data.provider, data.service))) {
      const why = 'the server does not auto-renew seat certificates of this template';
      return userAction(deps, data, ctx.now, notice, why, { code: 'renewal.seat-not-auto', message: why });
    }

    const outcome = pending ?? (await deps.runSilentRenewal(data, ctx.signal));
    if (ctx.signal.aborted && !pending)
      return { status: 'retry', error: 'agent stopping', errorText: { code: 'renewal.stopping' }, countsAsFailure: false };

    switch (outcome.status) {
      case 'issued': {
        // Refuses (→ retry with back-off, old certificate kept) unless the new one is in every old store.
        try {
          await deps.replaceCertificate({ sha256Fingerprint: data.sha256Fingerprint, stores: data.stores }, outcome);
        } catch (err) {
          const why = (err as Error).message;
          return {
            status: 'retry',
            error: `new certificate issued but not yet in every store: ${why}`,
            errorText: { code: 'renewal.not-in-every-store', params: { reason: inner(err) } },
            reason: 'renewed certificate issued; finishing the switch-over (the old certificate stays until then)',
            reasonText: { code: 'renewal.switch-over' },
            data: { pendingReplacement: outcome },
          };
        }
        await trackCertificate(
          deps.scheduler,
          {
            sha256Fingerprint: outcome.sha256Fingerprint,
            provider: outcome.provider,
            service: outcome.service,
            subject: outcome.subject,
            notBefore: outcome.notBefore,
            notAfter: outcome.notAfter,
            stores: outcome.stores,
            seat: data.seat,
            userId: data.userId,
          },
          inputs,
          deps.random,
        );
        deps.notifier.renewed({
          ...notice(`Certificate for ${data.service} renewed; valid until ${outcome.notAfter}`),
          newSha256Fingerprint: outcome.sha256Fingerprint,
          newNotAfter: outcome.notAfter,
        });
        // This job is for the old certificate: done and removed.
        return { status: 'done', reason: `${RENEWED_REASON}${outcome.sha256Fingerprint.slice(0, 16)}…` };
      }
      case 'pending-approval':
        return {
          status: 'retry',
          error: 'waiting for an approver on the KeyTalk server',
          errorText: { code: 'renewal.approver' },
          retryAfterMs: APPROVAL_POLL_MS,
          countsAsFailure: false,
          reason: `renewal requested; waiting for approval (checked every ${duration(APPROVAL_POLL_MS)})`,
          reasonText: { code: 'renewal.awaiting-approval', params: { seconds: APPROVAL_POLL_MS / 1000 } },
        };
      case 'password-changed': // a renewal flow never ends so; if it did, nothing was renewed
      case 'failed':
        if (outcome.status === 'password-changed')
          return { status: 'retry', error: 'no certificate was requested', errorText: { code: 'renewal.nothing-requested' } };
        if (outcome.code === 'needs-input' || outcome.code === 'auth-failed') {
          return userAction(deps, data, ctx.now, notice, outcome.message, outcome.text);
        }
        if (outcome.code === 'locked') {
          deps.notifier.locked(
            notice(
              `Your account is locked on the KeyTalk server, so ${data.service} could not be renewed. Nothing was lost: the current certificate stays in use until ${data.notAfter}. The agent will try again later.`,
              { code: 'renewal.popup-locked', params: { service: data.service, at: data.notAfter } },
            ),
          );
          return {
            status: 'retry',
            error: `locked: ${outcome.message}`,
            errorText: outcome.text,
            reason: 'account locked on the server; retrying later',
            reasonText: { code: 'renewal.locked' },
            data: NOT_WAITING,
          };
        }
        if (outcome.code === 'cancelled')
          return {
            status: 'retry',
            error: 'renewal cancelled',
            errorText: { code: 'renewal.cancelled' },
            countsAsFailure: false,
          };
        if (job.failures >= 2 && deps.notifier.failing) {
          const reason = outcome.text ?? outcome.message;
          deps.notifier.failing({
            ...notice(`Renewing ${data.service} keeps failing: ${outcome.message}`, {
              code: 'renewal.popup-failing',
              params: { service: data.service, reason },
            }),
            error: outcome.message,
            failures: job.failures + 1,
          });
        }
        return {
          status: 'retry',
          error: `${outcome.code}: ${outcome.message}`,
          errorText: outcome.text,
          data: NOT_WAITING,
          minWaitMs: outcome.retryAfterSeconds === undefined ? undefined : outcome.retryAfterSeconds * 1000,
        };
    }
  };
}

async function userAction(
  deps: RenewerDeps,
  data: RenewalJobData,
  now: number,
  notice: (m: string, text?: CodedText) => RenewalNotice,
  why: string,
  whyText: CoreText | undefined,
): Promise<JobOutcome> {
  const reminder = data.reminders ?? 0;
  const template = (await deps.popupTemplate(data.provider).catch(() => undefined))?.trim();
  // The server's template is its administrator's words in one language: the UI frames them as the server's.
  const message = template
    ? notice(template, { code: 'server.says', params: { text: template } })
    : notice(
        `Your ${data.service} certificate from ${data.provider} expires ${data.notAfter} and needs you to sign in to renew it.`,
        {
          code: 'renewal.popup-sign-in',
          params: { service: data.service, provider: data.provider, at: data.notAfter },
        },
      );
  deps.notifier.userActionNeeded({ ...message, reminder });
  const wait = reminderDelay(reminder);
  return {
    status: 'retry',
    error: `needs the user: ${why}`,
    errorText: { code: 'renewal.needs-user', params: { why: whyText ?? why } },
    retryAfterMs: wait,
    jitterMs: 0,
    countsAsFailure: false,
    reason: `waiting for you to renew (reminder ${reminder + 1}; next in ${duration(wait)})`,
    reasonText: { code: 'renewal.waiting-for-user', params: { reminder: reminder + 1, seconds: wait / 1000 } },
    data: { reminders: reminder + 1, waitingForUserSince: data.waitingForUserSince ?? now },
  };
}

/** An error as a value inside a coded text: its own coded text when it has one, else its English words. */
function inner(err: unknown): CoreTextValue {
  return textOf(err) ?? (err instanceof Error ? err.message : String(err));
}

/** "Renew now" from the CLI/UI: run the certificate's job immediately even if it is not due yet. */
export async function renewNow(scheduler: Scheduler, jobId: string, force: boolean): Promise<void> {
  const job = scheduler.get(jobId);
  if (!job) throw new Error(`no renewal is scheduled for ${jobId}; is the certificate managed by this agent?`);
  if (force) await scheduler.ensure({ id: job.id, kind: job.kind, dueAt: job.dueAt, data: { forced: true } });
  try {
    await scheduler.runNow(jobId);
  } finally {
    if (force && scheduler.get(jobId))
      await scheduler.ensure({ id: job.id, kind: job.kind, dueAt: scheduler.get(jobId)!.dueAt, data: { forced: false } });
  }
}
