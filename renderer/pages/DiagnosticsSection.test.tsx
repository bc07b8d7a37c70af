import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DoctorReport } from '../../app/ipc/doctor-contract';
import { fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { SettingsPage } from './SettingsPage';

const failing: DoctorReport = {
  ok: false,
  checkedAt: '2026-12-03T12:00:00Z',
  checks: [
    { id: 'dns', scope: 'Acme', status: 'pass', summary: 'kt.acme.example resolves to 10.0.0.5' },
    { id: 'tls', scope: 'Acme', status: 'fail', summary: 'The server certificate of kt.acme.example … (unknown CA)' },
    { id: 'rcdp', scope: 'Acme', status: 'skip', summary: 'not checked: TLS failed' },
    { id: 'secret-store', scope: 'local', status: 'pass', summary: 'secret store file-key works' },
  ],
};

describe('Settings: Test connection', () => {
  it('runs doctor:run and shows one row per check, the failed one marked, beside the button', async () => {
    const { api, calls } = fakeApi({ 'doctor:run': () => failing });
    renderWithStore(<SettingsPage />, api, 'settings');
    const section = await screen.findByRole('region', { name: 'Diagnostics for the helpdesk' });
    expect(within(section).queryByTestId('doctor-report')).toBeNull();

    await userEvent.click(within(section).getByRole('button', { name: 'Test connection' }));
    expect(calls.filter((c) => c.channel === 'doctor:run').map((c) => c.request)).toEqual([{}]);
    const rows = within(await within(section).findByTestId('doctor-report'))
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((r) => [...r.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent))).toEqual([
      ['Acme', 'Name lookup (DNS)', 'OK'],
      ['Acme', 'Server certificate (TLS)', 'Failed'],
      ['Acme', 'KeyTalk protocol', 'Skipped'],
      ['This computer', 'Saved passwords', 'OK'],
    ]);
    expect(rows[1]!.textContent).toContain('(unknown CA)');
    expect(section.textContent).toContain('Some checks failed');
  });

  it('a test that cannot run says why, next to the button', async () => {
    const { api } = fakeApi({
      'doctor:run': () => {
        throw new Error('a connection test is already running; wait for its result');
      },
    });
    renderWithStore(<SettingsPage />, api, 'settings');
    const section = await screen.findByRole('region', { name: 'Diagnostics for the helpdesk' });
    await userEvent.click(within(section).getByRole('button', { name: 'Test connection' }));
    expect((await within(section).findByRole('alert')).textContent).toContain('already running');
  });

  describe('Create support bundle', () => {
    afterEach(() => vi.restoreAllMocks());

    it('asks the core for the zip and hands it to the browser as a download, then says so', async () => {
      const blobs: Blob[] = [];
      const clicked: string[] = [];
      Object.assign(URL, { createObjectURL: (b: Blob) => (blobs.push(b), 'blob:bundle'), revokeObjectURL: () => undefined });
      vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
        clicked.push(this.download);
      });
      const { api, calls } = fakeApi({
        'diagnostics:bundle': () => ({
          fileName: 'keytalk-agent-support-x.zip',
          dataBase64: btoa('PK\u0003\u0004zip'),
          entries: ['versions.json'],
        }),
      });
      renderWithStore(<SettingsPage />, api, 'settings');
      const section = await screen.findByRole('region', { name: 'Diagnostics for the helpdesk' });
      await userEvent.click(within(section).getByRole('button', { name: 'Create support bundle' }));
      expect(calls.filter((c) => c.channel === 'diagnostics:bundle')).toHaveLength(1);
      expect(clicked).toEqual(['keytalk-agent-support-x.zip']);
      expect(blobs[0]!.type).toBe('application/zip');
      expect(blobs[0]!.size).toBe(7);
      expect((await within(section).findByRole('status')).textContent).toContain('Support bundle downloaded');
    });

    it('a failed bundle says why beside the button', async () => {
      const { api } = fakeApi({
        'diagnostics:bundle': () => {
          throw new Error('a support bundle is already running; wait for its result');
        },
      });
      renderWithStore(<SettingsPage />, api, 'settings');
      const section = await screen.findByRole('region', { name: 'Diagnostics for the helpdesk' });
      await userEvent.click(within(section).getByRole('button', { name: 'Create support bundle' }));
      expect((await within(section).findByRole('alert')).textContent).toContain('support bundle is already running');
    });
  });
});
