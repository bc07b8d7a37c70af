import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { FlowPrompt } from '../../app/model/flow-types';
import { fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { FlowPanel } from './FlowPanel';

const rootFp = `${'AB:'.repeat(31)}AB`;
const issuingFp = `${'0C:'.repeat(31)}0C`;
const trustPrompt: FlowPrompt = {
  kind: 'confirm-trust',
  host: 'ca.example.org:8443',
  fingerprints: [`CN=Root — SHA-256 ${rootFp}`, `CN=Issuing — SHA-256 ${issuingFp}`],
  certificates: [
    { subject: 'O=Example, CN=Example Root CA', sha256: rootFp },
    { subject: 'O=Example, CN=Example Issuing CA', sha256: issuingFp },
  ],
};

function setup(prompt: FlowPrompt = trustPrompt) {
  const fake = fakeApi({ 'flow:answer': () => ({ ok: true }), 'flow:cancel': () => ({ ok: true }) });
  const r = renderWithStore(<FlowPanel />, fake.api, 'enroll');
  act(() => fake.emit('flow:prompt', { flowId: 'f1', prompt }));
  const answers = () =>
    fake.calls.filter((c) => c.channel === 'flow:answer').map((c) => (c.request as { answer: unknown }).answer);
  return { ...fake, ...r, answers };
}

describe('confirm-trust prompt (Online CA first contact)', () => {
  it('names the host, explains trust on first use and shows each CA with its fingerprint in monospace', () => {
    setup();
    const panel = screen.getByTestId('confirm-trust');
    expect(
      screen.getByRole('heading', { name: 'First connection to the Online CA at ca.example.org:8443: trust this CA?' }),
    ).toBeTruthy();
    expect(panel.textContent).toContain('trust on first use');
    expect(panel.textContent).toContain('Compare the SHA-256 fingerprints below with the ones your CA operator published');
    expect(panel.textContent).toContain('nothing is stored, and someone may be intercepting the connection');
    expect(within(panel).getByText('O=Example, CN=Example Root CA')).toBeTruthy();
    const fps = screen.getAllByTestId('trust-fingerprint');
    expect(fps.map((f) => f.textContent)).toEqual([rootFp, issuingFp]);
    for (const f of fps) expect(f.className).toContain('mono');
    // The region is described by the explanation, so a screen reader reads why before the buttons.
    expect(panel.getAttribute('aria-describedby')).toBe('trust-why trust-compare');
  });

  it('does not pre-focus "Trust this CA" (Enter must not accept an unread CA); it answers accept', async () => {
    const { answers } = setup();
    const trust = screen.getByRole('button', { name: 'Trust this CA' });
    expect(document.activeElement).not.toBe(trust);
    await userEvent.click(trust);
    expect(answers()).toEqual([{ kind: 'confirm-trust', accept: true }]);
  });

  it('Cancel declines the CA (the engine stores nothing) rather than just closing the panel', async () => {
    const { answers, calls } = setup();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(answers()).toEqual([{ kind: 'confirm-trust', accept: false }]);
    expect(calls.some((c) => c.channel === 'flow:cancel')).toBe(false);
  });

  it('falls back to the terminal lines in monospace when the engine sends no structured list', () => {
    setup({ kind: 'confirm-trust', host: 'ca.example.org', fingerprints: [`CN=Root — SHA-256 ${rootFp}`] });
    const [line] = screen.getAllByTestId('trust-fingerprint');
    expect(line!.textContent).toBe(`CN=Root — SHA-256 ${rootFp}`);
    expect(line!.closest('ul')!.className).toContain('mono');
  });
});
