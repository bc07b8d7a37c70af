import type { KeytalkApi } from '../app/ipc/contract';
import { fromBridgeError } from '../app/ipc/error-text';
import { coreMessage } from './i18n/core-text';

declare global {
  interface Window {
    /** Set by the Electron preload, or by the browser bridge (bridge/ws-bridge.ts) outside Electron. */
    keytalk?: KeytalkApi;
  }
}

/** The one door to the core. Components get it through the store, never from `window` directly. */
export function windowApi(): KeytalkApi {
  if (!window.keytalk) throw new Error('window.keytalk is missing: the preload or the browser bridge did not load');
  return window.keytalk;
}

/**
 * A readable message for an error from the core, without the "[code]" transport prefix: in the user's language when
 * the core coded it (app/model/core-text.ts), else the core's English sentence.
 */
export function errorText(err: unknown): string {
  const e = fromBridgeError(err);
  return coreMessage(e.text, e.message);
}
