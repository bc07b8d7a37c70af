import os from 'node:os';
import path from 'node:path';
import { homeLayout } from '../config/home';
import type { EngineDeps } from '../engine/enroll';
import { MissingInputError, type FlowFrontEnd } from '../engine/front-end';
import { enrollments, messageStore, type EnrollmentRecord } from '../engine/state';
import { ONLINECA_SERVICE } from '../onlineca/service-name';
import type { Logger } from '../log/logger';
import { nullLogger } from '../log/logger';
import type { PublicApiClient } from '../public-api/client';
import type { CertificateBundle, CertificateStore } from '../stores/store';
import type { Clock } from '../system/clock';
import {
  createDisclaimerHandler,
  createKeepAliveHandler,
  createMessagesHandler,
  createSeatTemplatesHandler,
  DisclaimerState,
  DISCLAIMER_KIND,
  disclaimerJobId,
  KEEP_ALIVE_KIND,
  keepAliveJobId,
  MESSAGES_KIND,
  messagesJobId,
  PERIODIC_RETRY,
  seatAutoRenewDecision,
  SeatTemplatesData,
  SEAT_TEMPLATES_KIND,
  seatTemplatesJobId,
  type DisclaimerChange,
  type MessagesDeps,
} from './periodic-jobs';
import { createSilentMessagesFetcher } from './messages-fetch';
import { jitter, STARTUP_JITTER_MS } from './fleet-policy';
import { replaceInStores } from './replace-certificate';
import { RENEWAL_KIND, renewalJobId, trackCertificate, type RenewalJobData, type RenewalPolicyInputs } from './renewal-job';
import { createRenewalHandler, renewNow, type RenewalNotifier } from './renewer';
import { Scheduler, type JobRecord, type SchedulerLog } from './scheduler';

/**
 * The scheduler as the agent runs it (tray app and `keytalk-agent daemon` alike): one Scheduler over
 * <home>/state/schedule.json with the real engine, stores and Public API behind the job handlers.
 * What is watched is derived from the engine's enrollment records (enrollments.json) and the stores, so a
 * certificate enrolled from the tray, the CLI or a renewal is picked up by the next `sync()` (also a job).
 */

export interface AgentNotifier extends RenewalNotifier {
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

export interface CertificateSchedule {
  sha256Fingerprint: string;
  subject?: string;
  provider: string;
  service: string;
  notAfter: string;
  renewAt: string;
  reason: string;
  state: 'scheduled' | 'running' | 'retrying' | 'waiting-for-user';
  failures: number;
  lastError?: string;
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
}

export interface RenewResult {
  sha256Fingerprint: string;
  service: string;
  ran: boolean;
  outcome: string;
}

export const SYNC_KIND = 'sync';

export function scheduleFile(home: string): string {
  return path.join(homeLayout(home).state, 'schedule.json');
}

export class AgentScheduler {
  readonly scheduler: Scheduler;
  private readonly log: Logger;
  private readonly apis = new Map<string, Promise<PublicApiClient>>();
  private readonly margins = new Map<string, { at: number; value: number | undefined }>();
  private readonly templates = new Map<string, { at: number; value: string | undefined }>();
  private readonly disclaimers: DisclaimerState;
  private readonly clock: Clock | undefined;

  constructor(private readonly o: AgentSchedulerOptions) {
    this.log = o.log ?? nullLogger;
    this.clock = o.clock;
    this.disclaimers = new DisclaimerState(homeLayout(o.home).state);
    const log: SchedulerLog = (level, event, fields) => this.log[level](event, { component: 'scheduler', ...fields });
    this.scheduler = new Scheduler({
      stateFile: scheduleFile(o.home),
      clock: o.clock,
      monotonicNow: o.monotonicNow,
      random: o.random,
      log,
      retry: PERIODIC_RETRY,
      startupJitterMs: o.startupJitterMs,
    });
    this.registerHandlers();
  }

