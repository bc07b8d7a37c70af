import { randomUUID } from 'node:crypto';
import type { CoreText } from '../model/core-text';
import { runEnrollment, type EnrollRequest } from '../engine/enroll';
import type { PasswordChangeRequest } from '../engine/password-change';
import type { FlowAnswer, FlowOutcome, FlowPrompt, FlowPurpose, WaitingPrompt } from '../model/flow-types';
import { FlowCancelledError, type FlowFrontEnd } from '../engine/front-end';
import { retireSuperseded } from '../scheduler/supersede';
import type { AgentContext } from './agent-context';
import type { OnIssued, StartedFlow } from './agent-types';

/** One running enrollment; `waiting` is set while its prompt is out with the UI. */
export interface FlowEntry {
  id: string;
  request: EnrollRequest | PasswordChangeRequest;
  /** Said with each prompt, so a window names what waits (renewal, password change) and not always "an enrollment". */
  purpose: FlowPurpose;
  abort: AbortController;
  /** Its prompts go to the UI's windows (no caller front-end): it ends when the last window goes. */
  ui: boolean;
  waiting?: { prompt: FlowPrompt; resolve: (a: FlowAnswer) => void; reject: (e: Error) => void };
}

/** What the running flows add to the agent's state (the tray icon: working, needs attention, last error). */
export interface FlowActivity {
  running: number;
  waiting: boolean;
  activeFlow?: string;
  lastError?: string;
  /** lastError's coded sentence, when the engine gave one (app/model/core-text.ts). */
  lastErrorText?: CoreText;
}

export interface FlowRunner {
  start(request: EnrollRequest, frontEnd?: FlowFrontEnd, signal?: AbortSignal, onIssued?: OnIssued): StartedFlow;
  /** A voluntary password change (RCDP 2.6.7) as a flow: the same prompts, progress and flow:done as an enrollment. */
  startPasswordChange(request: PasswordChangeRequest): StartedFlow;
  get(flowId: string): FlowEntry | undefined;
  /** Abort a flow and fail its open prompt; the engine then ends the session and publishes flow:done. */
  cancel(entry: FlowEntry): void;
  cancelAll(): void;
  /** Cancel the flows whose prompts only a UI window can answer; returns how many there were. */
  cancelUiFlows(): number;
  /** The oldest UI flow's open prompt, as flow:prompt sent it (for a window that was not there to receive it). */
  waitingPrompt(): WaitingPrompt | undefined;
  activity(): FlowActivity;
}

/**
 * Every enrollment of the core runs here, whoever started it (the UI, the scheduler, the CLI, tests): the engine
 * runs in the background, its prompts go to the UI as `flow:prompt` (or to a given front-end), its progress and
 * outcome are always published, and a new certificate is handed to the scheduler at once.
 */
