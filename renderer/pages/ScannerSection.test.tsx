import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ScannerReport, ScannerUserSettings } from '../../app/ipc/scanner-contract';
import { fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { ScannerSection } from './ScannerSection';
import { applyLanguageSetting } from '../i18n/i18n';

const report: ScannerReport = {
  local: { scanningEnabled: true, folders: ['/home/me/certs'], nssDbs: [], includeExpired: false, sendPrivateKeys: false },
  targets: [
    {
      target: 'Acme/ALL',
      settings: {
        schedule: 'on-successful-authentication',
        purposes: ['client-auth', 'smime'],
        storeTypes: ['personal'],
        at: '2026-11-01T10:00:00Z',
      },
      sent: 3,
      stored: 1,
      skipped: 2,
    },
  ],
  lastScans: [
    {
      at: '2026-11-01T10:00:00Z',
      target: 'Acme/ALL',
      trigger: 'authentication',
      status: 'done',
      dryRun: false,
      scanned: [
        { source: 'agent file store', storeType: 'personal', certificates: 1 },
        { source: 'files in /home/me/certs', storeType: 'personal', certificates: 6 },
      ],
      matched: 3,
      sent: 3,
      stored: 1,
      skippedByServer: 2,
      skippedItems: 1,
    },
  ],
};

function setup(over: Partial<ScannerReport> = {}) {
  let local: ScannerUserSettings = { ...report.local };
  const fake = fakeApi({
    'scanner:report': () => ({ ...report, ...over, local }),
    'scanner:settings-set': (patch) => {
      if (patch.folders?.some((f) => !f.startsWith('/')))
        throw new Error('[handler-failed] folder "certs" is not an absolute path');
      local = { ...local, ...patch };
      return local;
    },
    'scanner:scan-now': () => ({
      summary: { ...report.lastScans[0]!, trigger: 'manual', status: 'dry-run', sent: 0, stored: 0, skippedByServer: 0 },
      warnings: [],
      certificates: [{ subject: 'CN=client-1', sha256: 'AA', purposes: ['client-auth'], outcome: 'would-send', withKey: false }],
      more: 0,
    }),
  });
  return { ...fake, ...renderWithStore(<ScannerSection />, fake.api, 'settings') };
}

describe('ScannerSection', () => {
  it('shows what each server asked for, the count sent, and the last scans in captioned tables', async () => {
    setup();
    const targets = await screen.findByRole('table', { name: 'What each server asked for and received' });
    const row = within(targets).getByRole('row', { name: /Acme\/ALL/ });
    expect(within(row).getByRole('rowheader').textContent).toBe('Acme/ALL');
    expect(row.textContent).toContain('after each sign-in');
    expect(row.textContent).toContain('client-auth, smime');
    expect(row.textContent).toContain('3 (1 stored, 2 skipped by the server)');
    const scans = screen.getByRole('table', { name: 'Last scans' });
    expect(
      within(scans)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['When', 'Server', 'Started by', 'Result', 'Scanned', 'Matching', 'Sent', 'Problems']);
    const cells = within(scans).getAllByRole('row')[1]!;
    expect(cells.textContent).toContain('sign-in');
    expect(cells.textContent).toContain('files in /home/me/certs (personal): 6');
    expect(cells.textContent).toContain('3 (1 stored, 2 skipped)');
    expect(cells.textContent).toContain('1 file skipped');
  });

  it('says why a scan failed in the user’s language from its code', async () => {
    const failed = {
      ...report.lastScans[0]!,
      status: 'failed',
      error: 'connect ECONNREFUSED kt.acme.test:443',
      errorText: { code: 'network.refused', params: { host: 'kt.acme.test:443' }, message: 'connect ECONNREFUSED' },
    };
    try {
      act(() => void applyLanguageSetting('de'));
      setup({ lastScans: [failed] });
      const scans = await screen.findByRole('table', { name: 'Letzte Suchläufe' });
      expect(within(scans).getAllByRole('row')[1]!.textContent).toContain(
        'kt.acme.test:443 hat die Verbindung abgelehnt. Läuft der Server, und stimmt die Adresse in der Anbieterdatei?',
      );
    } finally {
      act(() => void applyLanguageSetting('en'));
    }
  });

  it('names where a scan looked and the store types in the user’s language; an unknown place keeps the core’s words', async () => {
    const scan = {
      ...report.lastScans[0]!,
      scanned: [
        {
          source: 'NSS database /home/me/.pki/nssdb',
          place: { kind: 'nss' as const, where: '/home/me/.pki/nssdb' },
          storeType: 'personal',
          certificates: 2,
        },
        {
          source: 'files in (no folders configured)',
          place: { kind: 'folders' as const, where: '' },
          storeType: 'system',
          certificates: 0,
        },
        { source: 'agent file store', storeType: 'personal', certificates: 1 },
      ],
    };
    try {
      act(() => void applyLanguageSetting('de'));
      setup({ lastScans: [scan] });
      const scans = await screen.findByRole('table', { name: 'Letzte Suchläufe' });
      const cell = within(scans)
        .getAllByRole('listitem')
        .map((li) => li.textContent);
      expect(cell).toEqual([
        'NSS-Datenbank /home/me/.pki/nssdb (persönlich): 2',
        'Dateien (keine Ordner gewählt) (dieser Computer): 0',
        'agent file store (persönlich): 1',
      ]);
    } finally {
      act(() => void applyLanguageSetting('en'));
    }
  });

  it('says when nothing was scanned yet', async () => {
    setup({ targets: [], lastScans: [] });
    expect(await screen.findByText('No scan has run yet.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('adds and removes folders through the core; a refused path stays in the field with the error shown', async () => {
    const { calls, store } = setup();
    await screen.findByText('/home/me/certs');
    const field = screen.getByLabelText('Folder to add (full path)');
    await userEvent.type(field, 'certs');
    await userEvent.click(screen.getAllByRole('button', { name: 'Add' })[0]!);
    await waitFor(() => expect(store.getState().error).toMatch(/not an absolute path/));
    expect((field as HTMLInputElement).value).toBe('certs');
    await userEvent.clear(field);
    await userEvent.type(field, '/srv/certs{Enter}');
    await waitFor(() => expect(screen.getByText('/srv/certs')).toBeTruthy());
    expect((field as HTMLInputElement).value).toBe('');
    expect(calls.filter((c) => c.channel === 'scanner:settings-set').at(-1)?.request).toEqual({
      folders: ['/home/me/certs', '/srv/certs'],
    });
    await userEvent.click(screen.getByRole('button', { name: 'Remove /home/me/certs' }));
    await waitFor(() => expect(screen.queryByText('/home/me/certs')).toBeNull());
    expect(calls.filter((c) => c.channel === 'scanner:settings-set').at(-1)?.request).toEqual({ folders: ['/srv/certs'] });
  });

  it('asks for consent to send private keys, explaining that they leave the computer', async () => {
    const { calls } = setup();
    const box = await screen.findByRole('checkbox', { name: 'Send private keys along with the certificates' });
    expect((box as HTMLInputElement).checked).toBe(false);
    expect(box.getAttribute('aria-describedby')).toBe('scanner-keys-help');
    expect(document.getElementById('scanner-keys-help')?.textContent).toMatch(/they leave this computer/);
    await userEvent.click(box);
    await waitFor(() => expect((box as HTMLInputElement).checked).toBe(true));
    expect(calls.find((c) => c.channel === 'scanner:settings-set')?.request).toEqual({ sendPrivateKeys: true });
  });

  it('the scanning consent is the user\'s until the policy pins it: then disabled and "Managed by your organisation" (issue 20)', async () => {
    const { calls } = setup();
    const box = await screen.findByRole('checkbox', { name: 'Let KeyTalk servers have this computer scanned for certificates' });
    expect((box as HTMLInputElement).disabled).toBe(false);
    await userEvent.click(box);
    await waitFor(() =>
      expect(calls.find((c) => c.channel === 'scanner:settings-set')?.request).toEqual({ scanningEnabled: false }),
    );
  });

  it('a policy-locked scanning consent and private-key consent are disabled and marked managed', async () => {
    setup({ locked: { scanningEnabled: 'lockedScannerConsent', sendPrivateKeys: 'neverUploadPrivateKeys' } });
    const box = await screen.findByRole('checkbox', { name: 'Let KeyTalk servers have this computer scanned for certificates' });
    expect((box as HTMLInputElement).disabled).toBe(true);
    expect(
      (screen.getByRole('checkbox', { name: 'Send private keys along with the certificates' }) as HTMLInputElement).disabled,
    ).toBe(true);
    expect(screen.getAllByTestId('managed').map((e) => e.textContent)).toEqual([
      'Managed by your organisation',
      'Managed by your organisation',
    ]);
    expect((screen.getByRole('checkbox', { name: 'Also report expired certificates' }) as HTMLInputElement).disabled).toBe(false);
  });

  it('previews a scan and lists its certificates', async () => {
    const { calls } = setup();
    await userEvent.click(await screen.findByRole('button', { name: 'Preview (send nothing)' }));
    expect(calls.find((c) => c.channel === 'scanner:scan-now')?.request).toEqual({ dryRun: true });
    const list = await screen.findByTestId('scanner-run');
    expect(list.textContent).toContain('CN=client-1 (client-auth): would be sent');
  });
});
