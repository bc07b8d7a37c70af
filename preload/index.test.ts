import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { KeytalkApi } from '../app/ipc/contract';
import { fromBridgeError } from '../app/ipc/error-text';
import { EVENT_TRANSPORT, INVOKE_TRANSPORT } from '../app/ipc/transport';

// Electron is stubbed at its boundary: the preload only sees contextBridge and ipcRenderer.
const exposed: Record<string, unknown> = {};
const listeners: Array<(...args: unknown[]) => void> = [];
const invoke = vi.fn();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => void (exposed[key] = value) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => invoke(...args),
    on: (_channel: string, fn: (...args: unknown[]) => void) => void listeners.push(fn),
    removeListener: (_channel: string, fn: (...args: unknown[]) => void) => void listeners.splice(listeners.indexOf(fn), 1),
  },
}));

let api: KeytalkApi;
beforeAll(async () => {
  await import('./index');
  api = exposed.keytalk as KeytalkApi;
});

describe('preload', () => {
  it('exposes only window.keytalk with invoke and on', () => {
    expect(Object.keys(exposed)).toEqual(['keytalk']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
  });

  it('sends contract requests in the invoke envelope and returns the value', async () => {
    invoke.mockResolvedValueOnce({ ok: true, value: { autostart: true } });
    await expect(api.invoke('settings:get', {})).resolves.toEqual({ autostart: true });
    expect(invoke).toHaveBeenCalledWith(INVOKE_TRANSPORT, { channel: 'settings:get', payload: {} });
  });

  it('turns a typed error from main into an error whose code survives the context bridge', async () => {
    invoke.mockResolvedValueOnce({ ok: false, error: { code: 'invalid-payload', message: 'settings:set: logLevel: bad' } });
    const err = await api.invoke('settings:set', {}).catch((e: unknown) => e);
    expect(fromBridgeError(err).code).toBe('invalid-payload');
  });

  it('refuses a channel outside the contract without calling main', async () => {
    invoke.mockClear();
    const err = await api.invoke('shell:exec' as never, {} as never).catch((e: unknown) => e);
    expect(fromBridgeError(err).code).toBe('unknown-channel');
    expect(invoke).not.toHaveBeenCalled();
  });

  it('delivers only the subscribed event and unsubscribes', () => {
    const got: unknown[] = [];
    const off = api.on('flow:progress', (p) => got.push(p));
    for (const fn of listeners) fn({}, 'agent:state', { status: 'idle' });
    for (const fn of listeners) fn({}, 'flow:progress', { flowId: 'f1' });
    expect(got).toEqual([{ flowId: 'f1' }]);
    off();
    expect(listeners).toHaveLength(0);
    expect(EVENT_TRANSPORT).toBe('keytalk:event');
  });
});
