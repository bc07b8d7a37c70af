import path from 'node:path';
import { homeLayout } from '../config/home';
import type { EngineDeps } from '../engine/enroll';
import { MissingInputError, type FlowFrontEnd } from '../engine/front-end';
import { readJsonFile, writeJsonAtomic } from '../system/atomic-write';
import { withLock } from '../system/home-lock';

/**
 * Policy `autoEnroll: [{provider, service}]`: the first start does the work. Each entry is enrolled once, silently
 * where the agent can authenticate without the user (HWSIG, seat, Kerberos, remembered credentials or MFA session —
 * the engine's unattended flow, the same one renewals use). Where it cannot, the entry becomes one "needs attention"
 * item in the agent state (the tray shows attention; the user enrolls it from the Enroll page) — never a wizard
 * opened on its own. An entry once enrolled is recorded and never enrolled again, even if the user later removes the
 * certificate (renewal keeps it alive; removing it is the user's call).
 */
export interface AutoEnrollEntry {
  provider: string;
  service: string;
}

export interface AutoEnrollState {
  /** "provider/service" → when it was enrolled automatically (or found enrolled already). */
  done: Record<string, string>;
  /** "provider/service" → why it needs the user. */
  pending: Record<string, string>;
}

export const autoEnrollFile = (home: string) => path.join(homeLayout(home).state, 'auto-enroll.json');
const keyOf = (e: AutoEnrollEntry) => `${e.provider}/${e.service}`;

export async function readAutoEnrollState(home: string): Promise<AutoEnrollState> {
  const raw = await readJsonFile<Partial<AutoEnrollState>>(autoEnrollFile(home), {});
  return { done: raw.done ?? {}, pending: raw.pending ?? {} };
}

/** The entries still waiting for the user, for the agent state ("needs attention"). */
export async function pendingAutoEnroll(home: string): Promise<{ provider: string; service: string; reason: string }[]> {
  const { pending } = await readAutoEnrollState(home);
  if (!Object.keys(pending).length) return [];
  // One the user has enrolled since (from the Enroll page) needs no more attention.
  const { enrollments } = await import('../engine/state');
  const enrolled = new Set((await enrollments.list(home).catch(() => [])).map((r) => `${r.provider}/${r.service}`));
  return Object.entries(pending)
    .filter(([key]) => !enrolled.has(key))
    .map(([key, reason]) => {
      const i = key.indexOf('/');
      return { provider: key.slice(0, i), service: key.slice(i + 1), reason };
    });
}

type AutoEnrollLog = { info(e: string, f?: Record<string, unknown>): void; warn(e: string, f?: Record<string, unknown>): void };

/**
 * Runs the policy's auto-enrollments that are not done yet. Never throws: a failure is recorded as pending with its
 * reason (and retried at the next start or policy change); the other entries still run. The tray app's core and the
 * daemon both run it (a headless machine has only the daemon), so one home's runs take turns under a lock and each
 * re-reads what is done: an entry is never enrolled twice because two processes started together.
 */
export async function runAutoEnroll(
  deps: EngineDeps,
  entries: AutoEnrollEntry[],
  log: AutoEnrollLog,
  signal: AbortSignal = new AbortController().signal,
): Promise<AutoEnrollState> {
  if (!entries.length) return readAutoEnrollState(deps.home);
  const lock = path.join(homeLayout(deps.home).state, 'locks', 'auto-enroll.lock');
  try {
    return await withLock(lock, 'the policy auto-enrollment', () => autoEnrollLocked(deps, entries, log, signal), { signal });
  } catch (err) {
    // Busy for minutes (another process is enrolling) or stopping: that run or the next start does the work.
    log.warn('auto-enroll-deferred', { message: (err as Error).message });
    return readAutoEnrollState(deps.home);
  }
}

async function autoEnrollLocked(
  deps: EngineDeps,
  entries: AutoEnrollEntry[],
  log: AutoEnrollLog,
  signal: AbortSignal,
): Promise<AutoEnrollState> {
  const state = await readAutoEnrollState(deps.home);
  const before = JSON.stringify(state);
  const { enrollments } = await import('../engine/state');
  const enrolled = await enrollments.list(deps.home).catch(() => []);
  // Entries the policy no longer names are no longer the user's to do.
  const wanted = new Set(entries.map(keyOf));
  for (const k of Object.keys(state.pending)) if (!wanted.has(k)) delete state.pending[k];
  for (const entry of entries) {
    const key = keyOf(entry);
    if (state.done[key]) continue;
    if (enrolled.some((r) => r.provider === entry.provider && r.service === entry.service)) {
      state.done[key] = new Date().toISOString(); // the user enrolled it already: nothing to do, ever
      delete state.pending[key];
      continue;
    }
    const silent: FlowFrontEnd = {
      prompt: async (p) => {
        throw new MissingInputError([p.kind], `enrolling needs ${p.kind} from you`);
      },
      progress: () => undefined,
    };
    const { runEnrollment } = await import('../engine/enroll');
    const outcome = await runEnrollment({ ...entry, unattended: true }, silent, deps, signal);
    if (outcome.status === 'issued') {
      state.done[key] = new Date().toISOString();
      delete state.pending[key];
      log.info('auto-enrolled', { provider: entry.provider, service: entry.service });
    } else {
      const reason =
        outcome.status === 'failed' && outcome.code === 'needs-input'
          ? 'your organisation asks you to enroll this certificate; it needs you to sign in once'
          : `automatic enrollment did not finish: ${outcome.status === 'failed' ? outcome.message : outcome.status}`;
      state.pending[key] = reason;
      log.warn('auto-enroll-needs-user', { provider: entry.provider, service: entry.service, reason });
    }
  }
  if (JSON.stringify(state) !== before) await writeJsonAtomic(autoEnrollFile(deps.home), state);
  return state;
}
