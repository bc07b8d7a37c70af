import { IpcError, reviveIpcError } from './errors';

/**
 * Errors lose their own properties when they cross Electron's contextBridge (only the message survives),
 * so the bridges put the typed code into the message as "[code] message" and the UI reads it back here.
 */
export function toBridgeError(error: { code: string; message: string }): Error {
  const typed = reviveIpcError(error);
  const err = new Error(`[${typed.code}] ${typed.message}`);
  err.name = 'IpcError';
  return err;
}

export function fromBridgeError(err: unknown): IpcError {
  if (err instanceof IpcError) return err;
  const text = err instanceof Error ? err.message : String(err);
  const match = /^(?:Error invoking remote method '[^']*': )?(?:\w*Error: )?\[([a-z-]+)\] ([\s\S]*)$/.exec(text);
  return match
    ? reviveIpcError({ code: match[1], message: match[2] })
    : reviveIpcError({ code: 'handler-failed', message: text });
}
