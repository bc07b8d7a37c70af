import { describe, expect, it } from 'vitest';
import type { SchedulerStatus } from '../scheduler/scheduler-status';
import { prometheusText } from './prometheus';

/** Issue 18, Monitoring: `status --prometheus` carries the last renewal and the last attempt's result per certificate. */
describe('prometheusText', () => {
  const cert = (fp: string, extra: Partial<SchedulerStatus['certificates'][number]>) => ({
    sha256Fingerprint: fp,
    provider: 'Acme',
    service: 'WEB',
    notBefore: '2026-11-01T00:00:00.000Z',
    notAfter: '2027-11-01T00:00:00.000Z',
    renewAt: '2027-10-01T00:00:00.000Z',
    reason: 'margin',
    state: 'scheduled' as const,
    failures: 0,
    ...extra,
  });
  const status: SchedulerStatus = {
    certificates: [
      cert('aa', {}),
      cert('bb', { state: 'retrying', failures: 2, lastAttemptAt: '2026-12-03T10:00:00.000Z', lastError: 'server down' }),
      cert('cc', { lastAttemptAt: '2026-12-03T11:00:00.000Z' }),
    ],
    keepAlive: [],
    unreadMessages: 0,
    disclaimers: [],
    jobs: [],
    repaired: [],
  };
  const text = prometheusText(status, [], Date.parse('2026-12-03T12:00:00Z'));
  const sample = (name: string, fp: string) =>
    new RegExp(`^${name}\\{provider="Acme",service="WEB",sha256="${fp.toUpperCase()}"\\} (\\S+)$`, 'm').exec(text)?.[1];

  it('the issue time of every certificate: when its last enrollment or renewal succeeded', () => {
    for (const fp of ['aa', 'bb', 'cc'])
      expect(sample('keytalk_agent_certificate_issued_timestamp_seconds', fp)).toBe(
        String(Date.parse('2026-11-01T00:00:00Z') / 1000),
      );
  });

  it('the expiry of every certificate (what a fleet alert watches: docs/deployment.md section 11)', () => {
    for (const fp of ['aa', 'bb', 'cc'])
      expect(sample('keytalk_agent_certificate_expiry_timestamp_seconds', fp)).toBe(
        String(Date.parse('2027-11-01T00:00:00Z') / 1000),
      );
  });

  it('the last renewal attempt and whether it failed, only for certificates the agent has tried to renew', () => {
    expect(sample('keytalk_agent_certificate_renewal_last_attempt_timestamp_seconds', 'aa')).toBeUndefined();
    expect(sample('keytalk_agent_certificate_renewal_last_attempt_success', 'aa')).toBeUndefined();
    expect(sample('keytalk_agent_certificate_renewal_last_attempt_timestamp_seconds', 'bb')).toBe(
      String(Date.parse('2026-12-03T10:00:00Z') / 1000),
    );
    expect(sample('keytalk_agent_certificate_renewal_last_attempt_success', 'bb')).toBe('0');
    expect(sample('keytalk_agent_certificate_renewal_consecutive_failures', 'bb')).toBe('2');
    expect(sample('keytalk_agent_certificate_renewal_last_attempt_success', 'cc')).toBe('1');
  });
});
