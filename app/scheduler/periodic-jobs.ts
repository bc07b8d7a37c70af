import { createHash } from 'node:crypto';
import path from 'node:path';
import type JSZip from 'jszip';
import * as z from 'zod/mini';
import type { Disclaimer, PublicApiClient } from '../public-api/client';
import { PublicApiError } from '../public-api/errors';
import { writeJsonAtomic } from '../system/atomic-write';
import { withStateLock } from '../system/home-lock';
import { readStateFile } from '../system/state-file';
import { periodicJitterBound, periodicNext, periodicRetry, type RetryPolicy } from './fleet-policy';
import { duration } from './renewal-rule';
import type { JobHandler } from './scheduler';

/**
 * The scheduler's periodic jobs other than renewal. Each is a handler factory over injected dependencies so it
 * runs the same in the tray app, the daemon and tests. All network calls here go through the Public API client
 * (TLS trust = the provider's RCCD CAs) or the engine; failures throw, and the scheduler backs off with
 * periodicRetry — a failing keep-alive never blocks a renewal (separate jobs).
 */

const DAY = 86_400_000;

export type PublicApiFor = (provider: string) => Promise<PublicApiClient>;

// ---- keep-alive (Public API 3.2.14/3.2.15) ----

export const KEEP_ALIVE_KIND = 'keep-alive';
export const KeepAliveData = z.object({
  provider: z.string(),
  templateName: z.string(),
  user: z.string(),
  computerName: z.string(),
  intervalSeconds: z.optional(z.nullable(z.number())),
  intervalCheckedAt: z.optional(z.number()),
});
export type KeepAliveData = z.infer<typeof KeepAliveData>;
export const keepAliveJobId = (d: Pick<KeepAliveData, 'provider' | 'templateName' | 'user'>) =>
  `keep-alive:${d.provider}:${d.templateName}:${d.user}`;

export function createKeepAliveHandler(deps: { publicApi: PublicApiFor }): JobHandler {
  return async (job, ctx) => {
    const d = KeepAliveData.parse(job.data);
    const api = await deps.publicApi(d.provider);
    let interval = d.intervalSeconds ?? undefined;
    let checkedAt = d.intervalCheckedAt;
    if (checkedAt === undefined || ctx.now - checkedAt >= DAY) {
      try {
        interval = await api.keepAliveInterval(d.templateName);
        checkedAt = ctx.now;
      } catch (err) {
        if (err instanceof PublicApiError && err.httpStatus === 404) {
          return {
            status: 'done',
            nextDueAt: ctx.now + DAY,
            jitterMs: periodicJitterBound(DAY),
            reason: 'the server has no keep-alive API (Public API older than 1.6.7); asking again daily',
            data: { intervalSeconds: null, intervalCheckedAt: ctx.now },
          };
        }
        throw err;
      }
    }
    if (interval === undefined) {
      return {
        status: 'done',
        nextDueAt: ctx.now + DAY,
        jitterMs: periodicJitterBound(DAY),
        reason: `no keep-alive interval configured for ${d.templateName}; asking again daily`,
        data: { intervalSeconds: null, intervalCheckedAt: checkedAt },
      };
    }
    const reply = await api.iAmAlive({ templateName: d.templateName, user: d.user, computerName: d.computerName });
    // 1.6.9 servers piggy-back the current interval: follow changes without an extra query.
    if (reply.intervalSeconds !== undefined) interval = reply.intervalSeconds;
    const periodMs = interval * 1000;
    return {
      status: 'done',
      ...periodicNext(ctx.now, periodMs, job.failures > 0),
      reason: `keep-alive every ${duration(periodMs)} (server setting for ${d.templateName})`,
      data: { intervalSeconds: interval, intervalCheckedAt: checkedAt },
    };
  };
}

// ---- server messages (RCDP last-messages, from-utc of the newest one seen) ----

export const MESSAGES_KIND = 'messages';
export const MessagesData = z.object({ provider: z.string(), periodMinutes: z.optional(z.number()) });
export const messagesJobId = (provider: string) => `messages:${provider}`;
export const DEFAULT_MESSAGES_PERIOD_MS = 3_600_000;

export interface MessagesDeps {
  /** Newest message time held for the provider (engine messageStore.latestUtc). */
  latestUtc(provider: string): Promise<string | undefined>;
  /** Engine: RCDP session + last-messages?from-utc=…; the messages the server returned. */
  fetchMessages(provider: string, fromUtc: string | undefined, signal: AbortSignal): Promise<{ text: string; utc: string }[]>;
  /** Keep them with read state (engine messageStore.add); returns how many were new. */
  addMessages(provider: string, messages: { text: string; utc: string }[]): Promise<number>;
  unreadCount(): Promise<number>;
  /** Raise a notification and update the tray badge. */
  onNewMessages(provider: string, added: number, unread: number): void;
}

