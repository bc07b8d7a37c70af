import { describe, expect, it } from 'vitest';
import { CertificateSummary, events } from '../ipc/contract';
import type { SchedulerStatus } from './agent-scheduler';
import { nextRenewal, uiNotifier, withRenewalInfo } from './ui-bridge';

const status: SchedulerStatus = {
  certificates: [
    {
      sha256Fingerprint: 'AA',
      provider: 'P',
      service: 'S',
      notAfter: '2026-03-01T00:00:00Z',
      renewAt: '2026-02-28T00:00:00.000Z',
      reason: 'renew from …',
      state: 'scheduled',
      failures: 0,
    },
    {
      sha256Fingerprint: 'BB',
      provider: 'P',
      service: 'T',
      notAfter: '2026-02-01T00:00:00Z',
      renewAt: '2026-01-20T00:00:00.000Z',
      reason: 'waiting',
      state: 'retrying',
      failures: 2,
      lastError: 'network: down',
    },
  ],
  keepAlive: [],
  unreadMessages: 0,
  disclaimers: [],
  jobs: [],
  repaired: [],
};

describe('ui bridge', () => {
  it('fills renewAt/renewReason for certs:list and the next renewal for the agent state', () => {
    const cert = {
      sha256Fingerprint: 'bb',
      serialNumber: '1',
      subject: 'CN=x',
      issuer: 'CN=y',
      notBefore: '',
      notAfter: '',
      stores: ['file'],
    } as CertificateSummary;
    const [out] = withRenewalInfo([cert], status);
    expect(out).toMatchObject({ renewAt: '2026-01-20T00:00:00.000Z', renewReason: 'waiting' });
    expect(nextRenewal(status)).toBe('2026-01-20T00:00:00.000Z');
  });

  it('passes the reason and the last attempt coded beside their English (an uncoded error as code "uncoded")', () => {
    const cert = {
      sha256Fingerprint: 'bb',
      serialNumber: '1',
      subject: 'CN=x',
      issuer: 'CN=y',
      notBefore: '',
      notAfter: '',
      stores: [],
    };
    const lastErrorText = { code: 'network.refused', params: { host: 'ca.test' } };
    const reasonText = { code: 'renewal.approver' };
    const coded = { ...status, certificates: [{ ...status.certificates[1]!, lastErrorText, reasonText }] };
    const [out] = withRenewalInfo([cert], coded);
    expect(out).toMatchObject({
      renewReason: 'waiting',
      renewReasonText: { code: 'renewal.approver', message: 'waiting' },
      renewErrorText: { code: 'network.refused', params: { host: 'ca.test' }, message: 'network: down' },
    });
    expect(CertificateSummary.safeParse(out).success).toBe(true);
    const [plain] = withRenewalInfo([cert], status);
    expect(plain!.renewErrorText).toEqual({ code: 'uncoded', message: 'network: down' });
    expect(plain!.renewReasonText).toBeUndefined();
  });

  it('raises the unattended-renewal popup with payloads the IPC contract accepts', () => {
    const sent: unknown[] = [];
    const n = uiNotifier((channel, payload) => {
      expect(channel).toBe('popup:open');
      expect(events['popup:open'].safeParse(payload).success).toBe(true);
      sent.push(payload);
    });
    const notice = {
      jobId: 'renewal:AA',
      provider: 'P',
      service: 'S',
      notAfter: '2026-03-01T00:00:00Z',
      message: 'Please renew',
    };
    n.userActionNeeded({ ...notice, reminder: 0 });
    n.locked(notice);
    expect(sent).toEqual([
      {
        popup: 'unattended-renewal',
        data: expect.objectContaining({ kind: 'sign-in-needed', message: 'Please renew', reminder: 0 }),
      },
      { popup: 'unattended-renewal', data: expect.objectContaining({ kind: 'locked' }) },
    ]);
  });
  it('reports unattended renewals and disclaimer changes as contract events and refreshes the state', () => {
    const sent: [string, unknown][] = [];
    let refreshed = 0;
    const n = uiNotifier(
      (channel, payload) => {
        expect(events[channel].safeParse(payload).success).toBe(true);
        sent.push([channel, payload]);
      },
      () => refreshed++,
    );
    const notice = {
      jobId: 'renewal:AA',
      provider: 'P',
      service: 'S',
      subject: 'CN=Carol',
      notAfter: '2026-03-01T00:00:00Z',
      message: 'renewed',
    };
    n.renewed({ ...notice, newSha256Fingerprint: 'CC', newNotAfter: '2027-03-01T00:00:00Z' });
    const change = { provider: 'P', service: 'S', email: 'c@x.test', previous: undefined };
    n.disclaimerChanged!({ ...change, disclaimer: { name: 'Legal', zipBase64: 'UEs=', checkIntervalMinutes: 60 } });
    n.disclaimerChanged!({ ...change, disclaimer: undefined });
    expect(sent).toEqual([
      [
        'certs:renewed',
        { provider: 'P', service: 'S', subject: 'CN=Carol', sha256Fingerprint: 'CC', notAfter: '2027-03-01T00:00:00Z' },
      ],
      ['disclaimer:changed', { provider: 'P', service: 'S', email: 'c@x.test', name: 'Legal' }],
      ['disclaimer:changed', { provider: 'P', service: 'S', email: 'c@x.test' }],
    ]);
    expect(refreshed).toBe(3);
  });
});
