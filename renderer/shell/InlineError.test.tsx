import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ProviderSummary } from '../../app/ipc/contract';
import { EnrollPage } from '../pages/EnrollPage';
import { SettingsPage } from '../pages/SettingsPage';
import { baseSettings, baseState, fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { Alerts } from './Alerts';

/** Issue 19, "Messages where the user looks": an error is shown beside the control that caused it, and goes away on the next success. */
const acme: ProviderSummary = { name: 'Acme', kind: 'keytalk', server: 'kt.acme.test', services: [{ name: 'EMAIL' }] };
const other: ProviderSummary = { name: 'Other', kind: 'keytalk', server: 'kt.other.test', services: [{ name: 'VPN' }] };

describe('errors beside their control', () => {
  it("the Enroll page says a refused start beside that provider's service select, not in the alert region, and clears it on success", async () => {
    let refuse = true;
    const { api } = fakeApi({
      'agent:get-state': () => ({ ...baseState, providers: [acme, other] }),
      'enroll:start': () => {
        if (refuse) throw new Error('[handler-failed] service "EMAIL" is not offered by provider "Acme" any more');
        return { flowId: 'f1' };
      },
    });
    const { store } = renderWithStore(
      <>
        <Alerts />
        <EnrollPage />
      </>,
      api,
      'enroll',
    );
    await act(() => store.getState().load());
    const [acmeCard, otherCard] = screen.getAllByRole('listitem');
    await userEvent.click(within(acmeCard!).getByRole('button', { name: 'Request certificate' }));

    const inline = await within(acmeCard!).findByTestId('inline-error');
    expect(inline.textContent).toContain('service "EMAIL" is not offered by provider "Acme" any more');
    expect(inline.getAttribute('role')).toBe('alert');
    const select = within(acmeCard!).getByLabelText('Service');
    expect(select.getAttribute('aria-invalid')).toBe('true');
    expect(select.getAttribute('aria-describedby')).toBe(inline.id);
    // Said once, where the user looks: not again at the top, not beside the other provider.
    expect(screen.queryByTestId('error-text')).toBeNull();
    expect(within(otherCard!).queryByTestId('inline-error')).toBeNull();

    refuse = false;
    await userEvent.click(within(acmeCard!).getByRole('button', { name: 'Request certificate' }));
    expect(store.getState().flow?.flowId).toBe('f1');
    expect(screen.queryByTestId('inline-error')).toBeNull();
    expect(store.getState().error).toBeUndefined();
  });

  it('Settings says a refused change beside the settings changed, and the next saved change clears it', async () => {
    let refuse = true;
    const { api } = fakeApi({
      'agent:get-state': () => baseState,
      'settings:set': (patch) => {
        if (refuse) throw new Error('[handler-failed] settings.json could not be written: disk full');
        return { ...baseSettings, ...patch };
      },
    });
    const { store } = renderWithStore(
      <>
        <Alerts />
        <SettingsPage />
      </>,
      api,
      'settings',
    );
    await act(() => store.getState().load());
    const general = screen.getByRole('group', { name: 'General' });
    await userEvent.selectOptions(within(general).getByLabelText('Log level'), 'debug');
    expect((await within(general).findByTestId('inline-error')).textContent).toContain('disk full');
    expect(screen.queryByTestId('error-text')).toBeNull();

    refuse = false;
    await userEvent.selectOptions(within(general).getByLabelText('Log level'), 'warn');
    expect(within(general).queryByTestId('inline-error')).toBeNull();
    expect(store.getState().error).toBeUndefined();
  });

  it('an error without a place still goes to the alert region', async () => {
    const { api } = fakeApi({
      'certs:list': () => {
        throw new Error('[handler-failed] store is locked');
      },
    });
    const { store } = renderWithStore(<Alerts />, api);
    await act(() => store.getState().refreshCerts());
    expect(screen.getByTestId('error-text').textContent).toBe('store is locked');
  });
});
