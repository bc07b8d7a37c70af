import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { EventChannel, EventOf } from '../../app/ipc/contract';
import { dispatch, type DispatchResult, type RequestHandlers } from '../../app/ipc/dispatcher';
import { IpcError } from '../../app/ipc/errors';
import { EVENT_TRANSPORT, INVOKE_TRANSPORT } from '../../app/ipc/transport';
import type { SenderFrame } from '../security/trusted-sender';

/**
 * The Electron side of the typed contract. Every request travels in one envelope ({channel, payload}) over
 * INVOKE_TRANSPORT and goes through the shared dispatcher, which validates it against app/ipc/contract.ts —
 * so adding a channel to the contract needs no change here, and an unknown channel, a malformed or oversize
 * payload comes back as a typed error instead of an exception in the main process.
 */
export interface BindIpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  handlers: RequestHandlers;
  /** Decides whether the frame that sent a message may talk to the core at all. */
  isTrustedSender: (frame: SenderFrame | null | undefined) => boolean;
  /** Told of every answered request with the window that made it (flow-owners.ts: which window started a flow). */
  onAnswered?: (sender: Pick<WebContents, 'id'> | undefined, channel: unknown, value: unknown) => void;
}

export function bindIpc(options: BindIpcOptions): () => void {
  const handle = async (
    event: Pick<IpcMainInvokeEvent, 'senderFrame'> & { sender?: Pick<WebContents, 'id'> },
    envelope: unknown,
  ): Promise<DispatchResult> => {
    if (!options.isTrustedSender(event.senderFrame)) {
      const url = event.senderFrame?.url ?? 'unknown frame';
      return { ok: false, error: new IpcError('forbidden-sender', `refused IPC from ${url.slice(0, 200)}`).toJSON() };
    }
    const env = (envelope ?? {}) as { channel?: unknown; payload?: unknown };
    const result = await dispatch(options.handlers, env.channel, env.payload);
    if (result.ok) options.onAnswered?.(event.sender, env.channel, result.value);
    return result;
  };
  options.ipcMain.handle(INVOKE_TRANSPORT, handle);
  return () => options.ipcMain.removeHandler(INVOKE_TRANSPORT);
}

export type CoreEventListener = <C extends EventChannel>(channel: C, payload: EventOf<C>) => void;

/**
 * Fan core events out to every live app window. `targets` is asked on each event so windows opened later
 * (popups) receive events too.
 */
export function fanOutEvents(
  subscribe: (listener: CoreEventListener) => () => void,
  targets: () => Iterable<Pick<WebContents, 'send' | 'isDestroyed'>>,
): () => void {
  return subscribe((channel, payload) => {
    for (const wc of targets()) {
      if (!wc.isDestroyed()) wc.send(EVENT_TRANSPORT, channel, payload);
    }
  });
}
