import type { StepDetail } from '../model/flow-types';
import type { Logger } from '../log/logger';
import { RcdpClient } from '../rcdp/client';
import type { EngineDeps, ProviderConnection } from './enroll-deps';
import { FlowFailure } from './front-end';

/**
 * The RCDP client for one provider with the engine's settings: the provider's TLS agent and its explanation of TLS
 * failures, this agent's caller-app-description, the flow's signal, and deps.rcdp last so tests can pin versions,
 * retries and timeouts. One definition, so every session (flows, silent sessions) talks to a server the same way.
 */
export function rcdpClientFor(
  provider: ProviderConnection,
  deps: Pick<EngineDeps, 'appVersion' | 'rcdp'>,
  signal?: AbortSignal,
  log?: Logger,
): RcdpClient {
  return new RcdpClient({
    server: provider.server,
    agent: provider.agent,
    explainTlsError: provider.explainTlsError,
    callerAppDescription: `KeyTalk Agent ${deps.appVersion ?? ''}`.trim(),
    signal,
    ...(log ? { onRetry: (e) => log.warn('retrying', e) } : {}),
    ...deps.rcdp,
  });
}

export interface RcdpSession {
  provider: ProviderConnection;
  client: RcdpClient;
  /** The negotiated RCDP version. */
  version: string;
}

/**
 * The start every interactive RCDP flow shares (enrollment, password change): open the provider (an unknown one is
 * bad input, not an internal error), check that it has the service before anything is sent, then hello/handshake.
 * `beforeConnect` runs local checks that must pass before the server is asked (an enrollment's store preflight).
 * The caller owns the returned session and ends it with `client.eoc()`; when the handshake fails after hello agreed
 * a version (e.g. 1003, clocks apart) the goodbye is sent here, since the caller never gets the client.
 */
export async function openRcdpSession(
  deps: EngineDeps,
  target: { provider: string; service: string },
  options: {
    signal?: AbortSignal;
    step: (step: string, detail?: StepDetail) => void;
    /** Retries are logged as warnings here. */
    log?: Logger;
    beforeConnect?: (provider: ProviderConnection) => Promise<unknown>;
  },
): Promise<RcdpSession> {
  const provider = await deps.openProvider(target.provider).catch((err: Error) => {
    throw err.name === 'ProviderNotFoundError' ? new FlowFailure('bad-input', err.message) : err;
  });
  if (!provider.services.some((s) => s.name === target.service)) {
    throw new FlowFailure(
      'bad-input',
      `provider ${target.provider} has no service ${JSON.stringify(target.service)}; its services are: ${provider.services.map((s) => s.name).join(', ') || '(none)'}`,
    );
  }
  await options.beforeConnect?.(provider);
  const client = rcdpClientFor(provider, deps, options.signal, options.log);
  options.step('hello', provider.server);
  try {
    return { provider, client, version: await client.connect() };
  } catch (err) {
    await client.eoc();
    throw err;
  }
}
