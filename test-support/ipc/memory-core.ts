import { EventEmitter } from 'node:events';
import type { AgentState, EventChannel, EventOf, Settings } from '../../app/ipc/contract';
import type { RequestHandlers } from '../../app/ipc/dispatcher';
import type { MfaAccountGroup } from '../../app/ipc/mfa-contract';
import type { ScannerUserSettings } from '../../app/ipc/scanner-contract';

/**
 * A complete, in-memory implementation of the request handlers for testing the transports (Electron IPC,
 * browser host) on their own, independent of the engine's progress. Not for the product: the real core is
 * createAgent() in app/agent/index.ts, which e2e tests use.
 */
export function createMemoryCore(home = '/memory-home') {
  const emitter = new EventEmitter();
  let settings: Settings = { autostart: false, stores: ['file'], logLevel: 'info', theme: 'system' };
  let scanner: ScannerUserSettings = {
    scanningEnabled: true,
    folders: [],
    nssDbs: [],
    includeExpired: false,
    sendPrivateKeys: false,
  };
  let mfaAccounts: MfaAccountGroup[] = []; // no MFA sign-in until a test puts one in (setMfaAccounts)
  const state = (): AgentState => ({ status: 'idle', version: '0.0.0-test', home, providers: [], unreadMessages: 0 });
  const emit = <C extends EventChannel>(channel: C, payload: EventOf<C>) => emitter.emit('event', channel, payload);
  const fail = async (): Promise<never> => {
    throw new Error('not available in the memory core');
  };
  const handlers: RequestHandlers = {
    'agent:get-state': async () => state(),
    'providers:import-rccd': fail,
    'providers:remove': fail,
    'providers:add-onlineca': fail,
    'enroll:start': fail,
    'flow:answer': fail,
    'flow:cancel': fail,
    'password:change': fail,
    'certs:list': async () => [],
    'certs:renew': fail,
    'certs:remove': fail,
    'messages:list': async () => [],
    'messages:mark-read': async () => ({ ok: true }),
    'certs:export': fail,
    'approvals:list': async () => [],
    'approvals:check': async () => [],
    'disclaimers:list': async () => [],
    'disclaimers:check': async () => [],
    'smime:availability': async () => ({
      available: false,
      problem: 'bad-input' as const,
      explanation: 'the memory core has no certificates; enroll for your S/MIME service first',
    }),
    'smime:invite': fail,
    'app:about': async () => ({ agent: '0.0.0-test', node: process.versions.node, rcdpVersions: [], license: 'test' }),
    'stores:list': async () => [
      { id: 'file', name: 'Agent file store', location: `${home}/certs`, usedBy: [], available: true, enabled: true },
    ],
    'logs:open-folder': async () => ({ path: `${home}/logs`, opened: false }),
    'popup:current': async () => ({}),
    'flow:current': async () => ({}),
    'settings:get': async () => settings,
    'settings:set': async (patch) => {
      settings = { ...settings, ...patch } as Settings;
      emit('agent:state', state());
      return settings;
    },
    'scanner:report': async () => ({ local: scanner, targets: [], lastScans: [] }),
    'scanner:settings-set': async (patch) => {
      // Same rule as the core, POSIX or Windows style (the memory core has no platform of its own).
      const bad = [...(patch.folders ?? []), ...(patch.nssDbs ?? [])].find((p) => !/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p));
      if (bad) throw new Error(`"${bad}" is not an absolute path; give the full path`);
      scanner = { ...scanner, ...patch };
      return scanner;
    },
    'scanner:scan-now': fail,
    'mfa:accounts': async () => mfaAccounts,
    'mfa:sign-out': async ({ authority, clientId, username }) => {
      const group = mfaAccounts.find((g) => g.authority === authority && g.clientId === clientId);
      if (!group?.accounts.some((a) => a.username === username))
        throw new Error(`There is no saved sign-in for ${username} at ${authority}.`);
      group.accounts = group.accounts.filter((a) => a.username !== username);
      mfaAccounts = mfaAccounts.filter((g) => g.accounts.length);
      return { ok: true };
    },
    'doctor:run': fail,
    'diagnostics:bundle': fail,
  };
  return {
    home,
    handlers,
    emit,
    /** Saved MFA sign-ins the memory core reports (mfa:accounts) and signs out of. */
    setMfaAccounts(groups: MfaAccountGroup[]) {
      mfaAccounts = groups;
    },
    onEvent(listener: <C extends EventChannel>(channel: C, payload: EventOf<C>) => void): () => void {
      emitter.on('event', listener);
      return () => void emitter.off('event', listener);
    },
    async start() {},
    async stop() {},
  };
}
