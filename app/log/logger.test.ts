import { describe, expect, it } from 'vitest';
import { createLogger, memorySink } from './logger';

describe('logger', () => {
  it('writes one JSON object per line with inherited fields, and honours the level', () => {
    const sink = memorySink();
    const log = createLogger(sink, 'info', { component: 'test' }).child({ provider: 'Acme' });
    log.debug('hidden');
    log.info('step', { step: 'hello' });
    expect(sink.lines).toHaveLength(1);
    expect(JSON.parse(sink.lines[0]!)).toMatchObject({
      level: 'info',
      msg: 'step',
      component: 'test',
      provider: 'Acme',
      step: 'hello',
    });
  });

  it('redacts secret-looking fields even when a caller passes them by mistake', () => {
    const sink = memorySink();
    createLogger(sink).warn('oops', { PASSWD: 'hunter2', otp: '123', keytalkcookie: 'abc', userId: 'alice' });
    const line = JSON.parse(sink.lines[0]!);
    expect(line).toMatchObject({ PASSWD: '[redacted]', otp: '[redacted]', keytalkcookie: '[redacted]', userId: 'alice' });
    expect(sink.lines[0]).not.toContain('hunter2');
  });

  it('redacts them inside nested objects and arrays too (a flow answer logged whole)', () => {
    const sink = memorySink();
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    createLogger(sink).warn('answer', {
      answer: { kind: 'credentials', values: { USERID: 'alice', PASSWD: 'hunter2' } },
      tries: [{ otp: '987654' }],
      deep: circular,
    });
    expect(sink.lines[0]).not.toMatch(/hunter2|987654/);
    expect(JSON.parse(sink.lines[0]!)).toMatchObject({
      answer: { values: { USERID: 'alice', PASSWD: '[redacted]' } },
      tries: [{ otp: '[redacted]' }],
    });
  });
});
