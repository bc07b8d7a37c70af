import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { PasswordExpiry } from '../../app/ipc/contract';
import { baseState, fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { App } from './App';

const soon: PasswordExpiry = {
  provider: 'Acme',
  service: 'EMAIL',
  userId: 'alice',
  expiresAt: '2026-12-06T00:00:00Z',
  daysLeft: 3,
  warn: true,
};

describe('PasswordBanner (password-validity, RCDP 2.6.7)', () => {
  it('shows on every page while a password is inside the warning window; "Change password" starts password:change on the Enroll page', async () => {
    const { api, calls } = fakeApi({
      'agent:get-state': () => ({ ...baseState, passwordExpiries: [soon] }),
      'password:change': () => ({ flowId: 'pw1' }),
    });
    const { store } = renderWithStore(<App />, api, 'messages');
    await act(() => store.getState().load());
    const banner = await screen.findByTestId('password-banner');
    expect(banner.textContent).toContain('Your password for Acme / EMAIL (alice) expires in 3 days');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(calls.find((c) => c.channel === 'password:change')?.request).toEqual({ provider: 'Acme', service: 'EMAIL' });
    expect(store.getState().page).toBe('enroll');
    expect(store.getState().flow?.flowId).toBe('pw1');
  });

  it('is absent when no password is about to expire', async () => {
    const { api } = fakeApi({ 'agent:get-state': () => ({ ...baseState }) });
    const { store } = renderWithStore(<App />, api, 'certificates');
    await act(() => store.getState().load());
    expect(screen.queryByTestId('password-banner')).toBeNull();
  });

  it('shows the outcome of a password change in the flow panel', async () => {
    const { api, emit } = fakeApi({
      'agent:get-state': () => ({ ...baseState, passwordExpiries: [soon] }),
      'password:change': () => ({ flowId: 'pw2' }),
    });
    const { store } = renderWithStore(<App />, api, 'certificates');
    await act(() => store.getState().load());
    await userEvent.click(await screen.findByRole('button', { name: 'Change password' }));
    act(() =>
      emit('flow:done', {
        flowId: 'pw2',
        outcome: { status: 'password-changed', provider: 'Acme', service: 'EMAIL', userId: 'alice' },
      }),
    );
    expect(await screen.findByText('Password changed for alice. Sign in with the new password from now on.')).toBeTruthy();
  });
});
