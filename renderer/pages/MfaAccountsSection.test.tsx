import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { MfaAccountGroup } from '../../app/ipc/mfa-contract';
import { fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { SettingsPage } from './SettingsPage';

const authority = 'https://idp.example.com/realms/acme';

describe('Settings: multi-factor sign-ins', () => {
  it('lists the saved sign-ins per identity provider and signs one out, then shows what is left', async () => {
    let groups: MfaAccountGroup[] = [
      {
        authority,
        clientId: 'keytalk-agent',
        endsIdpSession: true,
        accounts: [{ username: 'alice@acme.example', name: 'Alice' }, { username: 'bob@acme.example' }],
      },
    ];
    const { api, calls } = fakeApi({
      'mfa:accounts': () => groups,
      'mfa:sign-out': ({ username }) => {
        groups = [{ ...groups[0]!, accounts: groups[0]!.accounts.filter((a) => a.username !== username) }];
        return { ok: true };
      },
    });
    const { store } = renderWithStore(<SettingsPage />, api, 'settings');
    const section = await screen.findByRole('region', { name: 'Multi-factor sign-ins' });
    expect(within(section).getByRole('heading', { name: `At ${authority}` })).toBeTruthy();
    expect(section.textContent).toContain('Alice alice@acme.example');
    expect(section.textContent).toContain('also opens the identity provider’s sign-out page');

    await userEvent.click(within(section).getByRole('button', { name: `Sign out alice@acme.example at ${authority}` }));
    expect(calls.filter((c) => c.channel === 'mfa:sign-out').map((c) => c.request)).toEqual([
      { authority, clientId: 'keytalk-agent', username: 'alice@acme.example' },
    ]);
    await waitFor(() => expect(section.textContent).not.toContain('alice@acme.example'));
    expect(section.textContent).toContain('bob@acme.example');
    expect(store.getState().notice).toBe('Signed out alice@acme.example'); // announced by the app's live region
  });

  it('shows nothing when nobody is signed in, and a failed sign-out is reported', async () => {
    const { api } = fakeApi();
    renderWithStore(<SettingsPage />, api, 'settings');
    await screen.findByRole('heading', { name: 'Settings' });
    expect(screen.queryByRole('region', { name: 'Multi-factor sign-ins' })).toBeNull();

    const failing = fakeApi({
      'mfa:accounts': () => [{ authority, clientId: 'c', endsIdpSession: false, accounts: [{ username: 'carol@acme.example' }] }],
      'mfa:sign-out': () => {
        throw new Error(
          '[handler-failed] There is no saved sign-in for https://idp.example.com/realms/acme (client c); nothing to sign out of.',
        );
      },
    });
    const { store } = renderWithStore(<SettingsPage />, failing.api, 'settings');
    await userEvent.click(await screen.findByRole('button', { name: `Sign out carol@acme.example at ${authority}` }));
    await waitFor(() => expect(store.getState().error).toMatch(/no saved sign-in/));
  });
});
