import { describe, expect, it } from 'vitest';
import { RunOutcomes } from './run-outcomes';

// Found by the soak (issue 22): every renewal ends its job and the next certificate's job has a new id, so the
// scheduler's record of last outcomes grew by one entry per renewal for the life of the daemon.
describe('RunOutcomes', () => {
  it('keeps the outcomes of live jobs and only the newest 200 of ended ones', () => {
    const o = new RunOutcomes();
    const live = new Set(['keep-alive']);
    const job = (id: string) => ({ id, kind: 'renewal', dueAt: 0, failures: 0, data: {} });
    o.record(job('keep-alive'), { status: 'done' }, (id) => live.has(id));
    for (let i = 0; i < 1000; i++) o.record(job(`renewal:${i}`), { status: 'done', reason: `r${i}` }, (id) => live.has(id));
    expect(o.all()).toHaveLength(201);
    expect(o.last('keep-alive')).toEqual({ status: 'done' });
    expect(o.last('renewal:999')).toEqual({ status: 'done', reason: 'r999' });
    expect(o.last('renewal:799')).toBeUndefined();
  });
});
