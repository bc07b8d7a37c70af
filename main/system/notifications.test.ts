import { describe, expect, it } from 'vitest';
import { createMemoryCore } from '../../test-support/ipc/memory-core';
import { MainTexts } from '../i18n/main-i18n';
import { notificationsFromEvents, type Notice } from './notifications';

const state = { status: 'idle' as const, version: '1', home: '/h', providers: [] };

describe('notificationsFromEvents', () => {
  it('notifies issued, failed, pending and new messages; stays quiet on cancel and unchanged counts', () => {
    const core = createMemoryCore();
    const shown: Notice[] = [];
    const stop = notificationsFromEvents(core.onEvent, (n) => shown.push(n), 1);
    core.emit('flow:done', {
      flowId: 'a',
      outcome: {
        status: 'issued',
        provider: 'Acme',
        service: 'EMAIL',
        subject: 'CN=alice',
        serialNumber: '1',
        notBefore: '',
        notAfter: '',
        sha256Fingerprint: 'x',
        stores: ['file'],
      },
    });
    core.emit('flow:done', { flowId: 'b', outcome: { status: 'failed', code: 'cancelled', message: 'cancelled by user' } });
    core.emit('flow:done', { flowId: 'c', outcome: { status: 'failed', code: 'network', message: 'server unreachable' } });
    core.emit('flow:done', {
      flowId: 'd',
      outcome: { status: 'pending-approval', provider: 'Acme', service: 'WEB', approvalOngoing: true },
    });
    core.emit('agent:state', { ...state, unreadMessages: 1 });
    core.emit('agent:state', { ...state, unreadMessages: 3 });
    core.emit('agent:state', { ...state, unreadMessages: 0 });
    expect(shown).toEqual([
      { title: 'Certificate ready', body: 'CN=alice (Acme / EMAIL) is installed.' },
      { title: 'Certificate request failed', body: 'server unreachable' },
      { title: 'Waiting for approval', body: 'The request for WEB needs approval; it is checked again later.' },
      { title: 'New message', body: '2 new messages from your certificate provider.' },
    ]);
    stop();
    core.emit('agent:state', { ...state, unreadMessages: 5 });
    expect(shown).toHaveLength(4);
  });
  it('notifies an unattended renewal by the scheduler and a disclaimer applied, changed or removed', () => {
    const core = createMemoryCore();
    const shown: Notice[] = [];
    notificationsFromEvents(core.onEvent, (n) => shown.push(n));
    core.emit('certs:renewed', {
      provider: 'Acme',
      service: 'EMAIL',
      subject: 'CN=alice',
      sha256Fingerprint: 'CC',
      notAfter: '2027-03-01T12:00:00.000Z',
    });
    core.emit('certs:renewed', { provider: 'Acme', service: 'WEB', sha256Fingerprint: 'DD', notAfter: '2027-04-01T00:00:00Z' });
    core.emit('disclaimer:changed', {
      provider: 'Mailco',
      service: 'SMIME',
      email: 'carol@mailco.test',
      name: 'Mailco legal v2',
    });
    core.emit('disclaimer:changed', { provider: 'Mailco', service: 'SMIME', email: 'carol@mailco.test' });
    expect(shown).toEqual([
      // The date in the UI language's own format (midday UTC: the same calendar day in every time zone).
      { title: 'Certificate renewed', body: 'CN=alice (Acme / EMAIL) was renewed; valid until Mar 1, 2027.' },
      {
        title: 'Certificate renewed',
        body: expect.stringMatching(/^WEB \(Acme \/ WEB\) was renewed; valid until (Mar 31|Apr 1), 2027\.$/),
      },
      {
        title: 'E-mail disclaimer updated',
        body: 'Mail from carol@mailco.test now ends with "Mailco legal v2" (set by Mailco).',
      },
      {
        title: 'E-mail disclaimer removed',
        body: 'Mailco no longer sets a disclaimer for carol@mailco.test; it was taken out of your signature.',
      },
    ]);
  });

  it('speaks the language chosen in Settings, else the OS language, and follows a change at once', () => {
    const core = createMemoryCore();
    const shown: Notice[] = [];
    const texts = new MainTexts(() => ['de-AT', 'en-US']); // no setting yet: the OS's first language the agent speaks
    notificationsFromEvents(core.onEvent, (n) => shown.push(n), 0, texts);
    const renewed = {
      provider: 'Acme',
      service: 'EMAIL',
      subject: 'CN=alice',
      sha256Fingerprint: 'CC',
      notAfter: '2027-03-01T12:00:00Z',
    };
    core.emit('certs:renewed', renewed);
    core.emit('agent:state', { ...state, unreadMessages: 1 });
    texts.apply('nl');
    core.emit('certs:renewed', renewed);
    core.emit('agent:state', { ...state, unreadMessages: 3 });
    texts.apply('system');
    core.emit('disclaimer:changed', { provider: 'Mailco', service: 'SMIME', email: 'carol@mailco.test' });
    expect(shown).toEqual([
      { title: 'Zertifikat erneuert', body: 'CN=alice (Acme / EMAIL) wurde erneuert; gültig bis 01.03.2027.' },
      { title: 'Neue Nachricht', body: '1 neue Nachricht von Ihrem Zertifikatsanbieter.' },
      { title: 'Certificaat vernieuwd', body: 'CN=alice (Acme / EMAIL) is vernieuwd; geldig tot 1 mrt 2027.' },
      { title: 'Nieuw bericht', body: '2 nieuwe berichten van uw certificaatprovider.' },
      {
        title: 'E-Mail-Disclaimer entfernt',
        body: 'Mailco legt für carol@mailco.test keinen Disclaimer mehr fest; er wurde aus Ihrer Signatur entfernt.',
      },
    ]);
  });

  it('announces a password inside the warning window once per expiry date, also one known at start', () => {
    const core = createMemoryCore();
    const shown: Notice[] = [];
    const soon = {
      provider: 'Acme',
      service: 'EMAIL',
      userId: 'alice',
      expiresAt: '2026-12-06T00:00:00Z',
      daysLeft: 3,
      warn: true,
    };
    notificationsFromEvents(core.onEvent, (n) => shown.push(n), 0, new MainTexts(() => ['en-US']), [soon]);
    core.emit('agent:state', { ...state, unreadMessages: 0, passwordExpiries: [soon] });
    const bob = { provider: 'Acme', service: 'VPN', expiresAt: '2026-12-04T00:00:00Z', daysLeft: 1, warn: true };
    core.emit('agent:state', { ...state, unreadMessages: 0, passwordExpiries: [soon, bob] });
    core.emit('agent:state', { ...state, unreadMessages: 0, passwordExpiries: [soon, bob] });
    expect(shown).toEqual([
      {
        title: 'Password expires soon',
        body: 'Your password for Acme / EMAIL (alice) expires in 3 days. Change it in the agent window.',
      },
      { title: 'Password expires soon', body: 'Your password for Acme / VPN expires in 1 day. Change it in the agent window.' },
    ]);
  });
});
