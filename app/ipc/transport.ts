import type { IpcErrorJson } from './errors';

/**
 * Transport-level names shared by the Electron bindings (main/ipc/bind-ipc.ts, preload/index.ts) and the
 * browser host's WebSocket bridge. Every contract channel travels inside these envelopes, so the contract's
 * channel names stay written once (app/ipc/contract.ts) and an unknown channel reaches the validator as data
 * (and is refused there with a typed error) instead of silently never being handled.
 */
export const INVOKE_TRANSPORT = 'keytalk:invoke';
export const EVENT_TRANSPORT = 'keytalk:event';

/** Renderer → host over WebSocket. */
export interface BridgeRequest {
  id: number;
  channel: string;
  payload: unknown;
}

/** Host → renderer over WebSocket: either the answer to one request or a pushed core event. */
export type BridgeMessage =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: IpcErrorJson }
  | { type: 'event'; channel: string; payload: unknown };
