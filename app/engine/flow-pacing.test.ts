import { describe, expect, it } from 'vitest';
import { createLogger, memorySink } from '../log/logger';
import type { FlowProgress } from '../model/flow-types';
import { flowPacing } from './flow-pacing';
import { FlowCancelledError, type FlowFrontEnd } from './front-end';

/** The countdown and cancel rules every interactive RCDP flow shares (enrollment and password change). */
function recordingFrontEnd(): FlowFrontEnd & { seen: FlowProgress[] } {
  const seen: FlowProgress[] = [];
  return { seen, prompt: () => Promise.reject(new Error('no prompt expected')), progress: (p) => seen.push(p) };
}

describe('flowPacing', () => {
  it('wait counts down once per second (a part of a second is one short tick) through the injected sleep', async () => {
    const fe = recordingFrontEnd();
    const slept: number[] = [];
    const { wait } = flowPacing(fe, { sleep: async (ms) => void slept.push(ms) });
    await wait(3, 'delay');
    await wait(0.4, 'submitted');
    expect(fe.seen).toEqual([
      { kind: 'wait', seconds: 3, reason: 'delay' },
      { kind: 'wait', seconds: 2, reason: 'delay' },
      { kind: 'wait', seconds: 1, reason: 'delay' },
      { kind: 'wait', seconds: 1, reason: 'submitted' },
    ]);
    expect(slept).toEqual([1000, 1000, 1000, 400]);
  });

  it('a cancel during a DELAY countdown ends the wait at once with FlowCancelledError (the real sleep)', async () => {
    const fe = recordingFrontEnd();
    const ac = new AbortController();
    const { wait } = flowPacing(fe, { signal: ac.signal });
    const waiting = wait(600, 'delay');
    ac.abort();
    await expect(waiting).rejects.toBeInstanceOf(FlowCancelledError);
    // One tick only: the first sleep ended with the cancel (had it run out, a second tick would be shown).
    expect(fe.seen).toEqual([{ kind: 'wait', seconds: 600, reason: 'delay' }]);
    // An already cancelled flow does not start a countdown second.
    await expect(wait(5, 'delay')).rejects.toBeInstanceOf(FlowCancelledError);
  });

  it('step reports progress with its detail only when there is one, and logs it at debug when given a log', () => {
    const fe = recordingFrontEnd();
    const sink = memorySink();
    const { step } = flowPacing(fe, { log: createLogger(sink, 'debug') });
    step('hello', 'ca.example:443');
    step('last-messages');
    // A sentence comes coded: its English stays the detail (CLI, log), the code goes beside it for the window.
    const p12 = { code: 'step.p12-fallback', message: 'the server refused P12v2; asking for P12' };
    step('cert', p12);
    expect(fe.seen).toEqual([
      { kind: 'step', step: 'hello', detail: 'ca.example:443' },
      { kind: 'step', step: 'last-messages' },
      { kind: 'step', step: 'cert', detail: p12.message, detailText: p12 },
    ]);
    expect(sink.lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toMatchObject([
      { level: 'debug', msg: 'step', step: 'hello', detail: 'ca.example:443' },
      { level: 'debug', msg: 'step', step: 'last-messages' },
      { level: 'debug', msg: 'step', step: 'cert', detail: p12.message },
    ]);
  });
});
