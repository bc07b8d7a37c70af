import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentState, Settings, StoreInfo } from '../../app/ipc/contract';
import { toBridgeError } from '../../app/ipc/error-text';
import { baseSettings, baseState, fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { applyLanguageSetting } from '../i18n/i18n';
import { OutcomeView } from '../flow/FlowPanel';
import { App } from './App';

// Issue 19: the core's errors and warnings arrive as a code with values beside the English sentence
// (app/model/core-text.ts); the UI says them in the user's language and keeps the English for a code it does not know.

const settingsMessage = 'settings.json had invalid values on 2026-11-02T08:00:00.000Z (stores: unknown store "foo"); …';
const state: AgentState = {
  ...baseState,
  status: 'error',
  lastError: 'the account is locked on the KeyTalk server for another 5 min; try again later or contact your administrator',
  lastErrorText: {
    code: 'auth.locked-for',
    params: { seconds: 300 },
    message: 'the account is locked on the KeyTalk server for another 5 min; …',
  },
  policyWarnings: ['/etc/keytalk-agent/policy.json: unknown policy key "lockStores"; ignored (known: …)'],
  policyWarningTexts: [
    {
      code: 'policy.unknown-key',
      params: { source: '/etc/keytalk-agent/policy.json', key: 'lockStores' },
      message: '/etc/keytalk-agent/policy.json: unknown policy key "lockStores"; ignored (known: …)',
    },
  ],
  repaired: [settingsMessage, 'schedule.json was found damaged …'],
  repairedTexts: [
    {
      code: 'repaired.settings',
      params: { at: '2026-11-02T08:00:00.000Z', problem: 'stores: unknown store "foo"', path: '/h/settings.json.damaged-1' },
      message: settingsMessage,
    },
    // A code of a newer core: its English sentence is shown.
    { code: 'repaired.something-new', params: {}, message: 'schedule.json was found damaged …' },
  ],
};
const nssStore: StoreInfo = {
  id: 'firefox:default',
  name: 'Firefox (default)',
  location: '/home/u/.mozilla/firefox/default',
  usedBy: ['Firefox'],
  available: false,
  unavailableReason: 'no certificate database yet; start the application once with this profile',
  unavailableText: { code: 'store.nss-no-database', message: 'no certificate database yet; …' },
  enabled: false,
};

function setup() {
  let settings: Settings = baseSettings;
  const { api } = fakeApi({
    'agent:get-state': () => state,
    'settings:get': () => settings,
    'stores:list': () => [{ ...nssStore, id: 'file', name: 'Files', available: true, enabled: true }, nssStore],
    'settings:set': (patch) => {
      // The policy refuses autostart; the language goes through.
      if ('autostart' in patch)
        throw toBridgeError({
          code: 'handler-failed',
          message: 'autostart is managed by your organisation (policy key "lockedAutostart") and cannot be changed here',
          text: { code: 'policy.locked', params: { what: 'autostart', key: 'lockedAutostart' }, message: '' },
        });
      return (settings = { ...settings, ...patch });
    },
  });
  return api;
}

afterEach(() => {
  applyLanguageSetting('en');
});

describe('core messages in the user language', () => {
  it('says the last error, the repaired settings, a store reason and a refused setting in Dutch, then German', async () => {
    const { store } = renderWithStore(<App />, setup(), 'settings');
    await act(() => store.getState().load());
    expect(screen.getByText(/Your account is locked on the KeyTalk server for another 5 minutes\./)).toBeTruthy();

    await userEvent.selectOptions(screen.getByLabelText('Language'), 'nl');
    await screen.findByRole('heading', { level: 2, name: 'Instellingen' });
    expect(screen.getByText(/Uw account is nog 5 minuten geblokkeerd op de KeyTalk-server\./)).toBeTruthy();
    expect(screen.getByTestId('settings-warning').textContent).toMatch(
      /^Uw instellingen bevatten op .*2026.* ongeldige waarden \(stores: unknown store "foo"\)\. De standaardwaarden worden gebruikt; het origineel is bewaard in \/h\/settings\.json\.damaged-1\.$/,
    );
    // The header lists both repaired files: the known code in Dutch, the unknown one in the core's English.
    const repaired = screen.getAllByTestId('repaired-state').map((p) => p.textContent);
    expect(repaired[0]).toMatch(/^Uw instellingen bevatten op/);
    expect(repaired[1]).toBe('schedule.json was found damaged …');
    expect(screen.getByText(/er is nog geen certificaatdatabase; start de toepassing één keer met dit profiel/)).toBeTruthy();
    expect(screen.getByTestId('policy-warning').textContent).toBe(
      'Het beleid /etc/keytalk-agent/policy.json bevat een onbekende instelling "lockStores"; die wordt genegeerd.',
    );
    await userEvent.click(screen.getByLabelText('KeyTalk Agent starten wanneer ik me aanmeld'));
    expect((await screen.findByTestId('inline-error')).textContent).toContain(
      'autostart wordt beheerd door uw organisatie (beleid "lockedAutostart") en kan hier niet worden gewijzigd.',
    );

    await userEvent.selectOptions(screen.getByLabelText('Taal'), 'de');
    await screen.findByRole('heading', { level: 2, name: 'Einstellungen' });
    expect(screen.getByText(/Ihr Konto ist auf dem KeyTalk-Server noch 5 Minuten gesperrt\./)).toBeTruthy();
    expect(screen.getByTestId('settings-warning').textContent).toMatch(/^Ihre Einstellungen enthielten am .*2026/);
    expect(screen.getByText(/es gibt noch keine Zertifikatsdatenbank/)).toBeTruthy();
  });

  it("a failed flow's sentence in the chosen language; an unknown or missing code shows the core's English", () => {
    applyLanguageSetting('de');
    const { container } = render(
      <>
        <OutcomeView
          outcome={{
            status: 'failed',
            code: 'tls',
            message: 'hello: The server certificate of kt.example (…) is not issued by this provider’s SCA …',
            text: { code: 'tls.unknown-ca', params: { host: 'kt.example' }, message: '…' },
          }}
        />
        <OutcomeView
          outcome={{
            status: 'failed',
            code: 'store-failed',
            message: 'store firefox cannot take a certificate: …',
            text: {
              code: 'store.cannot-take',
              params: { store: 'Firefox', reason: { code: 'store.nss-old-format', message: 'old cert8.db' } },
              message: 'store firefox cannot take a certificate: …',
            },
          }}
        />
        <OutcomeView
          outcome={{
            status: 'failed',
            code: 'auth-failed',
            message: 'the KeyTalk server rejected a frobnicated token',
            text: { code: 'auth.frobnicated', message: 'the KeyTalk server rejected a frobnicated token' },
          }}
        />
      </>,
    );
    const lines = [...container.querySelectorAll('p.error-text')].map((p) => p.textContent);
    expect(lines).toEqual([
      'Beantragung fehlgeschlagen: Das Sicherheitszertifikat von kt.example stammt nicht von einer CA, der dieser Anbieter vertraut. Importieren Sie die Anbieterdatei erneut oder wenden Sie sich an Ihren Administrator.',
      'Beantragung fehlgeschlagen: Der Speicher Firefox kann kein Zertifikat aufnehmen: dieses Profil verwendet noch das alte Format der Zertifikatsdatenbank; starten Sie Firefox oder Thunderbird einmal damit. Beim Server wurde nichts angefordert.',
      'Beantragung fehlgeschlagen: the KeyTalk server rejected a frobnicated token',
    ]);
  });
});
