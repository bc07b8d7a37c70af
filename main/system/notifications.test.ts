import { describe, expect, it } from 'vitest';
import type { CodedText } from '../../app/model/core-text';
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
  it('says why a request failed in the user language from the core code, English for a code it does not know', () => {
    const failures: { code: string; message: string; text?: CodedText & { message?: string } }[] = [
      {
        code: 'network',
        message: 'ca.acme.test refused the connection.',
        text: { code: 'network.refused', params: { host: 'ca.acme.test' } },
      },
      {
        code: 'locked',
        message: 'Your account is locked on the KeyTalk server for another 5 minutes.',
        text: { code: 'auth.locked-for', params: { seconds: 300 } },
      },
      {
        code: 'bad-input',
        message: 'store nss cannot take a certificate: the disk is full.',
        text: {
          code: 'store.cannot-take',
          params: { store: 'nss', reason: { code: 'disk.full', message: 'The disk is full.' } },
        },
      },
      // A newer core's code and a sentence not coded yet: the core's English, never an empty notice.
      {
        code: 'server-error',
        message: 'Something new went wrong.',
        text: { code: 'future.thing', message: 'Something new went wrong.' },
      },
      { code: 'server-error', message: 'The server said no.' },
    ];
    const bodies = (language: 'nl' | 'de') => {
      const core = createMemoryCore();
      const shown: Notice[] = [];
      notificationsFromEvents(core.onEvent, (n) => shown.push(n), 0, new MainTexts(() => ['en-US'], language));
      failures.forEach(({ text, ...f }, i) =>
        core.emit('flow:done', {
          flowId: `f${i}`,
          outcome: { status: 'failed', ...f, ...(text ? { text: { message: f.message, ...text } } : {}) },
        }),
      );
      return shown;
    };
    const nl = bodies('nl');
    expect(nl.map((n) => n.title)).toEqual(Array(5).fill('Certificaataanvraag mislukt'));
    expect(nl.map((n) => n.body)).toEqual([
      'ca.acme.test weigerde de verbinding. Draait de server en klopt het adres in het providerbestand?',
      'Uw account is nog 5 minuten geblokkeerd op de KeyTalk-server. Probeer het later opnieuw of neem contact op met uw beheerder.',
      'De opslag nss kan geen certificaat opnemen: De schijf is vol. Maak ruimte vrij en probeer het opnieuw; er is niets half weggeschreven. Er is niets bij de server aangevraagd.',
      'Something new went wrong.',
      'The server said no.',
    ]);
    const de = bodies('de');
    expect(de.map((n) => n.title)).toEqual(Array(5).fill('Zertifikatsantrag fehlgeschlagen'));
    expect(de.map((n) => n.body)).toEqual([
      'ca.acme.test hat die Verbindung abgelehnt. Läuft der Server, und stimmt die Adresse in der Anbieterdatei?',
      'Ihr Konto ist auf dem KeyTalk-Server noch 5 Minuten gesperrt. Versuchen Sie es später erneut oder wenden Sie sich an Ihren Administrator.',
      'Der Speicher nss kann kein Zertifikat aufnehmen: Die Festplatte ist voll. Geben Sie Speicherplatz frei und versuchen Sie es erneut; es wurde nichts halb geschrieben. Beim Server wurde nichts angefordert.',
      'Something new went wrong.',
      'The server said no.',
    ]);
  });
});
