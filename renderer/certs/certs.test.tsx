import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { DisclaimerSummary } from '../../app/ipc/contract';
import { DisclaimersSection } from '../pages/DisclaimersSection';
import { SettingsPage } from '../pages/SettingsPage';
import { fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { ExportForm } from './ExportForm';
import { PendingApprovals } from './PendingApprovals';

const fp = 'CD'.repeat(32);

describe('ExportForm', () => {
  it('refuses a short or mistyped password before calling the core, then downloads the P12', async () => {
    const { api, calls } = fakeApi({ 'certs:export': () => ({ fileName: 'alice.p12', dataBase64: 'AAEC' }) });
    const download = vi.fn();
    const onDone = vi.fn();
    const { store } = renderWithStore(
      <ExportForm fingerprint={fp} subject="CN=alice" onDone={onDone} download={download} />,
      api,
    );
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
    expect(calls.find((c) => c.channel === 'certs:export')?.request).toEqual({
      sha256Fingerprint: fp,
      password: 'long-enough-1',
    });
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
    const { store } = renderWithStore(
      <ExportForm fingerprint={fp} subject="CN=alice" onDone={onDone} download={download} />,
      api,
    );
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
    expect(store.getState().notice).toBe('Checked 1 request: 1 issued.');
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
  it('"Check disclaimers now" runs the check, shows the new one and says so; a failed check shows why', async () => {
    let list: DisclaimerSummary[] = [d];
    let fail = false;
    const { api, calls } = fakeApi({
      'disclaimers:list': () => list,
      'disclaimers:check': () => {
        if (fail) throw new Error('[handler-failed] checking the e-mail disclaimer failed for alice@acme.test: 503');
        list = [
          {
            ...d,
            name: 'Acme legal v2',
            preview: 'New words',
            appliedAt: '2026-11-03T10:00:00Z',
            checkedAt: '2026-11-03T10:00:00Z',
          },
        ];
        return list;
      },
    });
    const { store } = renderWithStore(<DisclaimersSection />, api);
    await screen.findByRole('heading', { name: 'Acme legal' });
    fireEvent.click(screen.getByRole('button', { name: 'Check disclaimers now' }));
    expect(await screen.findByRole('heading', { name: 'Acme legal v2' })).toBeTruthy();
    expect(screen.getByText('New words')).toBeTruthy();
    expect(calls.filter((c) => c.channel === 'disclaimers:check')).toHaveLength(1);
    expect(store.getState().notice).toBe('The email disclaimer Acme legal v2 was updated');
    await waitFor(() =>
      expect((screen.getByRole('button', { name: 'Check disclaimers now' }) as HTMLButtonElement).disabled).toBe(false),
    );
    await act(() => store.getState().checkDisclaimers());
    expect(store.getState().notice).toBe('Email disclaimers checked: no change');
    fail = true;
    await act(() => store.getState().checkDisclaimers());
    expect(store.getState().error).toMatch(/checking the e-mail disclaimer failed for alice@acme\.test/);
  });

  it('a disclaimer:changed event from the core refreshes the list and is announced; a removal too', async () => {
    let list: DisclaimerSummary[] = [d];
    const { api, emit } = fakeApi({ 'disclaimers:list': () => list });
    const { store } = renderWithStore(<DisclaimersSection />, api);
    await screen.findByRole('heading', { name: 'Acme legal' });
    list = [{ ...d, name: 'Acme legal v3', appliedAt: '2026-11-04T10:00:00Z' }];
    act(() =>
      emit('disclaimer:changed', { provider: 'Acme', service: 'SMIME', email: 'alice@acme.test', name: 'Acme legal v3' }),
    );
    expect(await screen.findByRole('heading', { name: 'Acme legal v3' })).toBeTruthy();
    expect(store.getState().notice).toBe('The email disclaimer Acme legal v3 was updated');
    list = [];
    act(() => emit('disclaimer:changed', { provider: 'Acme', service: 'SMIME', email: 'alice@acme.test' }));
    expect(await screen.findByText('No email disclaimer is set by your providers.')).toBeTruthy();
    expect(store.getState().notice).toBe('The email disclaimer for alice@acme.test was removed');
  });
});

describe('unattended renewal', () => {
  it('a certs:renewed event from the scheduler is announced and the certificate list is read again', async () => {
    const { api, calls, emit } = fakeApi();
    const { store } = renderWithStore(<PendingApprovals />, api);
    const before = calls.filter((c) => c.channel === 'certs:list').length;
    act(() =>
      emit('certs:renewed', {
        provider: 'Acme',
        service: 'EMAIL',
        subject: 'CN=alice',
        sha256Fingerprint: fp,
        notAfter: '2027-03-01T12:00:00Z',
      }),
    );
    expect(store.getState().notice).toMatch(/^CN=alice was renewed, valid until /);
    await waitFor(() => expect(calls.filter((c) => c.channel === 'certs:list').length).toBe(before + 1));
  });
});

describe('SettingsPage about and logs', () => {
  it('shows the versions and licence from app:about and opens the log folder', async () => {
    const { api, calls } = fakeApi({
      'app:about': () => ({
        agent: '1.2.3',
        node: '20.11.0',
        electron: '33.0.0',
        chrome: '130.0',
        rcdpVersions: ['2.8.3', '2.0.0'],
        license: 'Apache-2.0',
      }),
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
