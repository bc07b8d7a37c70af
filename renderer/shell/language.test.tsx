import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { CertificateSummary, Settings } from '../../app/ipc/contract';
import { baseSettings, fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { applyLanguageSetting, i18n } from '../i18n/i18n';
import { OutcomeView, ProgressView } from '../flow/FlowPanel';
import { App } from './App';

// Issue 19, Languages: the Settings override switches every text of the window at once, dates and plurals included,
// and is saved through settings:set like every other setting.

const cert = {
  subject: 'CN=Alice Example, O=Acme',
  issuer: 'CN=Acme CA',
  serialNumber: '01',
  notBefore: '2026-01-15T12:00:00Z',
  notAfter: '2027-03-01T12:00:00Z',
  sha256Fingerprint: 'AB'.repeat(32),
  provider: 'Acme',
  service: 'EMAIL',
  stores: ['file'],
} as CertificateSummary;

function setup(initial: Settings = baseSettings) {
  let settings: Settings = initial;
  const { api, calls } = fakeApi({
    'settings:get': () => settings,
    'settings:set': (patch) => (settings = { ...settings, ...patch }),
    'certs:list': () => [cert],
    'agent:get-state': () => ({ status: 'idle', version: '9.9.9', home: '/h', providers: [], unreadMessages: 3 }),
  });
  return { api, calls, settings: () => settings };
}

afterEach(() => {
  applyLanguageSetting('en');
});

describe('language', () => {
  it('switches to Dutch, then German, from Settings: navigation, page, plurals and dates, and saves the choice', async () => {
    const { api, calls, settings } = setup();
    const { store } = renderWithStore(<App />, api, 'settings');
    await act(() => store.getState().load());
    const nav = screen.getByRole('navigation');
    expect(within(nav).getByRole('button', { name: /^Settings/ })).toBeTruthy();
    // "System default" names the OS language (happy-dom reports en-US), the others are named in their own words.
    const select = screen.getByLabelText('Language') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'System default (English)',
      'English',
      'Nederlands',
      'Deutsch',
    ]);

    await userEvent.selectOptions(select, 'nl');
    expect(calls.some((c) => c.channel === 'settings:set' && (c.request as Settings).language === 'nl')).toBe(true);
    expect(settings().language).toBe('nl');
    expect(await screen.findByRole('heading', { level: 2, name: 'Instellingen' })).toBeTruthy();
    expect(within(nav).getByTestId('unread-badge').getAttribute('aria-label')).toBe('3 ongelezen');
    expect(screen.getByTestId('notice').textContent).toBe('Instellingen opgeslagen');
    expect(document.documentElement.lang).toBe('nl');
    expect((screen.getByLabelText('Taal') as HTMLSelectElement).value).toBe('nl');
    // The header's status word too (it was read once at load and stayed English).
    expect(screen.getByTestId('agent-status').textContent).toContain('Gereed');
    // The log levels are words, not the log file's level names.
    expect([...(screen.getByLabelText('Logniveau') as HTMLSelectElement).options].map((o) => o.textContent)).toEqual([
      'Alleen fouten',
      'Waarschuwingen en fouten',
      'Normaal',
      'Uitgebreid (voor de helpdesk)',
    ]);

    await userEvent.selectOptions(screen.getByLabelText('Taal'), 'de');
    expect(await screen.findByRole('heading', { level: 2, name: 'Einstellungen' })).toBeTruthy();
    await userEvent.click(within(nav).getByRole('button', { name: /^Zertifikate/ }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Zertifikate' })).toBeTruthy();
    // The validity dates in German's own format.
    expect(screen.getByText(/01\.03\.2027/)).toBeTruthy();
    // Where it is stored by the store's German name, not its id ("file").
    expect(screen.getByTestId('cert-stores').textContent).toBe('Zertifikatsdateien (PEM und PKCS#12)');

    await userEvent.click(within(nav).getByRole('button', { name: /^Einstellungen/ }));
    await userEvent.selectOptions(screen.getByLabelText('Sprache'), 'system');
    expect(await screen.findByRole('heading', { level: 2, name: 'Settings' })).toBeTruthy();
    expect(i18n.language).toBe('en');
  });

  it('opens in the language saved in Settings', async () => {
    const { api } = setup({ ...baseSettings, language: 'de' });
    const { store } = renderWithStore(<App />, api, 'certificates');
    await act(() => store.getState().load());
    expect(await screen.findByRole('heading', { level: 2, name: 'Zertifikate' })).toBeTruthy();
    expect(screen.getByTestId('unread-badge').getAttribute('aria-label')).toBe('3 ungelesen');
  });

  it("names the engine's step, MFA state and failure codes in the chosen language; the core's own words stay beside them", () => {
    applyLanguageSetting('de');
    const { container } = render(
      <>
        <ProgressView progress={{ kind: 'step', step: 'hello', detail: 'kt.example:443' }} />
        <ProgressView progress={{ kind: 'step', step: 'a-step-of-a-newer-core' }} />
        <ProgressView progress={{ kind: 'mfa', state: 'waiting-for-browser', authority: 'login.example' }} />
        <OutcomeView outcome={{ status: 'failed', code: 'network', message: 'connect ECONNREFUSED 10.0.0.1:443' }} />
        <OutcomeView outcome={{ status: 'failed', code: 'cancelled', message: 'cancelled by the user' }} />
      </>,
    );
    expect([...container.querySelectorAll('p')].map((p) => p.textContent)).toEqual([
      'Verbindung zum Server wird hergestellt — kt.example:443',
      'a-step-of-a-newer-core',
      'Mehrstufige Anmeldung (login.example): schließen Sie die Anmeldung im Browser ab',
      'Beantragung fehlgeschlagen: connect ECONNREFUSED 10.0.0.1:443',
      'Der Server ist nicht erreichbar. Prüfen Sie die Netzwerkverbindung.',
      'Beantragung fehlgeschlagen: cancelled by the user',
    ]);
  });
});
