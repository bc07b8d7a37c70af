import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { FlowPrompt } from '../../app/model/flow-types';
import { fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { FlowPanel } from './FlowPanel';
import { applyLanguageSetting } from '../i18n/i18n';

const prompt: FlowPrompt = {
  kind: 'system-store',
  reason: 'the agent is not running as an administrator, so it cannot write the LocalMachine\\My store',
};

function setup() {
  const fake = fakeApi({ 'flow:answer': () => ({ ok: true }), 'flow:cancel': () => ({ ok: true }) });
  renderWithStore(<FlowPanel />, fake.api, 'enroll');
  act(() => fake.emit('flow:prompt', { flowId: 'f1', prompt }));
  return () => fake.calls.filter((c) => c.channel === 'flow:answer').map((c) => (c.request as { answer: unknown }).answer);
}

describe('system-store prompt (store-to-system without the rights)', () => {
  it('says why the machine store cannot be used and answers "use my own store"', async () => {
    const answers = setup();
    expect(screen.getByRole('heading', { name: 'The machine certificate store cannot be used' })).toBeTruthy();
    expect(screen.getByTestId('system-store').textContent).toContain('not running as an administrator');
    await userEvent.click(screen.getByRole('button', { name: 'Use my own store' }));
    expect(answers()).toEqual([{ kind: 'system-store', useUserStore: true }]);
  });

  it('says the reason in German from its code', () => {
    const fake = fakeApi();
    try {
      act(() => void applyLanguageSetting('de'));
      renderWithStore(<FlowPanel />, fake.api, 'enroll');
      const reasonText = { code: 'store.system-not-admin', message: prompt.reason };
      act(() => fake.emit('flow:prompt', { flowId: 'f1', prompt: { ...prompt, reasonText } }));
      expect(screen.getByTestId('system-store').textContent).toContain(
        'der Agent läuft nicht als Administrator und kann daher nicht in den Speicher LocalMachine\\My schreiben',
      );
    } finally {
      act(() => void applyLanguageSetting('en'));
    }
  });

  it('Cancel declines the user store', async () => {
    const answers = setup();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(answers()).toEqual([{ kind: 'system-store', useUserStore: false }]);
  });
});