  private now(): number {
    return this.clock ? this.clock.now() : Date.now();
  }

  async start(): Promise<void> {
    await this.scheduler.start();
    await this.sync().catch((err: unknown) => this.log.error('sync failed', { error: (err as Error).message }));
    await this.scheduler.ensure({ id: SYNC_KIND, kind: SYNC_KIND, dueAt: this.now() + (this.o.syncPeriodMs ?? 10 * 60_000) });
  }

  stop(): Promise<void> {
    return this.scheduler.stop();
  }

  recheck(reason: string): void {
    this.scheduler.recheck(reason);
  }

  /** Public API client for a provider, over its RCCD-pinned TLS agent. */
  publicApi = (provider: string): Promise<PublicApiClient> => {
    let p = this.apis.get(provider);
    if (!p) {
      // The engine, Public API client and store code load on first use so the idle daemon stays small (issue 7).
      p = Promise.all([this.o.engine.openProvider(provider), import('../public-api/client')]).then(
        ([c, m]) => new m.PublicApiClient({ baseUrl: `https://${c.server}`, agent: c.agent }),
      );
      p.catch(() => this.apis.delete(provider));
      this.apis.set(provider, p);
    }
    return p;
  };

  private async stores(): Promise<CertificateStore[]> {
    return this.o.engine.stores();
  }

  /** Margin (Public API) else CertValidPercent (RCCD); a server that does not answer falls back, logged. */
  async policyInputs(c: { provider: string; service: string; userId?: string }): Promise<RenewalPolicyInputs> {
    const onlineCaPercent = await this.onlineCaRenewPercent(c);
    if (onlineCaPercent) return { certValidPercent: onlineCaPercent.renewPercent };
    const key = `${c.provider}\n${c.service}\n${c.userId ?? ''}`;
    const ttl = this.o.marginCacheMs ?? 3_600_000;
    let cached = this.margins.get(key);
    if (!cached || this.now() - cached.at > ttl) {
      let value: number | undefined;
      try {
        const api = await this.publicApi(c.provider);
        value = await api.certExpirationMargin({
          service: c.service,
          user: c.userId,
          computerName: c.userId ? this.computerName() : undefined,
        });
      } catch (err) {
        this.log.warn('cert-expiration-margin unavailable', {
          provider: c.provider,
          service: c.service,
          error: (err as Error).message,
        });
        value = cached?.value;
      }
      cached = { at: this.now(), value };
      this.margins.set(key, cached);
    }
    let certValidPercent: number | undefined;
    try {
      const conn = await this.o.engine.openProvider(c.provider);
      certValidPercent = conn.services.find((s) => s.name === c.service)?.certValidPercent;
    } catch {
      // provider removed: the renewal handler reports it when it runs
    }
    return { serverMarginSeconds: cached.value, certValidPercent };
  }

  /**
   * An Online CA has no expiration margin to ask for: its provider's lifetime percentage (undefined there means the
   * shared default) is the rule. Loaded only for the Online CA service name, so a KeyTalk-only daemon never loads it.
   */
  private async onlineCaRenewPercent(c: { provider: string; service: string }): Promise<{ renewPercent?: number } | undefined> {
    if (c.service !== ONLINECA_SERVICE) return undefined;
    try {
      const { loadOnlineCaProvider } = await import('../onlineca/provider');
      return { renewPercent: (await loadOnlineCaProvider(this.o.home, c.provider)).renewPercent };
    } catch {
      return undefined; // a KeyTalk service that happens to be called "onlineca", or a removed provider
    }
  }

  private computerName(): string {
    return (this.o.engine.computerName ?? os.hostname)();
  }

  private async popupTemplate(provider: string): Promise<string | undefined> {
    const cached = this.templates.get(provider);
    if (cached && this.now() - cached.at < 3_600_000) return cached.value;
    let value: string | undefined;
    try {
      value = await (await this.publicApi(provider)).unattendedPopupMessageTemplate();
    } catch (err) {
      this.log.info('no unattended popup template', { provider, error: (err as Error).message });
    }
    this.templates.set(provider, { at: this.now(), value });
    return value;
  }

