import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ProviderSummary } from '../../app/ipc/contract';
import { baseState, fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { recipientProblems } from './InviteForm';
import { InvitePage } from './InvitePage';
import { applyLanguageSetting } from '../i18n/i18n';

const acme: ProviderSummary = { name: 'Acme', kind: 'keytalk', server: 'keytalk.acme.test', services: [{ name: 'SMIME' }] };
const certificate = {
  provider: 'Acme',
  service: 'SMIME',
  subject: 'CN=Alice',
  emails: ['alice@acme.test'],
  notAfter: '2027-01-01T00:00:00Z',
};

// Addresses and numbers are pasted (typing them key by key re-renders the form per key: seconds under load).
const paste = async (label: string, text: string) => {
  await userEvent.click(screen.getByLabelText(label));
  await userEvent.paste(text);
};

describe('InvitePage (Self-Service invitations)', () => {
  it('checks availability first, validates the recipients, sends them and shows the result', async () => {
    const { api, calls } = fakeApi({
      'agent:get-state': () => ({ ...baseState, providers: [acme] }),
      'smime:availability': () => ({ available: true, mobileRequired: true, certificate }),
      'smime:invite': () => ({
        synchronous: true,
        succeeded: [{ email: 'guest@partner.test' }],
        failed: [{ email: 'bad@partner.test', error: 'no such domain' }],
        skipped: ['late@partner.test'],
        addressBooks: [],
      }),
    });
    const { store } = renderWithStore(<InvitePage />, api, 'invite');
    await act(() => store.getState().load());
    await waitFor(() => expect(screen.getByTestId('smime-availability').textContent).toContain('CN=Alice'));
    expect(calls.find((c) => c.channel === 'smime:availability')?.request).toEqual({ provider: 'Acme' });
    expect(screen.getByText(/mobile number is required for every recipient/)).toBeTruthy();

    await paste('E-mail address of recipient 1', 'not-an-address');
    await userEvent.click(screen.getByRole('button', { name: 'Send invitations' }));
    expect(screen.getByTestId('recipient-problems').textContent).toContain('"not-an-address" is not an e-mail address.');
    expect(calls.some((c) => c.channel === 'smime:invite')).toBe(false);

    await userEvent.clear(screen.getByLabelText('E-mail address of recipient 1'));
    await paste('E-mail address of recipient 1', 'guest@partner.test');
    await paste('Mobile number of recipient 1', '+31 6 1234 5678');
    await userEvent.click(screen.getByRole('button', { name: 'Add another recipient' }));
    await paste('E-mail address of recipient 2', 'bad@partner.test');
    await paste('Mobile number of recipient 2', '+31600000002');
    await userEvent.click(screen.getByRole('button', { name: 'Send invitations' }));
    await waitFor(() => expect(screen.getByTestId('invite-result')).toBeTruthy());
    expect(calls.find((c) => c.channel === 'smime:invite')?.request).toEqual({
      provider: 'Acme',
      recipients: [
        { email: 'guest@partner.test', mobile: '+31612345678' },
        { email: 'bad@partner.test', mobile: '+31600000002' },
      ],
    });
    const result = screen.getByTestId('invite-result').textContent;
    expect(result).toContain('guest@partner.test: certificate issued; the download link was sent by e-mail.');
    expect(result).toContain('bad@partner.test: failed (no such domain).');
    expect(result).toContain('late@partner.test: skipped, because an earlier recipient failed.');
    expect(store.getState().notice).toBe('Invitations sent: 1 of 2 succeeded');
  });

  it('explains why inviting is not possible, as text, and offers to check again', async () => {
    let asked = 0;
    const { api } = fakeApi({
      'agent:get-state': () => ({ ...baseState, providers: [acme] }),
      'smime:availability': () => {
        asked++;
        return {
          available: false,
          problem: 'unavailable' as const,
          reason: '<b>user is not a self-service user</b>',
          explanation:
            'S/MIME enrollment for external recipients is not available for you — ask your KeyTalk administrator to enable it',
          certificate,
        };
      },
    });
    const { store } = renderWithStore(<InvitePage />, api, 'invite');
    await act(() => store.getState().load());
    await waitFor(() => expect(screen.getByText(/ask your KeyTalk administrator to enable it/)).toBeTruthy());
    expect(screen.getByText('The KeyTalk server says: <b>user is not a self-service user</b>')).toBeTruthy();
    expect(document.querySelector('b')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Send invitations' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(asked).toBe(2));
  });

  it('says what the user can do in Dutch from its code; the server’s reason framed as its words', async () => {
    const { api } = fakeApi({
      'agent:get-state': () => ({ ...baseState, providers: [acme] }),
      'smime:availability': () => ({
        available: false,
        problem: 'unavailable' as const,
        reason: 'user is not a self-service user',
        explanation: 'S/MIME enrollment … — ask your KeyTalk administrator to enable it',
        explanationText: {
          code: 'smime.not-enabled',
          message: 'S/MIME enrollment … — ask your KeyTalk administrator to enable it',
        },
        certificate,
      }),
    });
    try {
      act(() => void applyLanguageSetting('nl'));
      const { store } = renderWithStore(<InvitePage />, api, 'invite');
      await act(() => store.getState().load());
      await waitFor(() => expect(screen.getByText(/Vraag uw KeyTalk-beheerder om dit in te schakelen\.$/)).toBeTruthy());
      expect(screen.getByText('De KeyTalk-server meldt: user is not a self-service user')).toBeTruthy();
    } finally {
      act(() => void applyLanguageSetting('en'));
    }
  });

  it('in German: a recipient the server refused without a reason is just "fehlgeschlagen", with a reason the reason', async () => {
    const { api } = fakeApi({
      'agent:get-state': () => ({ ...baseState, providers: [acme] }),
      'smime:availability': () => ({ available: true, mobileRequired: false, certificate }),
      'smime:invite': () => ({
        synchronous: true,
        succeeded: [],
        failed: [{ email: 'quiet@partner.test' }, { email: 'bad@partner.test', error: 'no such domain' }],
        skipped: [],
        addressBooks: [],
      }),
    });
    try {
      act(() => void applyLanguageSetting('de'));
      const { store } = renderWithStore(<InvitePage />, api, 'invite');
      await act(() => store.getState().load());
      await waitFor(() => expect(screen.getByTestId('smime-availability').textContent).toContain('CN=Alice'));
      await paste('E-Mail-Adresse von Empfänger 1', 'quiet@partner.test');
      await userEvent.click(screen.getByRole('button', { name: 'Einladungen senden' }));
      await waitFor(() => expect(screen.getByTestId('invite-result')).toBeTruthy());
      const items = [...screen.getByTestId('invite-result').querySelectorAll('li')].map((li) => li.textContent);
      expect(items).toEqual(['quiet@partner.test: fehlgeschlagen.', 'bad@partner.test: fehlgeschlagen (no such domain).']);
    } finally {
      act(() => void applyLanguageSetting('en'));
    }
  });

  it('without a provider: says to enroll first and asks the core nothing', async () => {
    const { api, calls } = fakeApi();
    const { store } = renderWithStore(<InvitePage />, api, 'invite');
    await act(() => store.getState().load());
    expect(screen.getByText(/enroll for your S\/MIME service first/)).toBeTruthy();
    expect(calls.some((c) => c.channel === 'smime:availability')).toBe(false);
  });

  it('recipient checks: duplicates, bad and missing mobile numbers', () => {
    expect(
      recipientProblems(
        [
          { email: 'a@x.test', mobile: '' },
          { email: 'A@x.test', mobile: 'call me' },
        ],
        true,
      ),
    ).toEqual([
      'A mobile number is required for a@x.test.',
      'A@x.test is listed twice.',
      '"call me" is not a mobile number; use international format like +31612345678.',
    ]);
    expect(recipientProblems([{ email: 'a@x.test', mobile: '' }], false)).toEqual([]);
  });

  it('orders instead of certificates: availability asked for orders, order numbers shown', async () => {
    const { api, calls } = fakeApi({
      'agent:get-state': () => ({ ...baseState, providers: [acme] }),
      'smime:availability': (req) =>
        req.synchronous === false
          ? { available: true, mobileRequired: false, certificate }
          : {
              available: false,
              problem: 'unavailable' as const,
              explanation: 'S/MIME enrollment for external recipients is not available for you',
            },
      'smime:invite': () => ({
        synchronous: false,
        succeeded: [{ email: 'guest@partner.test', orderId: '0a1b2c3d4e5f' }],
        failed: [],
        skipped: [],
        addressBooks: [],
      }),
    });
    const { store } = renderWithStore(<InvitePage />, api, 'invite');
    await act(() => store.getState().load());
    await waitFor(() => expect(screen.getByText(/not available for you/)).toBeTruthy());
    await userEvent.click(screen.getByLabelText(/Place orders with the CA/));
    await waitFor(() => expect(screen.getByTestId('smime-availability').textContent).toContain('You may invite recipients'));
    expect(calls.filter((c) => c.channel === 'smime:availability').at(-1)?.request).toEqual({
      provider: 'Acme',
      synchronous: false,
    });
    await paste('E-mail address of recipient 1', 'guest@partner.test');
    await userEvent.click(screen.getByRole('button', { name: 'Send invitations' }));
    await waitFor(() =>
      expect(screen.getByTestId('invite-result').textContent).toContain(
        'guest@partner.test: order 0a1b2c3d4e5f placed with the CA.',
      ),
    );
    expect(calls.find((c) => c.channel === 'smime:invite')?.request).toEqual({
      provider: 'Acme',
      recipients: [{ email: 'guest@partner.test' }],
      synchronous: false,
    });
  });
});
