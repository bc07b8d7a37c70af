import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { baseState, fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { StatusHeader } from './StatusHeader';

/** Issue 20: a policy autoEnroll that needs the user is one clear line in the header (status attention), no wizard. */
describe('StatusHeader and autoEnroll', () => {
  it('shows one line per pending auto-enrollment', async () => {
    const { api } = fakeApi({
      'agent:get-state': () => ({
        ...baseState,
        status: 'attention',
        autoEnrollPending: [{ provider: 'Demo', service: 'OTP', reason: 'needs you to sign in once' }],
      }),
    });
    const { store } = renderWithStore(<StatusHeader />, api);
    await act(() => store.getState().load());
    expect(screen.getAllByTestId('auto-enroll-pending').map((e) => e.textContent)).toEqual([
      'Your organisation asks you to enroll Demo / OTP: open Enroll and sign in once.',
    ]);
    expect(screen.getByTestId('agent-status').className).toContain('status-attention');
  });
});
