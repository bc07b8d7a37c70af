import type { EventChannel, EventOf, RequestChannel, RequestOf, ResponseOf } from './contract';
import { textOf } from '../model/core-text';
import { IpcError, type IpcErrorJson } from './errors';
import { validateRequest } from './validate';

/** The core implements one handler per request channel; TypeScript checks the table is complete. */
export type RequestHandlers = {
  [C in RequestChannel]: (request: RequestOf<C>) => Promise<ResponseOf<C>>;
};

/** Where the core publishes events; each binding (Electron, browser host) fans them out to its windows. */
export interface EventSink {
  emit<C extends EventChannel>(channel: C, payload: EventOf<C>): void;
}

export type DispatchResult = { ok: true; value: unknown } | { ok: false; error: IpcErrorJson };

/**
 * Validate and run one request. Never throws: bindings send the result as-is over their transport,
 * so a bad message from a renderer yields a typed error instead of crashing the main process.
 */
export async function dispatch(
  handlers: RequestHandlers,
  channel: unknown,
  payload: unknown,
  serializedBytes?: number,
): Promise<DispatchResult> {
  try {
    const valid = validateRequest(channel, payload, serializedBytes);
    const handler = handlers[valid.channel] as (req: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(valid.payload) };
  } catch (err) {
    if (err instanceof IpcError) return { ok: false, error: err.toJSON() };
    const message = err instanceof Error ? err.message : String(err);
    // A coded core error (app/model/core-text.ts) keeps its code, so the UI can say it in the user's language.
    const text = textOf(err);
    return { ok: false, error: { code: 'handler-failed', message, ...(text ? { text } : {}) } };
  }
}
