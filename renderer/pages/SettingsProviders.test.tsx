import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ProviderSummary } from '../../app/ipc/contract';
import { baseState, fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { SettingsPage } from './SettingsPage';

const lab: ProviderSummary = {
  name: 'Lab CA',
  kind: 'onlineca',
  server: 'https://lab.example.org/onlineca/',
  services: [{ name: 'onlineca' }],
};

describe('Settings → Providers', () => {
  it('removes an Online CA provider like a KeyTalk one and says so', async () => {
    let providers = [lab];
    const { api, calls } = fakeApi({
      'agent:get-state': () => ({ ...baseState, providers }),
      'providers:remove': () => {
        providers = [];
        return { ok: true };
      },
    });
    const { store } = renderWithStore(<SettingsPage />, api, 'settings');
    await act(() => store.getState().load());
    expect(screen.getByText('Lab CA')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Remove provider Lab CA' }));
    expect(calls.find((c) => c.channel === 'providers:remove')?.request).toEqual({ name: 'Lab CA' });
    expect(await screen.findByText('No providers imported.')).toBeTruthy();
    expect(store.getState().notice).toBe('Removed provider Lab CA');
  });
});
