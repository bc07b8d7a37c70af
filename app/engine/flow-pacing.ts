import type { Logger } from '../log/logger';
import type { FlowProgress, StepDetail } from '../model/flow-types';
import { FlowCancelledError, type FlowFrontEnd } from './front-end';

/** Sleep that an AbortSignal ends early (cancel during a DELAY countdown). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new FlowCancelledError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new FlowCancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export type WaitReason = Extract<FlowProgress, { kind: 'wait' }>['reason'];

/** How an interactive RCDP flow tells its front-end where it is: the `step` and `wait` that authenticate.ts and certificate.ts take. */
export interface FlowPacing {
  step: (step: string, detail?: StepDetail) => void;
  wait: (seconds: number, reason: WaitReason) => Promise<void>;
}

/**
 * The one definition of a flow's steps and countdowns, shared by every interactive RCDP flow (enrollment, password
 * change) so a DELAY looks and cancels the same in each: `wait` counts down once per second, so front-ends can show
 * "retrying in N s" without their own timers, and sleeps with `sleep` (deps.sleep in tests, else a real sleep that
 * the flow's signal ends at once with FlowCancelledError). With `log`, each step is also a debug log line.
 */
export function flowPacing(
  frontEnd: FlowFrontEnd,
  options: { signal?: AbortSignal; sleep?: (ms: number, signal?: AbortSignal) => Promise<void>; log?: Logger },
): FlowPacing {
  const { signal, log } = options;
  const sleep = options.sleep ?? abortableSleep;
  return {
    step: (s, detail) => {
      const text = typeof detail === 'object' ? detail : undefined;
      const words = typeof detail === 'object' ? detail.message : detail;
      log?.debug('step', { step: s, detail: words });
      frontEnd.progress({ kind: 'step', step: s, ...(words ? { detail: words } : {}), ...(text ? { detailText: text } : {}) });
    },
    wait: async (seconds, reason) => {
      for (let left = Math.ceil(seconds); left > 0; left--) {
        frontEnd.progress({ kind: 'wait', seconds: left, reason });
        await sleep(Math.min(1000, seconds * 1000), signal);
      }
    },
  };
}
