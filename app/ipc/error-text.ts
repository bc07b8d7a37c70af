import { IpcError, reviveIpcError, type IpcErrorJson } from './errors';

/**
 * Errors lose their own properties when they cross Electron's contextBridge (only the message survives),
 * so the bridges put the typed code into the message as "[code] message" and the UI reads it back here. A coded
 * core sentence (app/model/core-text.ts) rides along in the brackets as URI-encoded JSON — "[handler-failed
 * {…}] message" — so the UI can say it in the user's language; the message after it stays the English one.
 */
export function toBridgeError(error: Pick<IpcErrorJson, 'message'> & { code: string; text?: IpcErrorJson['text'] }): Error {
  const typed = reviveIpcError(error);
  const text = typed.text ? ` ${encodeURIComponent(JSON.stringify({ code: typed.text.code, params: typed.text.params }))}` : '';
  const err = new Error(`[${typed.code}${text}] ${typed.message}`);
  err.name = 'IpcError';
  return err;
}

export function fromBridgeError(err: unknown): IpcError {
  if (err instanceof IpcError) return err;
  const text = err instanceof Error ? err.message : String(err);
  const match = /^(?:Error invoking remote method '[^']*': )?(?:\w*Error: )?\[([a-z-]+)(?: ([^\s\]]+))?\] ([\s\S]*)$/.exec(text);
  if (!match) return reviveIpcError({ code: 'handler-failed', message: text });
  let coded: unknown;
  try {
    coded = match[2] ? JSON.parse(decodeURIComponent(match[2])) : undefined;
  } catch {
    coded = undefined; // a garbled code costs only the translation: the English message is still shown
  }
  return reviveIpcError({ code: match[1], message: match[3], text: coded });
}
