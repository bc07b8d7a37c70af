import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { applyLanguageSetting } from '../i18n/i18n';
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

/**
 * Issue 19: "Needs attention" says what waits — a renewal's sign-in or a password change is not "an enrollment" —
 * naming provider and service, in the user's language; the link still leads to the flow and it clears when it ends.
 */
describe('StatusHeader names what needs attention', () => {
  afterEach(() => {
    applyLanguageSetting('en');
  });
  const credentials = {
    kind: 'credentials' as const,
    fields: [{ name: 'PASSWD' as const, label: 'Password', secret: true }],
    offerRemember: false,
  };

  it('a renewal waiting for its sign-in, in Dutch; a password change, in German; cleared when the flow ends', async () => {
    const { api, emit } = fakeApi();
    const { store } = renderWithStore(<StatusHeader />, api, 'certificates');
    await act(() => store.getState().load());
    applyLanguageSetting('nl');
    act(() => emit('agent:state', { ...baseState, status: 'attention', activeFlow: 'r1' }));
    // Before the prompt is known (a window not yet caught up): only that something waits, never "an enrollment".
    expect(screen.getByTestId('attention-what').textContent).toBe('Er wacht iets op uw antwoord. Tonen');
    act(() => emit('flow:prompt', { flowId: 'r1', provider: 'Acme', service: 'EMAIL', purpose: 'renew', prompt: credentials }));
    const what = screen.getByTestId('attention-what');
    expect(what.textContent).toBe('De vernieuwing van Acme / EMAIL wacht op uw antwoord. Tonen');
    await userEvent.click(within(what).getByRole('button', { name: 'Tonen' }));
    expect(store.getState().page).toBe('enroll');
    act(() => emit('flow:done', { flowId: 'r1', outcome: { status: 'failed', code: 'cancelled', message: 'cancelled' } }));
    act(() => emit('agent:state', { ...baseState, status: 'idle' }));
    expect(screen.queryByTestId('attention-what')).toBeNull();

    applyLanguageSetting('de');
    act(() => emit('agent:state', { ...baseState, status: 'attention', activeFlow: 'p1' }));
    act(() =>
      emit('flow:prompt', {
        flowId: 'p1',
        provider: 'Acme',
        service: 'PASSWD',
        purpose: 'password-change',
        prompt: credentials,
      }),
    );
    expect(screen.getByTestId('attention-what').textContent).toBe(
      'Ihre Passwortänderung für Acme / PASSWD wartet auf Ihre Antwort. Anzeigen',
    );
  });

  it('an enrollment taken up from the core (flow:current after a reload) names provider and service', async () => {
    const waiting = { flowId: 'e1', provider: 'Demo', service: 'OTP', purpose: 'enroll' as const, prompt: credentials };
    const { api } = fakeApi({
      'agent:get-state': () => ({ ...baseState, status: 'attention', activeFlow: 'e1' }),
      'flow:current': () => ({ waiting }),
    });
    const { store } = renderWithStore(<StatusHeader />, api);
    await act(() => store.getState().load());
    expect((await screen.findByText(/Demo \/ OTP/)).textContent).toBe(
      'A new certificate for Demo / OTP is waiting for your answer. Show it',
    );
  });
});
