import type { EngineDeps } from '../engine/enroll';
import { enrollments, messageStore } from '../engine/state';
import type { Logger } from '../log/logger';
import { createSilentMessagesFetcher } from './messages-fetch';
import {
  createDisclaimerHandler,
  createKeepAliveHandler,
  createMessagesHandler,
  createSeatTemplatesHandler,
  DISCLAIMER_KIND,
  KEEP_ALIVE_KIND,
  MESSAGES_KIND,
  SEAT_TEMPLATES_KIND,
  type DisclaimerChange,
  type DisclaimerState,
  type MessagesDeps,
  type PublicApiFor,
} from './periodic-jobs';
import type { Scheduler } from './scheduler';

export interface PeriodicWiring {
  home: string;
  engine: EngineDeps;
  log: Logger;
  publicApi: PublicApiFor;
  /** Without it (no mail integration) disclaimer jobs have no handler and are not scheduled. */
  applyDisclaimer?: (change: DisclaimerChange) => Promise<void>;
  disclaimers: DisclaimerState;
  onDisclaimerChanged: (change: DisclaimerChange) => void;
  /** Default: a silent session (messages-fetch.ts); `false`: no scheduled messages poll. */
  fetchMessages?: MessagesDeps['fetchMessages'] | false;
  onNewMessages: (provider: string, added: number, unread: number) => void;
}

/**
 * The periodic jobs' handlers (periodic-jobs.ts) wired to the agent's real parts: the Public API per provider,
 * the message store, the disclaimer record and mail integration. Keep-alive and seat templates always run;
 * disclaimers only with a mail integration, messages unless turned off.
 */
export function registerPeriodicJobs(s: Scheduler, w: PeriodicWiring): void {
  s.handle(KEEP_ALIVE_KIND, createKeepAliveHandler({ publicApi: w.publicApi }));
  s.handle(SEAT_TEMPLATES_KIND, createSeatTemplatesHandler({ publicApi: w.publicApi }));
  if (w.applyDisclaimer) {
    s.handle(
      DISCLAIMER_KIND,
      createDisclaimerHandler({
        publicApi: w.publicApi,
        state: w.disclaimers,
        applyDisclaimer: w.applyDisclaimer,
        onChanged: w.onDisclaimerChanged,
      }),
    );
  }
  if (w.fetchMessages !== false) {
    s.handle(
      MESSAGES_KIND,
      createMessagesHandler({
        latestUtc: (p) => messageStore.latestUtc(w.home, p),
        fetchMessages: messagesFetcher(w, w.fetchMessages),
        addMessages: (p, m) => messageStore.add(w.home, p, m),
        unreadCount: async () => (await messageStore.list(w.home)).filter((m) => !m.read).length,
        onNewMessages: w.onNewMessages,
      }),
    );
  }
}

/** The poll, as the provider's newest enrollment by default; a poll that needs a sign-in is skipped, not failed. */
function messagesFetcher(w: PeriodicWiring, given: MessagesDeps['fetchMessages'] | undefined): MessagesDeps['fetchMessages'] {
  const fetch =
    given ??
    createSilentMessagesFetcher(
      w.engine,
      async (provider) =>
        (await enrollments.list(w.home))
          .filter((r) => r.provider === provider)
          .sort((a, b) => b.issuedAt.localeCompare(a.issuedAt))[0],
    );
  return async (provider, fromUtc, signal) => {
    try {
      return await fetch(provider, fromUtc, signal);
    } catch (err) {
      // No silent sign-in for this provider: not an outage, so no back-off; messages come with the next sign-in.
      if ((err as Error).name === 'MissingInputError') {
        w.log.info('messages need a sign-in; skipped', { provider });
        return [];
      }
      throw err;
    }
  };
}