export function createMessagesHandler(deps: MessagesDeps): JobHandler {
  return async (job, ctx) => {
    const d = MessagesData.parse(job.data);
    const since = await deps.latestUtc(d.provider);
    const messages = await deps.fetchMessages(d.provider, since, ctx.signal);
    const added = await deps.addMessages(d.provider, messages);
    if (added > 0) deps.onNewMessages(d.provider, added, await deps.unreadCount());
    const periodMs = (d.periodMinutes ?? DEFAULT_MESSAGES_PERIOD_MS / 60_000) * 60_000;
    return {
      status: 'done',
      ...periodicNext(ctx.now, periodMs, job.failures > 0),
      reason: `server messages checked every ${duration(periodMs)}${since ? ` (newer than ${since})` : ''}`,
      data: { lastAdded: added },
    };
  };
}

// ---- e-mail disclaimer (Public API 3.2.5) ----

export const DISCLAIMER_KIND = 'disclaimer';
export const DisclaimerData = z.object({ provider: z.string(), service: z.string(), email: z.string() });
export type DisclaimerData = z.infer<typeof DisclaimerData>;
export const disclaimerJobId = (d: DisclaimerData) => `disclaimer:${d.provider}:${d.service}:${d.email}`;

export interface ActiveDisclaimer {
  provider: string;
  service: string;
  email: string;
  name: string;
  zipBase64: string;
  zipSha256: string;
  checkIntervalMinutes: number;
  checkedAt: string;
  appliedAt?: string;
}

export interface DisclaimerChange {
  provider: string;
  service: string;
  email: string;
  /** undefined: the server no longer sets a disclaimer (remove ours). */
  disclaimer: Disclaimer | undefined;
  previous: ActiveDisclaimer | undefined;
}

const DisclaimersSchema = z.record(
  z.string(),
  z.looseObject({ provider: z.string(), service: z.string(), email: z.string(), name: z.string(), checkedAt: z.string() }),
) as unknown as z.ZodMiniType<Record<string, ActiveDisclaimer>>;

/** Disclaimers currently in force, in <home>/state/disclaimers.json (the UI shows name, checked, applied). */
export class DisclaimerState {
  readonly file: string;
  constructor(stateDir: string) {
    this.file = path.join(stateDir, 'disclaimers.json');
  }
  async list(): Promise<ActiveDisclaimer[]> {
    return Object.values(await readStateFile(this.file, DisclaimersSchema, {}));
  }
  update(key: string, fn: (cur: ActiveDisclaimer | undefined) => ActiveDisclaimer | undefined): Promise<void> {
    // Under the home lock (app/system/home-lock.ts), which also orders the writers of this process.
    return withStateLock(path.dirname(this.file), async () => {
      const all = await readStateFile(this.file, DisclaimersSchema, {});
      const next = fn(all[key]);
      if (next) all[key] = next;
      else delete all[key];
      await writeJsonAtomic(this.file, all);
    });
  }
}

export const DEFAULT_DISCLAIMER_CHECK_MS = DAY;

export function createDisclaimerHandler(deps: {
  publicApi: PublicApiFor;
  state: DisclaimerState;
  /** Mail-client integration (S/MIME work): apply, replace or remove signatures. Throws if it could not. */
  applyDisclaimer(change: DisclaimerChange): Promise<void>;
  /** Told after a change was applied and recorded, so whoever reads the state then sees the new one. */
  onChanged?(change: DisclaimerChange): void;
}): JobHandler {
  return async (job, ctx) => {
    const d = DisclaimerData.parse(job.data);
    const key = disclaimerJobId(d);
    const api = await deps.publicApi(d.provider);
    const fetched = await api.disclaimerForSmimeCertEmail(d.service, d.email);
    const previous = (await deps.state.list()).find(
      (x) => x.provider === d.provider && x.service === d.service && x.email === d.email,
    );
    const sha = fetched ? await disclaimerDigest(fetched.zipBase64) : undefined;
    const changed = fetched ? !previous || previous.zipSha256 !== sha || previous.name !== fetched.name : previous !== undefined;
    const checkedAt = new Date(ctx.now).toISOString();
    if (changed) {
      // Apply first, record after: a failed apply is retried (back-off) and the old record stays truthful.
      await deps.applyDisclaimer({ provider: d.provider, service: d.service, email: d.email, disclaimer: fetched, previous });
    }
    await deps.state.update(key, () =>
      fetched
        ? {
            provider: d.provider,
            service: d.service,
            email: d.email,
            name: fetched.name,
            zipBase64: fetched.zipBase64,
            zipSha256: sha!,
            checkIntervalMinutes: fetched.checkIntervalMinutes,
            checkedAt,
            appliedAt: changed ? checkedAt : previous?.appliedAt,
          }
        : undefined,
    );
    if (changed) deps.onChanged?.({ provider: d.provider, service: d.service, email: d.email, disclaimer: fetched, previous });
    const periodMs = fetched ? fetched.checkIntervalMinutes * 60_000 : DEFAULT_DISCLAIMER_CHECK_MS;
    return {
      status: 'done',
      ...periodicNext(ctx.now, periodMs, job.failures > 0),
      reason: fetched
        ? `disclaimer "${fetched.name}" ${changed ? 'applied' : 'unchanged'}; checked every ${duration(periodMs)} (server setting)`
        : `no disclaimer set for ${d.email}; checking again in ${duration(periodMs)}`,
    };
  };
}

