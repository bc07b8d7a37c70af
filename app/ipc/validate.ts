import { MAX_MESSAGE_BYTES, requests, type RequestChannel } from './contract';
import { IpcError } from './errors';

/**
 * Validate one incoming request. Shared by Electron's ipcMain binding and the browser host, so both reject
 * exactly the same things: unknown channels, oversize payloads and payloads that do not match the schema.
 */
export function validateRequest(
  channel: unknown,
  payload: unknown,
  serializedBytes?: number,
): { channel: RequestChannel; payload: unknown } {
  if (typeof channel !== 'string' || !Object.prototype.hasOwnProperty.call(requests, channel)) {
    throw new IpcError('unknown-channel', `unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`);
  }
  const size = serializedBytes ?? Buffer.byteLength(JSON.stringify(payload ?? null));
  if (size > MAX_MESSAGE_BYTES) {
    throw new IpcError('payload-too-large', `payload of ${size} bytes exceeds ${MAX_MESSAGE_BYTES}`);
  }
  const schema = requests[channel as RequestChannel].request;
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? first.path.join('.') : 'payload';
    throw new IpcError('invalid-payload', `${channel}: ${where}: ${first?.message ?? 'invalid'}`);
  }
  return { channel: channel as RequestChannel, payload: parsed.data };
}