  private registerHandlers(): void {
    const s = this.scheduler;
    s.handle(
      RENEWAL_KIND,
      createRenewalHandler({
        scheduler: s,
        random: this.o.random,
        notifier: this.o.notifier,
        runSilentRenewal: (job, signal) => this.runSilentRenewal(job, signal),
        replaceCertificate: async (old, issued) => {
          await this.replace(old, issued.sha256Fingerprint);
          await enrollments.remove(this.o.home, old.sha256Fingerprint);
        },
        certificateExists: async (fp) => {
          for (const st of await this.stores()) if ((await st.find({ sha256Fingerprint: fp })).length) return true;
          return false;
        },
        policyInputs: (job) => this.policyInputs(job),
        popupTemplate: (p) => this.popupTemplate(p),
        seatAutoRenew: async (provider, service) => {
          const job = s.get(seatTemplatesJobId(provider));
          const parsed = job ? SeatTemplatesData.safeParse(job.data) : undefined;
          return seatAutoRenewDecision(parsed?.success ? parsed.data : undefined, service);
        },
      }),
    );
    s.handle(KEEP_ALIVE_KIND, createKeepAliveHandler({ publicApi: this.publicApi }));
    s.handle(SEAT_TEMPLATES_KIND, createSeatTemplatesHandler({ publicApi: this.publicApi }));
    if (this.o.applyDisclaimer) {
      s.handle(
        DISCLAIMER_KIND,
        createDisclaimerHandler({
          publicApi: this.publicApi,
          state: this.disclaimers,
          applyDisclaimer: this.o.applyDisclaimer,
          onChanged: (change) => this.o.notifier.disclaimerChanged?.(change),
        }),
      );
    }
    if (this.o.fetchMessages !== false) {
      const fetch =
        this.o.fetchMessages ??
        createSilentMessagesFetcher(
          this.o.engine,
          async (provider) =>
            (await enrollments.list(this.o.home))
              .filter((r) => r.provider === provider)
              .sort((a, b) => b.issuedAt.localeCompare(a.issuedAt))[0],
        );
      const fetchMessages: MessagesDeps['fetchMessages'] = async (provider, fromUtc, signal) => {
        try {
          return await fetch(provider, fromUtc, signal);
        } catch (err) {
          // No silent sign-in for this provider: not an outage, so no back-off; messages come with the next sign-in.
          if ((err as Error).name === 'MissingInputError') {
            this.log.info('messages need a sign-in; skipped', { provider });
            return [];
          }
          throw err;
        }
      };
      s.handle(
        MESSAGES_KIND,
        createMessagesHandler({
          latestUtc: (p) => messageStore.latestUtc(this.o.home, p),
          fetchMessages,
          addMessages: (p, m) => messageStore.add(this.o.home, p, m),
          unreadCount: async () => (await messageStore.list(this.o.home)).filter((m) => !m.read).length,
          onNewMessages: (p, added, unread) => this.o.notifier.newMessages?.(p, added, unread),
        }),
      );
    }
    s.handle(SYNC_KIND, async (_job, ctx) => {
      await this.sync();
      return {
        status: 'done',
        nextDueAt: ctx.now + (this.o.syncPeriodMs ?? 10 * 60_000),
        reason: 'looks for newly enrolled certificates',
      };
    });
  }

