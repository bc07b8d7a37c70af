import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CertificateSummary, ProviderSummary } from '../../app/ipc/contract';
import { baseState, fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { App } from './App';

// Issue 19, "Messages where the user looks": an action's error is shown beside the control that caused it — on the
// certificate's own card, in its export form, on the Messages and Invite pages, in the MFA and scanner sections —
// never only in the alert at the top of the window; the action's next success there clears it.

const cert = (n: string): CertificateSummary => ({
  subject: `CN=User ${n}`,
  issuer: 'CN=Acme CA',
  serialNumber: n,
  notBefore: '2026-01-01T00:00:00Z',
  notAfter: '2027-01-01T00:00:00Z',
  sha256Fingerprint: n.repeat(64),
  provider: 'Acme',
  service: 'EMAIL',
  stores: ['file'],
});
const acme: ProviderSummary = { name: 'Acme', kind: 'keytalk', server: 'kt.acme.test', services: [{ name: 'SMIME' }] };
const fail = (message: string) => () => {
  throw new Error(`[handler-failed] ${message}`);
};

/** The top alert region (errors without a place) is empty: the error is beside its control instead. */
const alertRegionEmpty = () => expect(screen.queryByTestId('error-text')).toBeNull();
const cardOf = (name: string) => screen.getByRole('heading', { name }).closest('li')!;

describe('errors beside the control that caused them', () => {
  it('Certificates: Renew now and Remove fail on their own card (not the other one), export in its form', async () => {
    let renewFails = true;
    const { api } = fakeApi({
      'certs:list': () => [cert('a'), cert('b')],
      'certs:renew': () => {
        if (renewFails) throw new Error('[handler-failed] the KeyTalk server kt.acme.test refused the connection');
        return { flowId: 'f1' };
      },
      'certs:remove': fail('the file store could not be written'),
      'certs:export': fail('the key of this certificate cannot be exported'),
    });
    const { store } = renderWithStore(<App />, api, 'certificates');
    await act(() => store.getState().load());
    const a = () => cardOf('User a');
    const b = () => cardOf('User b');

    await userEvent.click(within(b()).getByRole('button', { name: 'Renew now' }));
    expect((await within(b()).findByTestId('inline-error')).textContent).toContain('refused the connection');
    expect(within(a()).queryByTestId('inline-error')).toBeNull();
    alertRegionEmpty();

    await userEvent.click(within(a()).getByRole('button', { name: 'Remove' }));
    await userEvent.click(
      within(within(a()).getByRole('group', { name: /^Remove the certificate/ })).getByRole('button', { name: 'Remove' }),
    );
    expect((await within(a()).findByTestId('inline-error')).textContent).toContain('the file store could not be written');
    // One error at a time: the newer one (card a) replaced the older (card b).
    expect(within(b()).queryByTestId('inline-error')).toBeNull();

    await userEvent.click(within(b()).getByRole('button', { name: 'Export…' }));
    const form = within(b()).getByRole('form');
    await userEvent.type(within(form).getByLabelText('Password for the file'), 'long-enough');
    await userEvent.type(within(form).getByLabelText('Repeat the password'), 'long-enough');
    await userEvent.click(within(form).getByRole('button', { name: 'Export' }));
    expect((await within(form).findByTestId('inline-error')).textContent).toContain('cannot be exported');
    alertRegionEmpty();

    // The next success of Renew now on card b clears its error (and the flow opens on Enroll).
    await userEvent.click(within(b()).getByRole('button', { name: 'Renew now' }));
    expect(within(b()).getByTestId('inline-error')).toBeTruthy();
    renewFails = false;
    await act(() => store.getState().renew(cert('b').sha256Fingerprint));
    expect(store.getState().error).toBeUndefined();
    expect(store.getState().page).toBe('enroll');
  });

  it('Messages: a failed "Mark as read" is said on the Messages page', async () => {
    const { api } = fakeApi({
      'messages:list': () => [
        { id: 'm1', provider: 'Acme', text: 'Maintenance tonight', utc: '2026-11-01T10:00:00Z', read: false },
      ],
      'messages:mark-read': fail('state/messages.json could not be written'),
    });
    const { store } = renderWithStore(<App />, api, 'messages');
    await act(() => store.getState().load());
    const page = screen.getByRole('region', { name: 'Messages' });
    await userEvent.click(within(page).getByRole('button', { name: 'Mark as read' }));
    expect((await within(page).findByTestId('inline-error')).textContent).toContain('could not be written');
    alertRegionEmpty();
  });

  it('Invite: a failed availability check is said on the Invite page', async () => {
    const { api } = fakeApi({
      'agent:get-state': () => ({ ...baseState, providers: [acme] }),
      'smime:availability': fail('the Self-Service API of kt.acme.test did not answer'),
    });
    const { store } = renderWithStore(<App />, api, 'invite');
    await act(() => store.getState().load());
    const page = screen.getByRole('region', { name: /Invite/ });
    expect((await within(page).findByTestId('inline-error')).textContent).toContain('did not answer');
    alertRegionEmpty();
  });

  it('Settings: MFA sign-out and the scanner say their failures in their own sections', async () => {
    const authority = 'https://idp.acme.test';
    const { api } = fakeApi({
      'mfa:accounts': () => [{ authority, clientId: 'kt', endsIdpSession: false, accounts: [{ username: 'alice@acme.test' }] }],
      'mfa:sign-out': fail('the token cache is locked by another process'),
      'scanner:scan-now': fail('no remembered sign-in for Acme; enroll once first'),
    });
    const { store } = renderWithStore(<App />, api, 'settings');
    await act(() => store.getState().load());
    const mfa = await screen.findByRole('region', { name: 'Multi-factor sign-ins' });
    await userEvent.click(within(mfa).getByRole('button', { name: `Sign out alice@acme.test at ${authority}` }));
    expect((await within(mfa).findByTestId('inline-error')).textContent).toContain('token cache is locked');
    alertRegionEmpty();

    const scanner = screen.getByTestId('scanner');
    await userEvent.click(within(scanner).getByRole('button', { name: 'Scan now' }));
    await waitFor(() => expect(within(scanner).getByTestId('inline-error').textContent).toContain('no remembered sign-in'));
    // The scanner's error moved there: the MFA section's is gone.
    expect(within(mfa).queryByTestId('inline-error')).toBeNull();
    alertRegionEmpty();
  });

  it('Settings: a failed list of MFA sign-ins still shows the section with its error', async () => {
    const { api } = fakeApi({ 'mfa:accounts': fail('the token cache file is damaged') });
    renderWithStore(<App />, api, 'settings');
    const mfa = await screen.findByRole('region', { name: 'Multi-factor sign-ins' });
    expect(within(mfa).getByTestId('inline-error').textContent).toContain('the token cache file is damaged');
  });
});
