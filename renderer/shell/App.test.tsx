import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { baseState, fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { strings } from '../strings';
import { App } from './App';

describe('App shell', () => {
  it('shows the state from the core in the header and opens Enroll on first run', async () => {
    const { api } = fakeApi();
    renderWithStore(<App />, api);
    expect((await screen.findByTestId('agent-home')).textContent).toContain('/home/test/.config/keytalk-agent');
    expect(screen.getByRole('status', { name: 'Agent status' }).textContent).toContain('Idle');
    expect(screen.getByRole('heading', { level: 2, name: 'Enroll' })).toBeTruthy();
  });

  it('a page chosen while the first state is still loading is kept (first run must not pull the user to Enroll)', async () => {
    let release!: () => void;
    const loaded = new Promise<void>((r) => (release = r));
    const { api } = fakeApi({ 'agent:get-state': async () => (await loaded, baseState) });
    renderWithStore(<App />, api);
    await userEvent.click(screen.getByRole('button', { name: 'Settings' }));
    release();
    await screen.findByTestId('agent-home');
    expect(screen.getByRole('heading', { level: 2, name: 'Settings' })).toBeTruthy();
  });

  it('follows agent:state events (status and unread badge)', async () => {
    const { api, emit } = fakeApi();
    renderWithStore(<App />, api, 'certificates');
    await screen.findByTestId('agent-home');
    act(() => emit('agent:state', { ...baseState, status: 'error', unreadMessages: 3, lastError: 'server unreachable' }));
    expect(screen.getByRole('status', { name: 'Agent status' }).textContent).toContain('Error');
    expect(screen.getByText('server unreachable')).toBeTruthy();
    expect(screen.getByLabelText('3 unread').textContent).toContain('3');
  });

  it('"Needs attention" says what needs attention, leads there, and clears when the flow ends', async () => {
    const { api, emit } = fakeApi();
    renderWithStore(<App />, api, 'certificates');
    await screen.findByTestId('agent-home');
    expect(screen.queryByTestId('attention-what')).toBeNull();
    act(() => emit('agent:state', { ...baseState, status: 'attention', activeFlow: 'f1' }));
    const what = screen.getByTestId('attention-what');
    // No prompt known yet in this window: it says that something waits, not what (StatusHeader.test.tsx names it).
    expect(what.textContent).toContain('Something is waiting for your answer.');
    await userEvent.click(within(what).getByRole('button', { name: 'Show it' }));
    expect(screen.getByRole('heading', { level: 2, name: 'Enroll' })).toBeTruthy();
    act(() => emit('agent:state', { ...baseState, status: 'idle' }));
    expect(screen.queryByTestId('attention-what')).toBeNull();
    expect(screen.getByRole('status', { name: 'Agent status' }).textContent).not.toContain('Needs attention');
  });

  it('a window opened while a flow waits (tray "Renew now", a reload, a closed popup) takes up its prompt from the core', async () => {
    const waiting = {
      flowId: 'r1',
      provider: 'Acme',
      service: 'EMAIL',
      prompt: {
        kind: 'credentials' as const,
        fields: [{ name: 'PASSWD' as const, label: 'Password', secret: true }],
        offerRemember: false,
      },
    };
    const { api, calls } = fakeApi({
      'agent:get-state': () => ({ ...baseState, status: 'attention', activeFlow: 'r1' }),
      'flow:current': () => ({ waiting }),
      'flow:answer': () => ({ ok: true }),
    });
    renderWithStore(<App />, api, 'certificates');
    await userEvent.click(await screen.findByRole('button', { name: 'Show it' }));
    // The sign-in form names whom it is for, and answering it goes to that flow.
    expect(await screen.findByRole('heading', { level: 3, name: 'Sign in to Acme — EMAIL' })).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Password'), 'pw');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(calls.find((c) => c.channel === 'flow:answer')?.request).toMatchObject({ flowId: 'r1' });
    expect(calls.filter((c) => c.channel === 'flow:current')).toHaveLength(1);
  });

  it('navigates with the keyboard and marks the current page', async () => {
    const { api } = fakeApi();
    renderWithStore(<App />, api, 'certificates');
    await screen.findByTestId('agent-home');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const settings = within(nav).getByRole('button', { name: 'Settings' });
    settings.focus();
    await userEvent.keyboard('{Enter}');
    expect(settings.getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('heading', { level: 2, name: 'Settings' })).toBeTruthy();
  });

  it('shows an error from the core in the alert region', async () => {
    const { api } = fakeApi({
      'certs:list': () => {
        throw new Error('[handler-failed] store is locked');
      },
    });
    renderWithStore(<App />, api);
    expect((await screen.findByText(/store is locked/)).closest('[role=alert]')?.textContent).toContain('store is locked');
  });

  it('without the agent (no access key in the link) it says what to do and shows no false empty page', async () => {
    const refused = () => {
      throw new Error(`[handler-failed] ${strings.bridge.noToken}`);
    };
    const { api } = fakeApi({
      'settings:get': refused,
      'agent:get-state': refused,
      'certs:list': refused,
      'messages:list': refused,
    });
    renderWithStore(<App />, api, 'certificates');
    expect((await screen.findByRole('alert')).textContent).toContain('Open the link the agent printed');
    expect(screen.getByRole('status', { name: 'Agent status' }).textContent).toContain('Not connected');
    expect(screen.queryByText('No certificates yet. Enroll one from a provider.')).toBeNull();
    expect(screen.queryByRole('heading', { level: 2 })).toBeNull();
  });
});
