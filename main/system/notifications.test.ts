import { describe, expect, it } from 'vitest';
import { createMemoryCore } from '../../app/ipc/memory-core';
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
});
