import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CertificateSummary, ServerMessage } from '../../app/ipc/contract';
import { baseSettings, baseState, fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { CertificatesPage, validityLeft } from './CertificatesPage';
import { MessagesPage } from './MessagesPage';
import { SettingsPage } from './SettingsPage';

const cert: CertificateSummary = {
  sha256Fingerprint: 'AB'.repeat(32),
  serialNumber: '01F3',
  subject: 'CN=alice',
  issuer: 'CN=Acme Signing CA',
  notBefore: '2026-01-01T00:00:00Z',
  notAfter: '2027-01-01T00:00:00Z',
  provider: 'Acme',
  service: 'EMAIL',
  stores: ['file', 'nss'],
  renewAt: '2026-11-01T00:00:00Z',
  renewReason: '25% of validity left',
};

describe('CertificatesPage', () => {
  it('computes the validity left', () => {
    expect(validityLeft(cert, Date.parse('2026-07-02T12:00:00Z'))).toBe(50);
    expect(validityLeft(cert, Date.parse('2028-01-01T00:00:00Z'))).toBe(0);
    expect(validityLeft({ notBefore: 'x', notAfter: 'y' })).toBe(0);
  });

  it('says where a key lives, and that a TPM key cannot be exported', async () => {
    const tpmCert: CertificateSummary = { ...cert, stores: ['file'], keyLocations: ['tpm'] };
    const { api } = fakeApi({ 'certs:list': () => [tpmCert, { ...cert, sha256Fingerprint: 'CD'.repeat(32) }] });
    const { store } = renderWithStore(<CertificatesPage />, api, 'certificates');
    await act(() => store.getState().load());
    const shown = screen.getAllByTestId('cert-key-location').map((e) => e.textContent);
    expect(shown).toEqual(['in the TPM (cannot be exported)']);
  });

  it('says when each certificate expires, coloured by how near the margin it is', async () => {
    const day = 86_400_000;
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const certs: CertificateSummary[] = [
      { ...cert, subject: 'emailAddress=sales@acme.test', notAfter: at(40 * day + 60_000), renewAt: at(10 * day) },
      { ...cert, sha256Fingerprint: 'CD'.repeat(32), notAfter: at(3 * day + 60_000), renewAt: at(-day) },
      { ...cert, sha256Fingerprint: 'EF'.repeat(32), notAfter: at(-2 * day - 60_000) },
    ];
    const { api } = fakeApi({ 'certs:list': () => certs });
    const { store } = renderWithStore(<CertificatesPage />, api, 'certificates');
    await act(() => store.getState().load());
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual(['sales@acme.test', 'alice', 'alice']);
    const expiries = screen.getAllByTestId('cert-expiry');
    expect(expiries.map((e) => e.textContent)).toEqual(['expires in 40 days', 'expires in 3 days', 'expired 2 days ago']);
    expect(expiries.map((e) => e.className)).toEqual(['expiry expiry-ok', 'expiry expiry-soon', 'expiry expiry-expired']);
  });

  it('lists certificates with issuer, stores, renewal and details; renew and remove go to the core', async () => {
    const { api, calls } = fakeApi({
      'certs:list': () => [cert],
      'certs:renew': () => ({ flowId: 'r1' }),
      'certs:remove': () => ({ ok: true }),
    });
    const { store } = renderWithStore(<CertificatesPage />, api, 'certificates');
    await act(() => store.getState().load());
    // Titled with the name, not the DN; provider and service under it; "expires in N days" from today.
    expect(screen.getByRole('heading', { name: 'alice' })).toBeTruthy();
    expect(screen.getByText('CN=alice')).toBeTruthy();
    expect(screen.getByTestId('cert-from').textContent).toBe('Acme · EMAIL');
    expect(screen.getByText('CN=Acme Signing CA')).toBeTruthy();
    // Where it is stored, by the stores' names (as in Settings), not their ids ("file, nss").
    expect(screen.getByTestId('cert-stores').textContent).toBe(
      'Certificate files (PEM and PKCS#12), Shared NSS database (~/.pki/nssdb)',
    );
    expect(screen.getByText(/25% of validity left/)).toBeTruthy();
    expect(screen.getByText('AB'.repeat(32))).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Renew now' }));
    expect(calls.find((c) => c.channel === 'certs:renew')?.request).toEqual({ sha256Fingerprint: cert.sha256Fingerprint });
    expect(store.getState().flow?.flowId).toBe('r1');
    await userEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(calls.some((c) => c.channel === 'certs:remove')).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(calls.find((c) => c.channel === 'certs:remove')?.request).toEqual({ sha256Fingerprint: cert.sha256Fingerprint });
  });
});

describe('MessagesPage', () => {
  const messages: ServerMessage[] = [
    { id: 'm1', provider: 'Acme', text: 'Maintenance <b>tonight</b>', utc: '2026-11-01T10:00:00Z', read: false },
    { id: 'm2', provider: 'Acme', text: 'Old news', utc: '2026-10-01T10:00:00Z', read: true },
  ];

  it('shows server text as text (never HTML) and marks a message read', async () => {
    const { api, calls } = fakeApi({ 'messages:list': () => messages, 'messages:mark-read': () => ({ ok: true }) });
    const { store, container } = renderWithStore(<MessagesPage />, api, 'messages');
    await act(() => store.getState().load());
    expect(screen.getByText('Maintenance <b>tonight</b>')).toBeTruthy();
    expect(container.querySelector('b')).toBeNull();
    expect(screen.getAllByText('Unread')).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'Mark as read' }));
    expect(calls.find((c) => c.channel === 'messages:mark-read')?.request).toEqual({ ids: ['m1'] });
    expect(screen.queryByText('Unread')).toBeNull();
  });
});

