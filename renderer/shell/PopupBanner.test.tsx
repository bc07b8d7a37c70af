import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { applyLanguageSetting } from '../i18n/i18n';
import { PopupApp } from './PopupApp';
import { PopupBanner } from './PopupBanner';

describe('PopupBanner', () => {
  it('shows the unattended renewal request with the server text and renews on "Renew now"', async () => {
    const { api, emit, calls } = fakeApi({ 'certs:renew': () => ({ flowId: 'r9' }) });
    const { store } = renderWithStore(<PopupBanner />, api);
    act(() =>
      emit('popup:open', {
        popup: 'unattended-renewal',
        data: { message: 'Your certificate <i>expires</i> in 3 days', subject: 'CN=alice', sha256Fingerprint: 'CD'.repeat(32) },
      }),
    );
    expect(screen.getByRole('heading', { name: 'Certificate renewal' })).toBeTruthy();
    expect(screen.getByText('Your certificate <i>expires</i> in 3 days')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Renew now' }));
    expect(calls.find((c) => c.channel === 'certs:renew')?.request).toEqual({ sha256Fingerprint: 'CD'.repeat(32) });
    expect(store.getState().popup).toBeUndefined();
    expect(store.getState().flow?.flowId).toBe('r9');
  });

  it("says the core's popup sentence in Dutch and German, and frames the server's template as its words", () => {
    const { api, emit } = fakeApi();
    renderWithStore(<PopupBanner />, api);
    const signIn = {
      code: 'renewal.popup-sign-in',
      params: { service: 'Employees', provider: 'Acme', at: '2099-03-01T12:00:00Z' },
      message: 'Your Employees certificate from Acme expires …',
    };
    const template = 'Renew your certificate today';
    try {
      act(() => void applyLanguageSetting('nl'));
      act(() => emit('popup:open', { popup: 'unattended-renewal', data: { message: signIn.message, text: signIn } }));
      expect(
        screen.getByText(/^Uw certificaat voor Employees van Acme verloopt op .*2099.*\. Meld u aan om het te vernieuwen\.$/),
      ).toBeTruthy();
      act(() => void applyLanguageSetting('de'));
      const says = { code: 'server.says', params: { text: template }, message: template };
      act(() => emit('popup:open', { popup: 'unattended-renewal', data: { message: template, text: says } }));
      expect(screen.getByText('Der KeyTalk-Server meldet: Renew your certificate today')).toBeTruthy();
      // A text that is not a coded text's shape is ignored: the English message is shown.
      act(() => emit('popup:open', { popup: 'unattended-renewal', data: { message: template, text: { code: 7 } } }));
      expect(screen.getByText(template)).toBeTruthy();
    } finally {
      act(() => void applyLanguageSetting('en'));
    }
  });

  it('"Later" dismisses without calling the core', async () => {
    const { api, emit, calls } = fakeApi();
    const { store } = renderWithStore(<PopupBanner />, api);
    act(() => emit('popup:open', { popup: 'unattended-renewal', data: { message: 'Renew soon' } }));
    expect(screen.queryByRole('button', { name: 'Renew now' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Later' }));
    expect(store.getState().popup).toBeUndefined();
    expect(calls.some((c) => c.channel === 'certs:renew')).toBe(false);
  });

  it('a login popup window shows the running flow form', async () => {
    const { api, emit } = fakeApi();
    renderWithStore(<PopupApp kind="login" />, api);
    act(() =>
      emit('flow:prompt', {
        flowId: 'f2',
        prompt: { kind: 'credentials', fields: [{ name: 'USERID', label: 'User name', secret: false }], offerRemember: false },
        provider: 'Acme',
        service: 'Employees',
      }),
    );
    expect(await screen.findByLabelText('User name')).toBeTruthy();
    expect(screen.getByRole('main', { name: 'Sign in to renew' })).toBeTruthy();
    // The form says whom the user signs in to: a popup opens without the page that chose the service.
    expect(screen.getByRole('heading', { name: 'Sign in to Acme — Employees' })).toBeTruthy();
  });
});

describe('PopupApp in its own window', () => {
  it('asks the core for the popup it was opened for (the event came before the window) and offers Renew now', async () => {
    const { api, calls } = fakeApi({
      'popup:current': () => ({
        popup: { popup: 'unattended-renewal', data: { message: 'Please sign in to renew', sha256Fingerprint: 'EF'.repeat(32) } },
      }),
    });
    renderWithStore(<PopupApp kind="unattended-renewal" />, api);
    expect(await screen.findByText('Please sign in to renew')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Renew now' })).toBeTruthy();
    expect(calls.some((c) => c.channel === 'popup:current')).toBe(true);
  });

  it('a disclaimer window keeps its disclaimer when the core raises a renewal reminder (that has its own window)', async () => {
    const { api, emit } = fakeApi({
      'popup:current': () => ({ popup: { popup: 'disclaimer', data: { subject: 'Northwind legal disclaimer' } } }),
    });
    renderWithStore(<PopupApp kind="disclaimer" />, api, undefined, 'disclaimer');
    act(() => emit('popup:open', { popup: 'unattended-renewal', data: { message: 'Please sign in to renew' } }));
    expect(await screen.findByText('Northwind legal disclaimer')).toBeTruthy();
    expect(screen.queryByText('Please sign in to renew')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Renew now' })).toBeNull();
  });

  it('shows only the sign-in once it runs, so the small window holds its form rather than the request', async () => {
    const { api, emit } = fakeApi({
      'popup:current': () => ({ popup: { popup: 'login', data: { message: 'Sign in to continue' } } }),
    });
    renderWithStore(<PopupApp kind="login" />, api);
    expect(await screen.findByText('Sign in to continue')).toBeTruthy();
    act(() =>
      emit('flow:prompt', {
        flowId: 'f3',
        prompt: { kind: 'credentials', fields: [{ name: 'USERID', label: 'User name', secret: false }], offerRemember: false },
      }),
    );
    expect(await screen.findByLabelText('User name')).toBeTruthy();
    expect(screen.queryByText('Sign in to continue')).toBeNull();
    expect(screen.queryByTestId('popup')).toBeNull();
  });
});
