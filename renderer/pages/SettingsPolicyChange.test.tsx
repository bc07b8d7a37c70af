import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../app/ipc/contract';
import { baseSettings, baseState, fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { SettingsPage } from './SettingsPage';

/**
 * Issue 20: the policy changed while the window is open. The core publishes a state with a new policyRevision;
 * the window re-reads its settings, and the newly locked setting shows as managed without a restart.
 */
describe('Settings page follows a policy change', () => {
  it('re-reads settings when the policy revision changes, and only then', async () => {
    let settings: Settings = baseSettings;
    const { api, calls, emit } = fakeApi({ 'settings:get': () => settings });
    const { store } = renderWithStore(<SettingsPage />, api, 'settings');
    await act(() => store.getState().load());
    await screen.findByLabelText('Log level');
    expect(screen.queryByTestId('managed')).toBeNull();
    const reads = () => calls.filter((c) => c.channel === 'settings:get').length;

    act(() => emit('agent:state', { ...baseState, policyRevision: 'a' }));
    settings = { ...baseSettings, logLevel: 'debug', locked: { logLevel: 'lockedLogLevel' } };
    const before = reads();
    act(() => emit('agent:state', { ...baseState, policyRevision: 'b' }));
    await waitFor(() => expect((screen.getByLabelText('Log level') as HTMLSelectElement).disabled).toBe(true));
    expect(screen.getByTestId('managed').textContent).toBe('Managed by your organisation');
    expect(reads()).toBe(before + 1);

    act(() => emit('agent:state', { ...baseState, policyRevision: 'b', unreadMessages: 3 }));
    expect(reads()).toBe(before + 1);
  });
});
