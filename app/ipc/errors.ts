/** Typed errors of the IPC layer. They cross the bridge as {code, message}, never as stack traces. */
export type IpcErrorCode = 'unknown-channel' | 'invalid-payload' | 'payload-too-large' | 'forbidden-sender' | 'handler-failed';

export class IpcError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IpcError';
  }
  toJSON(): { code: IpcErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Turn an IpcError-shaped object received over a bridge back into an IpcError. */
export function reviveIpcError(value: unknown): IpcError {
  const v = value as { code?: unknown; message?: unknown } | null;
  const codes: IpcErrorCode[] = ['unknown-channel', 'invalid-payload', 'payload-too-large', 'forbidden-sender', 'handler-failed'];
  const code = codes.includes(v?.code as IpcErrorCode) ? (v!.code as IpcErrorCode) : 'handler-failed';
  return new IpcError(code, typeof v?.message === 'string' ? v.message : 'request failed');
}
