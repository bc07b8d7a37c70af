import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { baseSettings, fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { SettingsPage } from './SettingsPage';

/** Issue 20: a setting the organisation's policy locks is shown as managed, with its control disabled. */
describe('SettingsPage under a policy', () => {
  it('locked autostart, log level and stores are disabled and say "Managed by your organisation"', async () => {
    const { api } = fakeApi({
      'settings:get': () => ({
        ...baseSettings,
        stores: ['nss'],
        locked: { autostart: 'lockedAutostart', logLevel: 'lockedLogLevel', stores: 'lockedStores' },
      }),
      'stores:list': () => [
        // The core's English name; the window names a store by its id (renderer/shell/store-names.ts).
        { id: 'file', name: 'Agent file store', location: '/h/certs', usedBy: [], available: true, enabled: false },
        { id: 'nss', name: 'Shared NSS database', location: '/h/.pki/nssdb', usedBy: [], available: true, enabled: true },
      ],
    });
    const { store } = renderWithStore(<SettingsPage />, api, 'settings');
    await act(() => store.getState().load());
    await screen.findByLabelText('Certificate files (PEM and PKCS#12)');
    expect(screen.getAllByTestId('managed').map((e) => e.textContent)).toEqual([
      'Managed by your organisation',
      'Managed by your organisation',
      'Managed by your organisation',
    ]);
    expect((screen.getByLabelText('Start KeyTalk Agent when I sign in') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByLabelText('Log level') as HTMLSelectElement).disabled).toBe(true);
    expect((screen.getByLabelText('Certificate files (PEM and PKCS#12)') as HTMLInputElement).disabled).toBe(true);
    // Theme is not in the policy: still the user's.
    expect((screen.getByLabelText('Theme') as HTMLSelectElement).disabled).toBe(false);
  });

  it('without a policy nothing is marked managed', async () => {
    const { api } = fakeApi({ 'settings:get': () => baseSettings });
    const { store } = renderWithStore(<SettingsPage />, api, 'settings');
    await act(() => store.getState().load());
    await screen.findByLabelText('Log level');
    expect(screen.queryByTestId('managed')).toBeNull();
    expect((screen.getByLabelText('Start KeyTalk Agent when I sign in') as HTMLInputElement).disabled).toBe(false);
  });
});
