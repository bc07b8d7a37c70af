import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { DisclaimerSummary } from '../../app/ipc/contract';
import { DisclaimersSection } from '../pages/DisclaimersSection';
import { SettingsPage } from '../pages/SettingsPage';
import { fakeApi, renderWithStore } from '../test-utils';
import { ExportForm } from './ExportForm';
import { PendingApprovals } from './PendingApprovals';

const fp = 'CD'.repeat(32);

describe('ExportForm', () => {
  it('refuses a short or mistyped password before calling the core, then downloads the P12', async () => {
    const { api, calls } = fakeApi({ 'certs:export': () => ({ fileName: 'alice.p12', dataBase64: 'AAEC' }) });
    const download = vi.fn();
    const onDone = vi.fn();
    const { store } = renderWithStore(<ExportForm fingerprint={fp} subject="CN=alice" onDone={onDone} download={download} />, api);
    const pw = screen.getByLabelText('Password for the file');
    const again = screen.getByLabelText('Repeat the password');
    await userEvent.type(pw, 'short');
    await userEvent.type(again, 'short');
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(screen.getByRole('alert').textContent).toBe('Use at least 8 characters.');
    await userEvent.clear(pw);
    await userEvent.type(pw, 'long-enough-1');
    await userEvent.clear(again);
    await userEvent.type(again, 'long-enough-2');
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(screen.getByRole('alert').textContent).toBe('The passwords do not match.');
    expect(calls.some((c) => c.channel === 'certs:export')).toBe(false);
    await userEvent.clear(again);
    await userEvent.type(again, 'long-enough-1');
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(calls.find((c) => c.channel === 'certs:export')?.request).toEqual({ sha256Fingerprint: fp, password: 'long-enough-1' });
    expect(download).toHaveBeenCalledWith('alice.p12', 'AAEC');
    expect(onDone).toHaveBeenCalled();
    expect(store.getState().notice).toBe('Exported alice.p12');
  });

  it('keeps the form open and shows the core error when the export fails', async () => {
    const { api } = fakeApi({
      'certs:export': () => {
        throw new Error('certificate has no private key in the file store');
      },
    });
    const download = vi.fn();
    const onDone = vi.fn();
    const { store } = renderWithStore(<ExportForm fingerprint={fp} subject="CN=alice" onDone={onDone} download={download} />, api);
    await userEvent.type(screen.getByLabelText('Password for the file'), 'long-enough-1');
    await userEvent.type(screen.getByLabelText('Repeat the password'), 'long-enough-1');
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(download).not.toHaveBeenCalled();
    expect(onDone).not.toHaveBeenCalled();
    expect(store.getState().error).toMatch(/no private key/);
  });
});

describe('PendingApprovals', () => {
  it('is hidden without pending requests, lists them, and "Check now" re-polls and refreshes', async () => {
    let pending = [{ provider: 'Acme', service: 'APPROVAL', since: '2026-11-01T10:00:00Z', lastPolled: '2026-11-01T10:10:00Z' }];
    const { api, calls } = fakeApi({
      'approvals:list': () => pending,
      'approvals:check': () => {
        pending = [];
        return [{ provider: 'Acme', service: 'APPROVAL', status: 'issued' }];
      },
    });
    const { store } = renderWithStore(<PendingApprovals />, api);
    expect(await screen.findByText(/^Acme \/ APPROVAL, requested/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Check now' }));
    expect(calls.some((c) => c.channel === 'approvals:check')).toBe(true);
    expect(store.getState().notice).toBe('Checked 1 request(s): 1 issued.');
    expect(screen.queryByTestId('approvals')).toBeNull();
    expect(calls.filter((c) => c.channel === 'certs:list').length).toBeGreaterThan(0);
  });
});

describe('DisclaimersSection', () => {
  const d: DisclaimerSummary = {
    provider: 'Acme',
    service: 'SMIME',
    email: 'alice@acme.test',
    name: 'Acme legal',
    preview: 'Confidential <img src=x onerror=alert(1)>',
    appliedTo: ['Thunderbird (default)'],
    checkedAt: '2026-11-01T10:00:00Z',
    appliedAt: '2026-11-01T10:00:00Z',
  };

  it('shows name, address, the preview as text (never HTML), the mail clients and the last check', async () => {
    const { api } = fakeApi({ 'disclaimers:list': () => [d] });
    const { container } = renderWithStore(<DisclaimersSection />, api);
    expect(await screen.findByRole('heading', { name: 'Acme legal' })).toBeTruthy();
    expect(screen.getByText('alice@acme.test (Acme)')).toBeTruthy();
    expect(screen.getByText('Confidential <img src=x onerror=alert(1)>')).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByText('Thunderbird (default)')).toBeTruthy();
  });

  it('announces a changed disclaimer and says when none is set', async () => {
    let list: DisclaimerSummary[] = [d];
    const { api } = fakeApi({ 'disclaimers:list': () => list });
    const { store } = renderWithStore(<DisclaimersSection />, api);
    await screen.findByRole('heading', { name: 'Acme legal' });
    expect(store.getState().notice).toBeUndefined();
    list = [{ ...d, name: 'Acme legal 2026', appliedAt: '2026-11-02T10:00:00Z' }];
    await act(() => store.getState().refreshDisclaimers());
    expect(store.getState().notice).toBe('The email disclaimer Acme legal 2026 was updated');
    expect(screen.getByRole('heading', { name: 'Acme legal 2026' })).toBeTruthy();
    list = [];
    await act(() => store.getState().refreshDisclaimers());
    expect(screen.getByText('No email disclaimer is set by your providers.')).toBeTruthy();
  });
});

describe('SettingsPage about and logs', () => {
  it('shows the versions and licence from app:about and opens the log folder', async () => {
    const { api, calls } = fakeApi({
      'app:about': () => ({ agent: '1.2.3', node: '20.11.0', electron: '33.0.0', chrome: '130.0', rcdpVersions: ['2.8.3', '2.0.0'], license: 'Apache-2.0' }),
      'logs:open-folder': () => ({ path: '/home/u/.keytalk/logs', opened: false }),
    });
    const { store } = renderWithStore(<SettingsPage />, api, 'settings');
    expect(await screen.findByText('33.0.0')).toBeTruthy();
    expect(screen.getByText('20.11.0')).toBeTruthy();
    expect(screen.getByText('2.8.3, 2.0.0')).toBeTruthy();
    expect(screen.getByText('Licence: Apache-2.0')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Open log folder' }));
    expect(calls.some((c) => c.channel === 'logs:open-folder')).toBe(true);
    expect(store.getState().notice).toBe('The logs are in /home/u/.keytalk/logs');
  });
});