export function flowRunner(ctx: AgentContext): FlowRunner {
  const flows = new Map<string, FlowEntry>();
  let lastError: string | undefined;
  let lastErrorText: CoreText | undefined;

  const ipcFrontEnd = (entry: FlowEntry): FlowFrontEnd => ({
    prompt(prompt) {
      return new Promise<FlowAnswer>((resolve, reject) => {
        if (entry.abort.signal.aborted) return reject(new FlowCancelledError());
        entry.waiting = { prompt, resolve, reject };
        const { provider, service } = entry.request;
        ctx.sink.emit('flow:prompt', { flowId: entry.id, prompt, provider, service, purpose: entry.purpose });
        ctx.publishState();
      });
    },
    progress(progress) {
      ctx.sink.emit('flow:progress', { flowId: entry.id, progress });
    },
  });

  const start: FlowRunner['start'] = (request, frontEnd, signal, onIssued) =>
    launch(
      request,
      request.replaces ? 'renew' : 'enroll',
      (fe, abort) => runEnrollment(request, fe, ctx.deps, abort),
      frontEnd,
      signal,
      onIssued,
    );

  // The engine module is loaded on first use: the daemon and most sessions never change a password.
  const startPasswordChange: FlowRunner['startPasswordChange'] = (request) =>
    launch(request, 'password-change', async (fe, abort) =>
      (await import('../engine/password-change')).runPasswordChange(request, fe, ctx.deps, abort),
    );

  const launch = (
    request: FlowEntry['request'],
    purpose: FlowPurpose,
    run: (fe: FlowFrontEnd, abort: AbortSignal) => Promise<FlowOutcome>,
    frontEnd?: FlowFrontEnd,
    signal?: AbortSignal,
    onIssued?: OnIssued,
  ): StartedFlow => {
    const entry: FlowEntry = { id: randomUUID(), request, purpose, abort: new AbortController(), ui: !frontEnd };
    if (signal) {
      if (signal.aborted) entry.abort.abort();
      else signal.addEventListener('abort', () => entry.abort.abort(), { once: true });
    }
    flows.set(entry.id, entry);
    const ipc = ipcFrontEnd(entry);
    // A caller's front-end answers the prompts; the UI still sees the progress.
    const fe: FlowFrontEnd = frontEnd
      ? {
          prompt: (p) => frontEnd.prompt(p),
          progress: (p) => {
            ipc.progress(p);
            frontEnd.progress(p);
          },
        }
      : ipc;
    ctx.publishState();
    const done = ctx.track(
      run(fe, entry.abort.signal).then(async (outcome) => {
        if (outcome.status === 'issued' && onIssued) {
          // The new certificate is stored; a failure to retire the old one is logged, never turned into a failed
          // renewal (the old one stays until the scheduler's next switch-over attempt or the user removes it).
          await onIssued(outcome).catch((err: Error) =>
            ctx.log.warn('retiring the renewed certificate failed', { error: err.message }),
          );
        }
        if (outcome.status === 'issued' && !onIssued && !('replaces' in request && request.replaces)) {
          // A new enrollment replaces the identity's previous certificate before the UI hears "done", so the
          // Certificates page it then loads shows one card (the scheduler's sync would also do it, a little later).
          // stores() inside the chain: its failure (thrown or rejected) must end in the warning too, or the flow would
          // stay listed and flow:done never be sent (the tray's Renew now waits for it).
          await Promise.resolve()
            .then(() => ctx.deps.stores())
            .then((stores) => retireSuperseded(ctx.home, stores, ctx.log))
            .catch((err: Error) => ctx.log.warn('replacing the previous certificate failed', { error: err.message }));
        }
        flows.delete(entry.id);
        lastError = outcome.status === 'failed' && outcome.code !== 'cancelled' ? outcome.message : undefined;
        lastErrorText = lastError && outcome.status === 'failed' ? outcome.text : undefined;
        // A new certificate is watched for renewal at once, not at the scheduler's next periodic sync.
        const scheduler = ctx.scheduler();
        if (outcome.status === 'issued' && scheduler)
          ctx.track(scheduler.sync().catch((err: Error) => ctx.log.warn('scheduler sync failed', { error: err.message })));
        ctx.sink.emit('flow:done', { flowId: entry.id, outcome });
        ctx.publishState();
        return outcome;
      }),
    );
    return { flowId: entry.id, done };
  };

  const cancel = (entry: FlowEntry) => {
    entry.abort.abort();
    entry.waiting?.reject(new FlowCancelledError());
    entry.waiting = undefined;
  };

  return {
    start,
    startPasswordChange,
    get: (flowId) => flows.get(flowId),
    cancel,
    cancelAll: () => [...flows.values()].forEach(cancel),
    cancelUiFlows: () => {
      const ui = [...flows.values()].filter((f) => f.ui);
      ui.forEach(cancel);
      return ui.length;
    },
    waitingPrompt: () => {
      const f = [...flows.values()].find((x) => x.ui && x.waiting);
      if (!f?.waiting) return undefined;
      const { provider, service } = f.request;
      return { flowId: f.id, prompt: f.waiting.prompt, provider, service, purpose: f.purpose };
    },
    activity: () => ({
      running: flows.size,
      waiting: [...flows.values()].some((f) => f.waiting),
      ...(flows.size ? { activeFlow: [...flows.keys()][0] } : {}),
      ...(lastError ? { lastError } : {}),
      ...(lastErrorText ? { lastErrorText } : {}),
    }),
  };
}
