import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY } from './fleet-policy';
import { applyOutcome, JobRecordSchema, type JobRecord } from './job';

// lastErrorText is optional in schedule.json: files written before it stay valid, a bad one never costs the schedule.
describe('a job record’s coded last error', () => {
  const old = { id: 'renewal:AA', kind: 'renewal', dueAt: 1, failures: 2, lastError: 'network: down' };

  it('reads an older record without it, and keeps one that fits (one nested text, as store.cannot-take has)', () => {
    expect(JobRecordSchema.parse(old)).toEqual({ ...old, data: {} });
    const reason = { code: 'disk.full', message: 'The disk is full.' };
    const lastErrorText = { code: 'store.cannot-take', params: { store: 'nss', reason } };
    expect(JobRecordSchema.parse({ ...old, lastErrorText }).lastErrorText).toEqual(lastErrorText);
  });

  it('drops a value that does not fit and keeps the rest of the record', () => {
    for (const bad of [{ params: {} }, 'network.refused', { code: 'x', params: { a: { code: 'y' } } }]) {
      const read = JobRecordSchema.parse({ ...old, lastErrorText: bad });
      expect(read.lastErrorText).toBeUndefined();
      expect(read).toMatchObject(old);
    }
  });

  it('is set by a failed run that brings one, and cleared by a run without one and by a success', () => {
    const job: JobRecord = JobRecordSchema.parse(old);
    const random = () => 0.5;
    const errorText = { code: 'network.refused', params: { host: 'ca.test' } };
    applyOutcome(job, { status: 'retry', error: 'network: refused', errorText }, 10, DEFAULT_RETRY, random);
    expect(job.lastErrorText).toEqual(errorText);
    applyOutcome(job, { status: 'retry', error: 'something else' }, 20, DEFAULT_RETRY, random);
    expect(job.lastErrorText).toBeUndefined();
    applyOutcome(job, { status: 'retry', error: 'network: refused', errorText }, 30, DEFAULT_RETRY, random);
    applyOutcome(job, { status: 'done', nextDueAt: 100 }, 40, DEFAULT_RETRY, random);
    expect(job).not.toHaveProperty('lastErrorText');
    expect(job).not.toHaveProperty('lastError');
  });
});

// reasonText the same way: optional, dropped when it does not fit, and never left behind by a newer reason.
describe('a job record’s coded reason', () => {
  const old = { id: 'renewal:AA', kind: 'renewal', dueAt: 1, failures: 0, reason: 'renew from …' };

  it('reads an older record without it and drops one that does not fit', () => {
    expect(JobRecordSchema.parse(old)).toEqual({ ...old, data: {} });
    expect(JobRecordSchema.parse({ ...old, reasonText: { params: {} } })).toEqual({ ...old, data: {} });
  });

  it('follows the reason: a new reason without a code clears the old code', () => {
    const job: JobRecord = JobRecordSchema.parse(old);
    const reasonText = { code: 'renewal.waiting-for-user', params: { reminder: 1, seconds: 900 } };
    applyOutcome(job, { status: 'retry', error: 'x', reason: 'waiting for you', reasonText }, 10, DEFAULT_RETRY, () => 0.5);
    expect(job).toMatchObject({ reason: 'waiting for you', reasonText });
    applyOutcome(job, { status: 'retry', error: 'x' }, 20, DEFAULT_RETRY, () => 0.5);
    expect(job.reasonText).toEqual(reasonText); // no new reason: the old one and its code stay together
    applyOutcome(job, { status: 'done', nextDueAt: 100, reason: 'something new' }, 30, DEFAULT_RETRY, () => 0.5);
    expect(job.reason).toBe('something new');
    expect(job.reasonText).toBeUndefined();
  });
});
