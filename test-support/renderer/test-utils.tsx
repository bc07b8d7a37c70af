import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import type { EventChannel, EventOf, KeytalkApi, RequestChannel, RequestOf, ResponseOf } from '../../app/ipc/contract';
import { StoreProvider } from '../../renderer/state/context';
import { createAppStore, type Page, type PopupRequest } from '../../renderer/state/store';

// Testing Library's cleanup after each test is in setup.ts (the renderer project's setup file).

type Responder = { [C in RequestChannel]?: (req: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>> };

export const baseState: ResponseOf<'agent:get-state'> = {
  status: 'idle',
  version: '9.9.9',
  home: '/home/test/.config/keytalk-agent',
  providers: [],
  unreadMessages: 0,
};
export const baseSettings: ResponseOf<'settings:get'> = { autostart: false, stores: ['file'], logLevel: 'info', theme: 'system' };

/**
 * A KeytalkApi for component tests: answers from `responders` (defaults for the initial load), records
 * every call, and lets the test push core events with `emit`.
 */
export function fakeApi(responders: Responder = {}) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: Array<{ channel: RequestChannel; request: unknown }> = [];
  const defaults: Responder = {
    'agent:get-state': () => baseState,
    'settings:get': () => baseSettings,
    'certs:list': () => [],
    'messages:list': () => [],
    'approvals:list': () => [],
    'popup:current': () => ({}),
    'flow:current': () => ({}),
    'disclaimers:list': () => [],
    'stores:list': () => [],
    'mfa:accounts': () => [],
    'scanner:report': () => ({
      local: { scanningEnabled: true, folders: [], nssDbs: [], includeExpired: false, sendPrivateKeys: false },
      targets: [],
      lastScans: [],
    }),
    'app:about': () => ({ agent: '9.9.9', node: '20.0.0', rcdpVersions: ['2.8.3'], license: 'Apache-2.0' }),
  };
  const api: KeytalkApi = {
    invoke: vi.fn(async (channel: RequestChannel, request: unknown) => {
      calls.push({ channel, request });
      const fn = (responders[channel] ?? defaults[channel]) as ((r: unknown) => unknown) | undefined;
      if (!fn) throw new Error(`[handler-failed] no fake for ${channel}`);
      return (await fn(request)) as never;
    }) as KeytalkApi['invoke'],
    on: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener as (p: unknown) => void);
      return () => void set.delete(listener as (p: unknown) => void);
    },
  };
  const emit = <C extends EventChannel>(channel: C, payload: EventOf<C>) => {
    for (const fn of listeners.get(channel) ?? []) fn(payload);
  };
  return { api, calls, emit };
}

export function renderWithStore(ui: ReactElement, api: KeytalkApi, page?: Page, popupKind?: PopupRequest['popup']) {
  const store = createAppStore(api, page, popupKind);
  return { store, ...render(<StoreProvider store={store}>{ui}</StoreProvider>) };
}
