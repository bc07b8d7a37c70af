import type { CoreText } from '../model/core-text';

/** Typed errors of the IPC layer. They cross the bridge as {code, message, text?}, never as stack traces. */
export type IpcErrorCode = 'unknown-channel' | 'invalid-payload' | 'payload-too-large' | 'forbidden-sender' | 'handler-failed';

/** What an error looks like on the wire: `text` is the core's coded sentence when it has one (app/model/core-text.ts). */
export interface IpcErrorJson {
  code: IpcErrorCode;
  message: string;
  text?: CoreText;
}

export class IpcError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
    /** The core's coded sentence, for the UI to say in the user's language (absent: only the English message). */
    readonly text?: CoreText,
  ) {
    super(message);
    this.name = 'IpcError';
  }
  toJSON(): IpcErrorJson {
    return { code: this.code, message: this.message, ...(this.text ? { text: this.text } : {}) };
  }
}

/** A coded text received over a bridge, if it has the shape (the UI falls back to the message otherwise). */
function reviveText(value: unknown, message: string): CoreText | undefined {
  const t = value as { code?: unknown; params?: unknown } | null | undefined;
  if (typeof t?.code !== 'string') return undefined;
  const params = t.params && typeof t.params === 'object' ? (t.params as CoreText['params']) : undefined;
  return { code: t.code, ...(params ? { params } : {}), message };
}

/** Turn an IpcError-shaped object received over a bridge back into an IpcError. */
export function reviveIpcError(value: unknown): IpcError {
  const v = value as { code?: unknown; message?: unknown; text?: unknown } | null;
  const codes: IpcErrorCode[] = ['unknown-channel', 'invalid-payload', 'payload-too-large', 'forbidden-sender', 'handler-failed'];
  const code = codes.includes(v?.code as IpcErrorCode) ? (v!.code as IpcErrorCode) : 'handler-failed';
  const message = typeof v?.message === 'string' ? v.message : 'request failed';
  return new IpcError(code, message, reviveText(v?.text, message));
}