/**
 * Identity of a disclaimer = its file names and contents, not the zip bytes: servers may re-zip on every request
 * (new timestamps), which must not re-apply signatures every check interval.
 */
export async function disclaimerDigest(zipBase64: string): Promise<string> {
  let zip: JSZip;
  try {
    // jszip loads only when a disclaimer zip actually arrives.
    const { default: JSZipLib } = await import('jszip');
    zip = await JSZipLib.loadAsync(Buffer.from(zipBase64, 'base64'));
  } catch (err) {
    throw new Error(
      `the server's disclaimer is not a valid zip (${(err as Error).message}); ask the KeyTalk administrator to re-upload it`,
    );
  }
  const h = createHash('sha256');
  const names = Object.keys(zip.files)
    .filter((n) => !zip.files[n]!.dir)
    .sort();
  for (const n of names) {
    h.update(`${n}\0`);
    h.update(await zip.files[n]!.async('nodebuffer'));
    h.update('\0');
  }
  return h.digest('hex');
}

// ---- seat certificate auto-renewal templates (Public API 3.2.9) ----

export const SEAT_TEMPLATES_KIND = 'seat-templates';
export const SeatTemplatesData = z.object({
  provider: z.string(),
  /** Templates of the seat certificates held, in the order they were first enrolled. */
  templates: z.array(z.string()),
  autoRenew: z.optional(z.array(z.string())),
});
export type SeatTemplatesData = z.infer<typeof SeatTemplatesData>;
export const seatTemplatesJobId = (provider: string) => `seat-templates:${provider}`;
export const SEAT_TEMPLATES_PERIOD_MS = DAY;

export function createSeatTemplatesHandler(deps: { publicApi: PublicApiFor }): JobHandler {
  return async (job, ctx) => {
    const d = SeatTemplatesData.parse(job.data);
    const api = await deps.publicApi(d.provider);
    const autoRenew = d.templates.length ? await api.templatesToAutoRenewSeatCerts(d.templates) : [];
    return {
      status: 'done',
      ...periodicNext(ctx.now, SEAT_TEMPLATES_PERIOD_MS, job.failures > 0),
      reason: autoRenew.length
        ? `seat certificates auto-renewed for ${autoRenew.join(', ')}`
        : `the server names no templates: only the first seat template (${d.templates[0] ?? 'none'}) is auto-renewed`,
      data: { autoRenew },
    };
  };
}

/**
 * Does a seat certificate of `service` auto-renew? Per the spec, an empty server list means the old behaviour:
 * seat renewal for a single template only — the first template this agent enrolled a seat certificate for.
 * Unknown yet (the job has not run): the same single-template rule.
 */
export function seatAutoRenewDecision(data: SeatTemplatesData | undefined, service: string): boolean {
  if (!data) return true;
  if (data.autoRenew && data.autoRenew.length) return data.autoRenew.includes(service);
  return (data.templates[0] ?? service) === service;
}

/** Back-off per periodic kind (pass as SchedulerOptions.retry); renewals keep the default 1 min … 1 h. */
export const PERIODIC_RETRY: Record<string, RetryPolicy> = {
  [KEEP_ALIVE_KIND]: periodicRetry(3_600_000),
  [MESSAGES_KIND]: periodicRetry(DEFAULT_MESSAGES_PERIOD_MS),
  [DISCLAIMER_KIND]: periodicRetry(3_600_000),
  [SEAT_TEMPLATES_KIND]: periodicRetry(SEAT_TEMPLATES_PERIOD_MS),
};