describe('SettingsPage', () => {
  it('saves autostart, log level and theme through the core and shows providers and version', async () => {
    const { api, calls } = fakeApi({
      'agent:get-state': () => ({
        ...baseState,
        providers: [{ name: 'Acme', kind: 'keytalk', server: 'kt.acme.test', services: [] }],
      }),
      'settings:set': (patch) => ({ ...baseSettings, ...patch }),
      'providers:remove': () => ({ ok: true }),
    });
    const { store } = renderWithStore(<SettingsPage />, api, 'settings');
    await act(() => store.getState().load());
    await userEvent.click(screen.getByLabelText('Start KeyTalk Agent when I sign in'));
    await userEvent.selectOptions(screen.getByLabelText('Log level'), 'debug');
    await userEvent.selectOptions(screen.getByLabelText('Theme'), 'dark');
    const sets = calls.filter((c) => c.channel === 'settings:set').map((c) => c.request);
    expect(sets).toEqual([{ autostart: true }, { logLevel: 'debug' }, { theme: 'dark' }]);
    expect(store.getState().notice).toBe('Settings saved');
    expect(screen.getByText(/Version 9\.9\.9/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Remove provider Acme' }));
    expect(calls.find((c) => c.channel === 'providers:remove')?.request).toEqual({ name: 'Acme' });
  });

  it('stores are checkboxes from the catalogue: where each is, who uses it, why one is unavailable', async () => {
    let enabled = ['file'];
    const info = (id: string, name: string, location: string, usedBy: string[], unavailableReason?: string) => ({
      id,
      name,
      location,
      usedBy,
      available: !unavailableReason,
      ...(unavailableReason ? { unavailableReason } : {}),
      enabled: enabled.includes(id.split(':')[0]!),
    });
    const { api, calls } = fakeApi({
      'settings:get': () => ({ ...baseSettings, stores: enabled }),
      'settings:set': (patch) => {
        enabled = patch.stores ?? enabled;
        return { ...baseSettings, stores: enabled };
      },
      'stores:list': () => [
        info('file', 'Agent file store', '/home/u/.config/keytalk-agent/certs', []),
        info('nss', 'Shared NSS database', '/home/u/.pki/nssdb', ['Chromium']),
        // A store of a newer core this UI has no name for keeps the core's own name and programs.
        info('future-store', 'Future store', '/home/u/.future', ['Future app']),
        info('firefox:default', 'Firefox profile "default"', '/home/u/.mozilla/firefox/a.default', ['Firefox']),
        info('linux-system-ca', 'System CA certificates', '/usr/local/share/ca-certificates', [], 'certutil is not installed'),
      ],
    });
    const { store } = renderWithStore(<SettingsPage />, api, 'settings');
    await act(() => store.getState().load());
    const group = await screen.findByRole('group', { name: 'Where certificates go' });
    expect(within(group).queryByRole('textbox')).toBeNull();
    // Named by the UI in the user's language (renderer/shell/store-names.ts), not by the core's English name.
    const file = within(group).getByRole('checkbox', { name: 'Certificate files (PEM and PKCS#12)' }) as HTMLInputElement;
    const nss = within(group).getByRole('checkbox', { name: 'Shared NSS database (~/.pki/nssdb)' }) as HTMLInputElement;
    const future = within(group).getByRole('checkbox', { name: 'Future store' });
    const systemCa = within(group).getByRole('checkbox', { name: 'System CA certificates' }) as HTMLInputElement;
    // The only store in use cannot be switched off; an unavailable one cannot be switched on, and says why.
    expect(file.checked && file.disabled).toBe(true);
    expect(systemCa.disabled).toBe(true);
    const description = (el: HTMLElement) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent;
    expect(description(systemCa)).toMatch(/unavailable: certutil is not installed/);
    expect(description(nss)).toBe(
      '/home/u/.pki/nssdb · Used by: Chromium, Google Chrome, Evolution, curl (NSS builds) and other NSS programs',
    );
    expect(description(future)).toBe('/home/u/.future · Used by: Future app');
    await userEvent.click(nss);
    await userEvent.click(within(group).getByRole('checkbox', { name: 'Firefox profile "default"' }));
    expect(calls.filter((c) => c.channel === 'settings:set').map((c) => c.request)).toEqual([
      { stores: ['file', 'nss'] },
      { stores: ['file', 'nss', 'firefox'] },
    ]);
    await waitFor(() => expect(file.disabled).toBe(false));
    await userEvent.click(file);
    expect(calls.filter((c) => c.channel === 'settings:set').at(-1)?.request).toEqual({ stores: ['nss', 'firefox'] });
  });

  it('a bad settings.json is named on the page and a failing request leaves the rest of the window working', async () => {
    const { api } = fakeApi({
      'agent:get-state': () => ({
        ...baseState,
        repaired: ['settings.json had invalid values (stores: unknown certificate store "foo"); the defaults are used instead'],
      }),
      'certs:list': () => {
        throw new Error('the "nss" store could not be read');
      },
    });
    const { store } = renderWithStore(<SettingsPage />, api, 'settings');
    await act(() => store.getState().load());
    expect(store.getState().connected).toBe(true);
    expect(screen.getByTestId('settings-warning').textContent).toMatch(/unknown certificate store "foo"/);
    expect(screen.getByLabelText('Log level')).toBeTruthy();
    expect(store.getState().error).toMatch(/could not be read/);
  });
});
