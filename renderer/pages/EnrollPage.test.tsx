import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ProviderSummary } from '../../app/ipc/contract';
import { baseState, fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { EnrollPage } from './EnrollPage';
import { applyLanguageSetting } from '../i18n/i18n';

const logo = 'data:image/png;base64,iVBORw0KGgo=';
const provider: ProviderSummary = {
  name: 'Acme',
  kind: 'keytalk',
  server: 'keytalk.acme.test',
  services: [{ name: 'EMAIL' }, { name: 'VPN' }],
  logo,
};

describe('EnrollPage', () => {
  it('renders before the core answered (first run) and offers the RCCD import', async () => {
    const { api } = fakeApi();
    renderWithStore(<EnrollPage />, api, 'enroll');
    expect(screen.getByText(/import the configuration file/i)).toBeTruthy();
    expect(screen.getByLabelText('Choose an .rccd file')).toBeTruthy();
  });

  it('imports a picked .rccd as base64 and shows the provider with its logo', async () => {
    let imported = false;
    const { api, calls } = fakeApi({
      'providers:import-rccd': () => {
        imported = true;
        return provider;
      },
      'agent:get-state': () => ({ ...baseState, providers: imported ? [provider] : [] }),
    });
    const { store } = renderWithStore(<EnrollPage />, api, 'enroll');
    await act(() => store.getState().load());
    const file = new File([new Uint8Array([0x50, 0x4b, 3, 4])], 'acme.rccd');
    await userEvent.upload(screen.getByLabelText('Choose an .rccd file'), file);
    expect(await screen.findByRole('img', { name: 'Acme logo' })).toBeTruthy();
    const call = calls.find((c) => c.channel === 'providers:import-rccd');
    expect(call?.request).toEqual({ fileName: 'acme.rccd', dataBase64: 'UEsDBA==' });
    expect(store.getState().notice).toBe('Imported provider Acme');
  });

  it('asks before importing an RCCD that vouches for itself, and imports it only after "Import anyway"', async () => {
    const requests: unknown[] = [];
    const { api } = fakeApi({
      'providers:import-rccd': (req) => {
        requests.push(req);
        return (req as { acceptUnsigned?: boolean }).acceptUnsigned
          ? provider
          : { needsConfirmation: ['its v1 manifest is unsigned'] };
      },
    });
    const { store } = renderWithStore(<EnrollPage />, api, 'enroll');
    await userEvent.upload(screen.getByLabelText('Choose an .rccd file'), new File(['x'], 'v1.rccd'));
    const dialog = await screen.findByRole('alertdialog', { name: 'This configuration file vouches for itself' });
    expect(dialog.textContent).toContain('its v1 manifest is unsigned');
    expect(store.getState().notice).toBeUndefined();
    await userEvent.click(screen.getByRole('button', { name: 'Import anyway' }));
    await waitFor(() => expect(store.getState().notice).toBe('Imported provider Acme'));
    expect(requests).toEqual([
      { fileName: 'v1.rccd', dataBase64: 'eA==' },
      { fileName: 'v1.rccd', dataBase64: 'eA==', acceptUnsigned: true },
    ]);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('lists why in Dutch from the reasons’ codes', async () => {
    const { api } = fakeApi({
      'providers:import-rccd': () => ({
        needsConfirmation: ['its v1 manifest is unsigned'],
        needsConfirmationTexts: [{ code: 'rccd.unsigned', message: 'its v1 manifest is unsigned' }],
      }),
    });
    try {
      act(() => void applyLanguageSetting('nl'));
      renderWithStore(<EnrollPage />, api, 'enroll');
      await userEvent.upload(screen.getByLabelText(/\.rccd/), new File(['x'], 'v1.rccd'));
      const dialog = await screen.findByRole('alertdialog');
      expect(dialog.textContent).toContain('De beschrijving (v1-manifest) is niet ondertekend.');
      expect(dialog.textContent).not.toContain('its v1 manifest');
    } finally {
      act(() => void applyLanguageSetting('en'));
    }
  });

  it('imports nothing when the user declines an RCCD that vouches for itself', async () => {
    const requests: unknown[] = [];
    const { api } = fakeApi({
      'providers:import-rccd': (req) => {
        requests.push(req);
        return { needsConfirmation: ['its v1 manifest is unsigned'] };
      },
    });
    renderWithStore(<EnrollPage />, api, 'enroll');
    await userEvent.upload(screen.getByLabelText('Choose an .rccd file'), new File(['x'], 'v1.rccd'));
    await screen.findByRole('alertdialog');
    await userEvent.click(screen.getByRole('button', { name: 'Do not import' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(requests).toHaveLength(1);
  });

  it('imports a dropped .rccd', async () => {
    const { api, calls } = fakeApi({ 'providers:import-rccd': () => provider });
    renderWithStore(<EnrollPage />, api, 'enroll');
    const file = new File(['x'], 'dropped.rccd');
    fireEvent.drop(screen.getByTestId('rccd-dropzone'), { dataTransfer: { files: [file] } });
    await screen.findByText(/drop it here/);
    await new Promise((r) => setTimeout(r, 20));
    expect(calls.find((c) => c.channel === 'providers:import-rccd')?.request).toMatchObject({ fileName: 'dropped.rccd' });
  });

  it('starts an enrollment for the chosen service', async () => {
    const { api, calls } = fakeApi({
      'agent:get-state': () => ({ ...baseState, providers: [provider] }),
      'enroll:start': () => ({ flowId: 'f1' }),
    });
    const { store } = renderWithStore(<EnrollPage />, api, 'enroll');
    await act(() => store.getState().load());
    await userEvent.selectOptions(screen.getByLabelText('Service'), 'VPN');
    await userEvent.click(screen.getByRole('button', { name: 'Request certificate' }));
    // Cert options are always 'ask': the engine shows that form only where cn-customization-policy allows it.
    expect(calls.find((c) => c.channel === 'enroll:start')?.request).toEqual({
      provider: 'Acme',
      service: 'VPN',
      certOptions: 'ask',
    });
    expect(store.getState().flow?.flowId).toBe('f1');
    expect(screen.getByTestId('flow-panel')).toBeTruthy();
  });

  it('keeps format, CSR and out-of-band under a collapsed "Advanced" and sends what the user chose there', async () => {
    const onlineCa: ProviderSummary = { name: 'Web CA', kind: 'onlineca', server: 'ca.test', services: [{ name: 'TLS' }] };
    const { api, calls } = fakeApi({
      'agent:get-state': () => ({ ...baseState, providers: [provider, onlineCa] }),
      'enroll:start': () => ({ flowId: 'f2' }),
    });
    const { store } = renderWithStore(<EnrollPage />, api, 'enroll');
    await act(() => store.getState().load());
    const advanced = screen.getByText('Advanced').closest('details')!;
    expect(advanced.open).toBe(false);
    // Only the KeyTalk provider has RCDP choices; the Online CA card has no Advanced section.
    expect(screen.getAllByText('Advanced')).toHaveLength(1);
    await userEvent.click(screen.getByText('Advanced'));
    expect(advanced.open).toBe(true);
    await userEvent.selectOptions(screen.getByLabelText('Certificate package format'), 'PEM');
    await userEvent.click(screen.getByLabelText('Generate the key on this computer (CSR)'));
    await userEvent.click(screen.getByLabelText('Download the certificate separately (out-of-band)'));
    await userEvent.click(screen.getAllByRole('button', { name: 'Request certificate' })[0]!);
    expect(calls.find((c) => c.channel === 'enroll:start')?.request).toEqual({
      provider: 'Acme',
      service: 'EMAIL',
      format: 'PEM',
      csr: true,
      outOfBand: true,
      certOptions: 'ask',
    });
  });

  it('shows an import error from the core', async () => {
    const { api } = fakeApi({
      'providers:import-rccd': () => {
        throw new Error('[handler-failed] acme.rccd is not an RCCD (no index.yaml); ask your administrator for a new one');
      },
    });
    const { store } = renderWithStore(<EnrollPage />, api, 'enroll');
    await userEvent.upload(screen.getByLabelText('Choose an .rccd file'), new File(['x'], 'acme.rccd'));
    await new Promise((r) => setTimeout(r, 20));
    expect(store.getState().error).toBe('acme.rccd is not an RCCD (no index.yaml); ask your administrator for a new one');
  });
});
