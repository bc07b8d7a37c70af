import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { DoctorCheck, DoctorReport } from '../../app/ipc/doctor-contract';
import { coreText, type CoreTextCode, type CoreTextValue } from '../../app/model/core-text';
import { fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { applyLanguageSetting } from '../i18n/i18n';
import { SettingsPage } from './SettingsPage';

/** A line as app/doctor/doctor-text.ts `said()` builds it (renderer/ may not import app/doctor). */
const said = (code: CoreTextCode, summary: string, params?: Record<string, CoreTextValue>) => ({
  summary,
  summaryText: coreText(code, summary, params),
});

// Issue 19: the doctor's detail lines are coded (doctor.*), so "Test connection" reads them in the user's language;
// the CLI keeps the English `summary`. The lines are built as app/doctor builds them (the window's tsconfig cannot
// load the node-side checks; app/doctor/doctor.test.ts proves the real checks send every line coded).

function report(): DoctorReport {
  const policyWarning = 'policy.json: unknown key "colour" ignored';
  const checks: DoctorCheck[] = [
    {
      id: 'tls',
      scope: 'Acme',
      status: 'fail',
      // What checkTls passes on: the TLS explanation's own coded sentence.
      summary: 'The server certificate of kt.acme.example is not issued by the RCCD’s CA',
      summaryText: coreText('tls.unknown-ca', 'The server certificate of kt.acme.example …', { host: 'kt.acme.example' }),
    },
    { id: 'rcdp', scope: 'Acme', status: 'skip', ...said('doctor.skipped', 'not checked: TLS failed', { step: 'TLS' }) },
    {
      id: 'clock',
      scope: 'Acme',
      status: 'warn',
      ...said('doctor.clock-ahead', "this computer's clock is 300 s ahead of the server's; …", { seconds: 300 }),
    },
    // A line of a newer core, with a code this window does not know: its English.
    { id: 'health', scope: 'Acme', status: 'pass', ...said('doctor.newer' as 'doctor.health-ok', 'a newer core’s English line') },
    {
      id: 'store',
      scope: 'local',
      status: 'fail',
      ...said('doctor.no-stores', 'no certificate store is enabled; enable one in Settings'),
    },
    {
      id: 'secret-store',
      scope: 'local',
      status: 'fail',
      ...said('doctor.secret-none', 'no secret store: remembered passwords cannot be kept'),
    },
    {
      id: 'policy',
      scope: 'local',
      status: 'warn',
      ...said('doctor.policy-warning', `policy: ${policyWarning}`, {
        warning: coreText('policy.unknown-key', policyWarning, { source: 'policy.json', key: 'colour' }),
      }),
    },
  ];
  return { ok: false, checkedAt: '2026-12-03T12:00:00Z', checks };
}

async function details(): Promise<string[]> {
  const r = report();
  const { api } = fakeApi({ 'doctor:run': () => r });
  renderWithStore(<SettingsPage />, api, 'settings');
  const section = await screen.findByTestId('diagnostics');
  await userEvent.click(within(section).getAllByRole('button')[0]!);
  const rows = within(await within(section).findByTestId('doctor-report'))
    .getAllByRole('row')
    .slice(1);
  return rows.map((row) => row.querySelectorAll('td')[3]!.textContent ?? '');
}

afterEach(() => applyLanguageSetting('en'));

describe('Test connection in Dutch and German', () => {
  it('English: the coded lines read as the window says them, without CLI flags', async () => {
    const d = await details();
    expect(d[1]).toBe('Not checked, because the TLS check failed.');
    expect(d[4]).toBe('No certificate store is switched on. Switch one on in Settings.');
    expect(d.join('\n')).not.toMatch(/--|keytalk-agent/);
  });

  it('Dutch: every detail line in Dutch, values kept, an unknown code as the core’s English', async () => {
    applyLanguageSetting('nl');
    const d = await details();
    expect(d).toEqual([
      'Het beveiligingscertificaat van kt.acme.example komt niet van een CA die deze provider vertrouwt. Importeer het providerbestand opnieuw of neem contact op met uw beheerder.',
      'Niet gecontroleerd, omdat de controle TLS is mislukt.',
      'De klok van deze computer loopt 5 minuten voor op die van de server. Bij een te grote afwijking weigert de server het aanmelden: zet de automatische tijd (netwerktijd) aan.',
      'a newer core’s English line',
      'Er is geen certificaatopslag ingeschakeld. Schakel er een in bij Instellingen.',
      'Er is op deze computer geen veilige plek voor wachtwoorden, dus wachtwoorden kunnen niet worden onthouden.',
      'Beleid van uw organisatie: Het beleid policy.json bevat een onbekende instelling "colour"; die wordt genegeerd',
    ]);
  });

  it('German: every detail line in German', async () => {
    applyLanguageSetting('de');
    const d = await details();
    expect(d).toEqual([
      'Das Sicherheitszertifikat von kt.acme.example stammt nicht von einer CA, der dieser Anbieter vertraut. Importieren Sie die Anbieterdatei erneut oder wenden Sie sich an Ihren Administrator.',
      'Nicht geprüft, weil die Prüfung TLS fehlgeschlagen ist.',
      'Die Uhr dieses Computers geht gegenüber der des Servers 5 Minuten vor. Bei zu großer Abweichung lehnt der Server die Anmeldung ab: Schalten Sie die automatische Zeit (Netzwerkzeit) ein.',
      'a newer core’s English line',
      'Es ist kein Zertifikatspeicher eingeschaltet. Schalten Sie einen unter Einstellungen ein.',
      'Auf diesem Computer gibt es keinen sicheren Ort für Passwörter, daher können Passwörter nicht gespeichert werden.',
      'Richtlinie Ihrer Organisation: Die Richtlinie policy.json enthält eine unbekannte Einstellung „colour“; sie wird ignoriert',
    ]);
  });
});
