import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ProviderSummary } from '../../app/ipc/contract';
import { EnrollPage } from '../pages/EnrollPage';
import { baseState, fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';

const acme: ProviderSummary = { name: 'Acme', kind: 'keytalk', server: 'keytalk.acme.test', services: [{ name: 'EMAIL' }] };
const fp = 'ab'.repeat(32);

async function setup(responders: Parameters<typeof fakeApi>[0] = {}) {
  const fake = fakeApi({ 'agent:get-state': () => ({ ...baseState, providers: [acme] }), ...responders });
  const r = renderWithStore(<EnrollPage />, fake.api, 'enroll');
  await act(() => r.store.getState().load());
  const adds = () => fake.calls.filter((c) => c.channel === 'providers:add-onlineca').map((c) => c.request);
  return { ...fake, ...r, adds };
}

const field = (label: RegExp | string) => screen.getByLabelText(label) as HTMLInputElement;
// Addresses and fingerprints are pasted, as people do (typing them key by key re-renders the page per key and
// made these tests take seconds each under load); short values are typed.
const paste = async (el: HTMLElement, text: string) => {
  await userEvent.click(el);
  await userEvent.paste(text);
};
const submit = () => userEvent.click(screen.getByRole('button', { name: 'Add Online CA' }));
const errorOf = (id: string) => screen.queryByTestId(`onlineca-${id}-error`)?.textContent;

describe('Add an Online CA form', () => {
  it('has a label for every input, renewal at 10 % by default', async () => {
    await setup();
    expect(screen.getByRole('heading', { name: 'Add an Online CA' })).toBeTruthy();
    expect(field('Name').value).toBe('');
    expect(field('URL of the Online CA').type).toBe('url');
    expect(field(/Pinned CA fingerprint/).value).toBe('');
    expect(field(/Renew when less than/).value).toBe('10');
  });

  it('says what is missing, marks and focuses the first bad field, and sends nothing', async () => {
    const { adds } = await setup();
    await submit();
    expect(errorOf('name')).toBe('Enter a name for this provider.');
    expect(errorOf('url')).toBe('Enter the service URL your CA operator gave you.');
    expect(field('Name').getAttribute('aria-invalid')).toBe('true');
    expect(field('Name').getAttribute('aria-describedby')).toBe('onlineca-name-hint onlineca-name-error');
    expect(document.activeElement).toBe(field('Name'));
    expect(adds()).toEqual([]);
  });

  it('explains each rule: taken or bad name, plain http, bad pin, renewal out of range', async () => {
    const { adds } = await setup();
    await userEvent.type(field('Name'), 'Acme');
    await paste(field('URL of the Online CA'), 'http://ca.example.org/onlineca/');
    await paste(field(/Pinned CA fingerprint/), 'AB:CD:EF');
    await userEvent.clear(field(/Renew when less than/));
    await userEvent.type(field(/Renew when less than/), '150');
    await submit();
    expect(errorOf('name')).toBe('A provider named Acme already exists; choose another name or remove that one in Settings.');
    expect(errorOf('url')).toBe('The address must start with https:// (the Online CA is only reachable over HTTPS).');
    expect(errorOf('pin')).toMatch(/^A SHA-256 fingerprint is 64 hexadecimal digits .* Copy it again from your CA operator\.$/);
    expect(errorOf('renewPercent')).toBe('Enter a whole number from 1 to 99.');
    await userEvent.clear(field('Name'));
    await userEvent.type(field('Name'), '../up');
    expect(errorOf('name')).toMatch(/^Use up to 80 letters, digits/);
    await userEvent.clear(field('URL of the Online CA'));
    await paste(field('URL of the Online CA'), 'https://me:pw@ca.example.org/');
    expect(errorOf('url')).toMatch(/^Leave the user name and password out of the address/);
    expect(adds()).toEqual([]);
  });

  it('clears a message once the field is fixed', async () => {
    await setup();
    await submit();
    await userEvent.type(field('Name'), 'Research CA');
    expect(errorOf('name')).toBeUndefined();
    expect(field('Name').getAttribute('aria-invalid')).toBeNull();
    expect(errorOf('url')).toBe('Enter the service URL your CA operator gave you.');
  });

  it('sends the provider with the pin normalised, announces it and lists it as an Online CA', async () => {
    const added: ProviderSummary = {
      name: 'Research CA',
      kind: 'onlineca',
      server: 'https://ca.example.org/onlineca/',
      services: [{ name: 'onlineca', certValidPercent: 20 }],
    };
    let providers = [acme];
    const { adds, store } = await setup({
      'providers:add-onlineca': () => {
        providers = [acme, added];
        return added;
      },
      'agent:get-state': () => ({ ...baseState, providers }),
    });
    await userEvent.type(field('Name'), ' Research CA ');
    await paste(field('URL of the Online CA'), 'https://ca.example.org/onlineca/');
    await paste(field(/Pinned CA fingerprint/), `SHA256:${fp.match(/.{2}/g)!.join(':')}`);
    await userEvent.clear(field(/Renew when less than/));
    await userEvent.type(field(/Renew when less than/), '20');
    await submit();
    expect(adds()).toEqual([
      { name: 'Research CA', url: 'https://ca.example.org/onlineca/', pinSha256: fp.toUpperCase(), renewPercent: 20 },
    ]);
    expect(store.getState().notice).toBe('Added Online CA Research CA. Choose "Request certificate" on it to enroll.');
    expect(await screen.findByRole('heading', { name: 'Research CA' })).toBeTruthy();
    expect(screen.getByText('Online CA')).toBeTruthy();
    expect(field('Name').value).toBe('');
    expect(field(/Renew when less than/).value).toBe('10');
  });

  it('keeps what was typed and shows the core’s reason when it refuses', async () => {
    const { store } = await setup({
      'providers:add-onlineca': () => {
        throw new Error(
          '[handler-failed] An Online CA provider named "Lab" already exists; choose another name or remove that provider first',
        );
      },
    });
    await userEvent.type(field('Name'), 'Lab');
    await paste(field('URL of the Online CA'), 'https://lab.example.org/onlineca/');
    await submit();
    expect(store.getState().error).toBe(
      'An Online CA provider named "Lab" already exists; choose another name or remove that provider first',
    );
    expect(field('Name').value).toBe('Lab');
  });
});
