import type { EventChannel, KeytalkApi } from '../../app/ipc/contract';
import { toBridgeError } from '../../app/ipc/error-text';
import type { BridgeMessage, BridgeRequest } from '../../app/ipc/transport';
import { strings } from '../strings';

/** Matches browser-host/host.ts BRIDGE_PATH (kept as a literal so the renderer does not bundle Node code). */
const BRIDGE_PATH = '/bridge';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

/**
 * `window.keytalk` outside Electron: the same KeytalkApi over the browser host's WebSocket. The token
 * comes from the page URL's fragment (the host prints it); requests made before the socket opens wait
 * for it, and a lost connection fails every pending request instead of leaving it hanging.
 */
export function createWsBridge(loc: Pick<Location, 'host' | 'hash' | 'protocol'> = window.location): KeytalkApi {
  const token = new URLSearchParams(loc.hash.replace(/^#/, '')).get('token') ?? '';
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${scheme}://${loc.host}${BRIDGE_PATH}?token=${encodeURIComponent(token)}`);
  const opened = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener(
      'close',
      () => reject(new Error(`[handler-failed] ${token ? strings.bridge.refused : strings.bridge.noToken}`)),
      {
        once: true,
      },
    );
  });
  opened.catch(() => undefined);
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;

  ws.addEventListener('message', (e: MessageEvent<string>) => {
    const msg = JSON.parse(e.data) as BridgeMessage;
    if (msg.type === 'event') {
      for (const fn of listeners.get(msg.channel) ?? []) fn(msg.payload);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(toBridgeError(msg.error));
  });
  ws.addEventListener('close', () => {
    for (const p of pending.values()) p.reject(toBridgeError({ code: 'handler-failed', message: strings.bridge.lost }));
    pending.clear();
  });

  return {
    async invoke(channel, request) {
      await opened;
      const id = nextId++;
      const message: BridgeRequest = { id, channel, payload: request };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify(message));
      });
    },
    on(channel: EventChannel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      const fn = listener as (payload: unknown) => void;
      set.add(fn);
      return () => void set.delete(fn);
    },
  };
}
