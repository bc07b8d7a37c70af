import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { EventChannel, EventOf, Settings } from '../ipc/contract';
import type { EventSink, RequestHandlers } from '../ipc/dispatcher';
import { homeLayout, resolveHome } from '../config/home';
import { readJsonFile, writeJsonAtomic } from '../system/atomic-write';
import { MemorySecretStore, type SecretStore } from '../system/secret-store';

/**
 * The agent core: one object per process that owns the engine, stores and scheduler and implements the
 * IPC contract's request handlers. Electron's main process and the browser host both create one and bind
 * it to their transport; the CLI uses the same pieces directly.
 *
 * OWNERSHIP NOTE (development): the engine work fills in the enrollment/provider/certificate handlers.
 */
export interface AgentOptions {
  home?: string;
  secretStore?: SecretStore;
  version?: string;
}

export interface AgentCore {
  readonly home: string;
  readonly handlers: RequestHandlers;
  /** Subscribe to core events (bindings forward them to windows). */
  onEvent(listener: <C extends EventChannel>(channel: C, payload: EventOf<C>) => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const defaultSettings: Settings = { autostart: false, stores: ['file'], logLevel: 'info', theme: 'system' };

export function createAgent(options: AgentOptions = {}): AgentCore {
  const home = resolveHome(options.home);
  const layout = homeLayout(home);
  const emitter = new EventEmitter();
  const sink: EventSink = { emit: (channel, payload) => emitter.emit('event', channel, payload) };
  const settingsFile = path.join(layout.state, 'settings.json');
  void (options.secretStore ?? new MemorySecretStore());
  const version = options.version ?? '0.1.0';

  const notReady = async (): Promise<never> => {
    throw new Error('enrollment engine not wired yet');
  };

  const handlers: RequestHandlers = {
    'agent:get-state': async () => ({ status: 'idle', version, home, providers: [], unreadMessages: 0 }),
    'providers:import-rccd': notReady,
    'providers:remove': notReady,
    'enroll:start': notReady,
    'flow:answer': notReady,
    'flow:cancel': notReady,
    'certs:list': async () => [],
    'certs:renew': notReady,
    'certs:remove': notReady,
    'messages:list': async () => [],
    'messages:mark-read': async () => ({ ok: true }),
    'settings:get': async () => ({ ...defaultSettings, ...(await readJsonFile<Partial<Settings>>(settingsFile, {})) }),
    'settings:set': async (patch) => {
      const next = { ...defaultSettings, ...(await readJsonFile<Partial<Settings>>(settingsFile, {})), ...patch } as Settings;
      await writeJsonAtomic(settingsFile, next);
      sink.emit('agent:state', await handlers['agent:get-state']({}));
      return next;
    },
  };

  return {
    home,
    handlers,
    onEvent(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    async start() {},
    async stop() {},
  };
}