  /**
   * Switch-over through the stores' replace operation (app/stores/replace.ts: new one added and found again in
   * every store holding the old one, only then the old one removed). The engine already stored the new
   * certificate; its bundle (with key) is read back from a store that can export it. Without such a store the
   * verify-then-remove fallback (replace-certificate.ts) keeps the same rule.
   */
  private async replace(old: { sha256Fingerprint: string; stores: string[] }, newFp: string): Promise<void> {
    const stores = await this.stores();
    const relevant = stores.filter((st) => old.stores.includes(st.id));
    for (const st of stores) {
      const reader = (st as { read?: (fp: string) => Promise<CertificateBundle> }).read;
      if (!reader) continue;
      let bundle: CertificateBundle;
      try {
        bundle = await reader.call(st, newFp);
      } catch {
        continue;
      }
      const { replaceCertificate } = await import('../stores/replace');
      const result = await replaceCertificate(relevant, old.sha256Fingerprint, bundle, { replace: true });
      for (const f of result.removeFailures) {
        this.log.warn('old certificate not removed', { store: f.storeId, error: f.message, old: old.sha256Fingerprint });
      }
      return;
    }
    await replaceInStores(stores, old, newFp);
  }

  /** The engine's flow, unattended: remembered credentials, HWSIG, seat, cached MFA; never a prompt. */
  private async runSilentRenewal(job: RenewalJobData, signal: AbortSignal) {
    const silent: FlowFrontEnd = {
      prompt: async (p) => {
        throw new MissingInputError([p.kind], `unattended renewal needs ${p.kind} from the user`);
      },
      progress: (p) => this.log.debug('renewal progress', { provider: job.provider, service: job.service, ...p }),
    };
    let previousCertPem: string | undefined;
    let keyPem: string | undefined;
    for (const st of await this.stores()) {
      const reader = (st as { read?: (fp: string) => Promise<{ certPem: string; keyPem?: string }> }).read;
      if (!reader) continue;
      try {
        const b = await reader.call(st, job.sha256Fingerprint);
        previousCertPem = b.certPem;
        keyPem = b.keyPem;
        break;
      } catch {
        // not in this store
      }
    }
    const record = await enrollments.get(this.o.home, job.sha256Fingerprint);
    const { runEnrollment } = await import('../engine/enroll');
    return runEnrollment(
      {
        provider: job.provider,
        service: job.service,
        unattended: true,
        format: record?.format,
        csr: record?.csr,
        storeIds: job.stores,
        previousCertPem,
        seat: seatIdentity(job, record, previousCertPem, keyPem),
      },
      silent,
      this.o.engine,
      signal,
    );
  }

