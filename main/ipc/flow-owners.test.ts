import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryCore } from '../../test-support/ipc/memory-core';
import type { SenderFrame } from '../security/trusted-sender';
import { bindIpc } from './bind-ipc';
import { flowOwners, type OwnerContents } from './flow-owners';

/**
 * Electron cannot run here: a WebContents is an EventEmitter with an id, emitting what Electron 41 emits —
 * 'did-start-navigation' with a details object ({ isSameDocument, isMainFrame }) and 'destroyed'.
 */
function fakeContents(id: number) {
  const ee = new EventEmitter();
  // Cast: the fake has only what flowOwners uses (id, on), not WebContents' hundred other members.
  return Object.assign(ee, { id }) as EventEmitter & { id: number } & OwnerContents;
}

function setup() {
  const core = createMemoryCore();
  let next = 0;
  const cancel = vi.fn(async (_req: { flowId: string }) => ({ ok: true as const }));
  const handlers = {
    ...core.handlers,
    'enroll:start': async () => ({ flowId: `flow-${++next}` }),
    'certs:renew': async () => ({ flowId: `flow-${++next}` }),
    'flow:cancel': cancel,
  };
  const owners = flowOwners(handlers['flow:cancel']);
  let invoke: ((event: unknown, envelope: unknown) => Promise<unknown>) | undefined;
  bindIpc({
    ipcMain: { handle: (_ch: string, fn: typeof invoke) => void (invoke = fn), removeHandler: () => undefined } as never,
    handlers,
    isTrustedSender: () => true,
    onAnswered: owners.answered,
  });
  const frame: SenderFrame = { url: 'app://keytalk/index.html', parent: null };
  const call = (sender: { id: number }, channel: string, payload: unknown) =>
    invoke!({ senderFrame: frame, sender }, { channel, payload });
  return { owners, cancel, call };
}

describe('flowOwners: a reloaded Electron window cancels the flows it started (issue 19)', () => {
  it('cancels exactly the reloading window’s flows, not another window’s', async () => {
    const { owners, cancel, call } = setup();
    const main = fakeContents(1);
    const popup = fakeContents(2);
    owners.watch(main);
    owners.watch(popup);
    await call(main, 'enroll:start', { provider: 'p', service: 's' }); // flow-1
    await call(popup, 'certs:renew', { sha256Fingerprint: 'AB' }); // flow-2
    await call(main, 'agent:get-state', {}); // not a flow: nothing owned
    expect(owners.owned(1)).toEqual(['flow-1']);

    main.emit('did-start-navigation', { isSameDocument: false, isMainFrame: true, url: 'app://keytalk/index.html' });
    await Promise.resolve();
    expect(cancel.mock.calls).toEqual([[{ flowId: 'flow-1' }]]);
    expect(owners.owned(1)).toEqual([]);
    expect(owners.owned(2)).toEqual(['flow-2']);

    // A second reload has nothing left to cancel.
    main.emit('did-start-navigation', { isSameDocument: false, isMainFrame: true });
    expect(cancel).toHaveBeenCalledTimes(1);
  });

  it('keeps the flow on a same-document (#page=) navigation, a subframe navigation, and after it ended', async () => {
    const { owners, cancel, call } = setup();
    const main = fakeContents(7);
    owners.watch(main);
    owners.watch(main); // watched once: one reload is one cancel
    await call(main, 'enroll:start', { provider: 'p', service: 's' }); // flow-1
    main.emit('did-start-navigation', { isSameDocument: true, isMainFrame: true });
    main.emit('did-start-navigation', { isSameDocument: false, isMainFrame: false });
    expect(cancel).not.toHaveBeenCalled();

    await call(main, 'enroll:start', { provider: 'p', service: 's' }); // flow-2
    owners.ended('flow-1'); // flow:done
    main.emit('did-start-navigation', { isSameDocument: false, isMainFrame: true });
    expect(cancel.mock.calls).toEqual([[{ flowId: 'flow-2' }]]);
  });

  it('a refused request owns nothing; a closed window is left to the core’s window count', async () => {
    const { owners, cancel, call } = setup();
    const main = fakeContents(3);
    owners.watch(main);
    await call(main, 'enroll:start', { provider: '' }); // invalid payload: no flow
    expect(owners.owned(3)).toEqual([]);
    await call(main, 'enroll:start', { provider: 'p', service: 's' });
    main.emit('destroyed');
    expect(cancel).not.toHaveBeenCalled();
    expect(owners.owned(3)).toEqual([]);
  });
});
