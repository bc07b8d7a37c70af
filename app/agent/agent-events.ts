import { EventEmitter } from 'node:events';
import type { EventChannel, EventOf } from '../ipc/contract';
import type { EventSink } from '../ipc/dispatcher';

type Popup = EventOf<'popup:open'>;

/** The core's event hub: what it publishes, who listens, and the popup a window has yet to show. */
export interface AgentEvents {
  readonly sink: EventSink;
  onEvent(listener: <C extends EventChannel>(channel: C, payload: EventOf<C>) => void): () => void;
  /** The last `popup:open` request (`popup:current`). */
  currentPopup(): Popup | undefined;
  /** Forget the current popup when it is about this certificate (the user acted on it another way). */
  dismissPopupFor(sha256Fingerprint: string): void;
}

export function agentEvents(): AgentEvents {
  const emitter = new EventEmitter();
  // The last popup request is kept: Electron opens a window for it, and that window loads after the event.
  let popup: Popup | undefined;
  return {
    sink: {
      emit: (channel, payload) => {
        if (channel === 'popup:open') popup = payload as Popup;
        emitter.emit('event', channel, payload);
      },
    },
    onEvent(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    currentPopup: () => popup,
    dismissPopupFor(sha256Fingerprint) {
      const fp = popup?.data.sha256Fingerprint;
      if (typeof fp === 'string' && fp.toUpperCase() === sha256Fingerprint.toUpperCase()) popup = undefined;
    },
  };
}