  /**
   * Bring the job list in line with what is enrolled: a renewal job per enrolled certificate still in a store,
   * a keep-alive per provider/template/user, seat templates per provider, disclaimers where the server set one.
   */
  async sync(): Promise<void> {
    const records = await enrollments.list(this.o.home);
    const present = new Map<string, string[]>();
    for (const st of await this.stores()) {
      for (const c of await st.list()) {
        const fp = c.sha256Fingerprint.toUpperCase();
        present.set(fp, [...(present.get(fp) ?? []), st.id]);
      }
    }
    const live: EnrollmentRecord[] = records.filter((r) => present.has(r.sha256Fingerprint.toUpperCase()));
    for (const r of live) {
      const fp = r.sha256Fingerprint.toUpperCase();
      const seat = isSeatCertificate(r);
      await trackCertificate(
        this.scheduler,
        {
          sha256Fingerprint: fp,
          provider: r.provider,
          service: r.service,
          subject: r.subject,
          notBefore: r.notBefore,
          notAfter: r.notAfter,
          stores: present.get(fp)!,
          userId: r.userId,
          seat,
        },
        await this.policyInputs(r),
        this.o.random,
      );
    }
    // New periodic jobs start within the start-up jitter window, not all at "now": a fleet that is installed or
    // restarted together must not call the server in the same second.
    const random = this.o.random ?? Math.random;
    const startWindow = this.o.startupJitterMs ?? STARTUP_JITTER_MS;
    const soon = () => this.now() + jitter(startWindow, random);
    const keepAlive = new Set<string>();
    const seatTemplates = new Map<string, string[]>();
    // Keep-alive, seat templates, messages and disclaimers are KeyTalk Public API/RCDP jobs; an Online CA has none.
    const keytalk = live.filter((r) => r.providerKind !== 'onlineca');
    for (const r of keytalk) {
      if (r.userId) {
        const data = { provider: r.provider, templateName: r.service, user: r.userId, computerName: this.computerName() };
        const id = keepAliveJobId(data);
        keepAlive.add(id);
        await this.scheduler.ensure({ id, kind: KEEP_ALIVE_KIND, dueAt: soon(), data });
      }
      if (isSeatCertificate(r)) {
        const list = seatTemplates.get(r.provider) ?? [];
        if (!list.includes(r.service)) list.push(r.service);
        seatTemplates.set(r.provider, list);
      }
      if (this.o.applyDisclaimer && r.extras.setDisclaimer) {
        const email = emailOf(r.subject) ?? r.userId;
        if (email) {
          const data = { provider: r.provider, service: r.service, email };
          await this.scheduler.ensure({ id: disclaimerJobId(data), kind: DISCLAIMER_KIND, dueAt: soon(), data });
        }
      }
    }
    for (const [provider, templates] of seatTemplates) {
      await this.scheduler.ensure({
        id: seatTemplatesJobId(provider),
        kind: SEAT_TEMPLATES_KIND,
        dueAt: soon(),
        data: { provider, templates },
      });
    }
    if (this.o.fetchMessages !== false) {
      for (const provider of new Set(keytalk.map((r) => r.provider))) {
        await this.scheduler.ensure({ id: messagesJobId(provider), kind: MESSAGES_KIND, dueAt: soon(), data: { provider } });
      }
    }
    // Keep-alives for identities no longer enrolled stop.
    for (const j of this.scheduler.list())
      if (j.kind === KEEP_ALIVE_KIND && !keepAlive.has(j.id)) await this.scheduler.remove(j.id);
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
    const results: RenewResult[] = [];
    for (const job of this.scheduler.list().filter((j) => j.kind === RENEWAL_KIND)) {
      const d = job.data as RenewalJobData;
      if (opts.service && d.service !== opts.service) continue;
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
      const after = this.scheduler.get(job.id);
      results.push({
        sha256Fingerprint: d.sha256Fingerprint,
        service: d.service,
        ran: true,
        outcome: after ? `not renewed: ${after.lastError ?? after.reason ?? 'unknown'}` : 'renewed',
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

/** The seat to authenticate as on renewal: the recorded seat's user, with the certificate being renewed and its key. */
function seatIdentity(job: RenewalJobData, record: EnrollmentRecord | undefined, certPem?: string, keyPem?: string) {
  const userId = record?.seat?.userId ?? job.userId;
  return job.seat && userId && certPem && keyPem ? { userId, certPem, keyPem } : undefined;
}

/**
 * A seat certificate: the engine recorded that the server resolved a seat (USERID + computer-name on RCDP ≥ 2.8.0)
 * or that it was itself renewed with seat authentication. The RCCD does not mark seat templates, so the record
 * is the only source; templates-to-auto-renew-seat-certs then decides whether it renews unattended.
 */
export function isSeatCertificate(r: Pick<EnrollmentRecord, 'auth' | 'seat'>): boolean {
  return r.auth === 'seat' || r.seat !== undefined;
}

function emailOf(subject: string): string | undefined {
  return /(?:emailAddress|E)=([^,/]+@[^,/]+)/i.exec(subject)?.[1];
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
      notAfter: d.notAfter,
      renewAt: iso(j.dueAt)!,
      reason: j.reason ?? '',
      state: running(j.id)
        ? 'running'
        : d.reminders !== undefined
          ? 'waiting-for-user'
          : j.failures > 0
            ? 'retrying'
            : 'scheduled',
      failures: j.failures,
      lastError: j.lastError,
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
  };
}

export { renewalJobId };
