import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventChannels, requestChannels, type EventChannel, type KeytalkApi } from '../app/ipc/contract';
import { toBridgeError } from '../app/ipc/error-text';
import type { DispatchResult } from '../app/ipc/dispatcher';
import { EVENT_TRANSPORT, INVOKE_TRANSPORT } from '../app/ipc/transport';

/**
 * The only thing the sandboxed renderer gets: `window.keytalk`, the typed contract API. No ipcRenderer,
 * no Node, no generic send — channels outside the contract are refused here already and again in main
 * (which also validates every payload).
 */
const knownRequests = new Set<string>(requestChannels);
const knownEvents = new Set<string>(eventChannels);

const api: KeytalkApi = {
  async invoke(channel, request) {
    if (!knownRequests.has(channel))
      throw toBridgeError({ code: 'unknown-channel', message: `unknown channel ${String(channel)}` });
    const result = (await ipcRenderer.invoke(INVOKE_TRANSPORT, { channel, payload: request })) as DispatchResult;
    if (!result.ok) throw toBridgeError(result.error);
    return result.value as never;
  },
  on(channel, listener) {
    if (!knownEvents.has(channel)) throw toBridgeError({ code: 'unknown-channel', message: `unknown event ${String(channel)}` });
    const wrapped = (_event: IpcRendererEvent, name: EventChannel, payload: unknown) => {
      if (name === channel) listener(payload as never);
    };
    ipcRenderer.on(EVENT_TRANSPORT, wrapped);
    return () => void ipcRenderer.removeListener(EVENT_TRANSPORT, wrapped);
  },
};

contextBridge.exposeInMainWorld('keytalk', api);
