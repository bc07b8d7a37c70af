import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FlowPrompt } from '../../app/model/flow-types';
import { fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { applyLanguageSetting } from '../i18n/i18n';
import { FlowPanel } from './FlowPanel';

function setup() {
  const fake = fakeApi({ 'flow:answer': () => ({ ok: true }), 'flow:cancel': () => ({ ok: true }) });
  const r = renderWithStore(<FlowPanel />, fake.api, 'enroll');
  const prompt = (p: FlowPrompt) => act(() => fake.emit('flow:prompt', { flowId: 'f1', prompt: p }));
  const answers = () =>
    fake.calls.filter((c) => c.channel === 'flow:answer').map((c) => (c.request as { answer: unknown }).answer);
  return { ...fake, ...r, prompt, answers };
}

afterEach(() => vi.useRealTimers());

describe('FlowPanel', () => {
  it('names the provider and service the sign-in is for, in English, Dutch and German (issue 19)', () => {
    const { emit } = setup();
    const credentials: FlowPrompt = {
      kind: 'credentials',
      fields: [{ name: 'USERID', label: 'User name', secret: false }],
      offerRemember: false,
    };
    // Without the names (an older core) the heading stays the plain "Sign in".
    act(() => emit('flow:prompt', { flowId: 'f1', prompt: credentials }));
    expect(screen.getByRole('heading', { level: 3 }).textContent).toBe('Sign in');
    act(() => emit('flow:prompt', { flowId: 'f1', prompt: credentials, provider: 'Acme', service: 'Employees' }));
    expect(screen.getByRole('form', { name: 'Sign in to Acme — Employees' })).toBeTruthy();
    try {
      act(() => void applyLanguageSetting('nl'));
      act(() => emit('flow:prompt', { flowId: 'f1', prompt: credentials, provider: 'Acme', service: 'Employees' }));
      expect(screen.getByRole('heading', { level: 3 }).textContent).toBe('Aanmelden bij Acme — Employees');
      act(() => void applyLanguageSetting('de'));
      act(() => emit('flow:prompt', { flowId: 'f1', prompt: credentials, provider: 'Acme', service: 'Employees' }));
      expect(screen.getByRole('heading', { level: 3 }).textContent).toBe('Bei Acme — Employees anmelden');
    } finally {
      act(() => void applyLanguageSetting('en'));
    }
  });

  it('builds the login form from the prompt: server label, hidden secret, remember only when offered', async () => {
    const { prompt, answers } = setup();
    prompt({
      kind: 'credentials',
      fields: [
        { name: 'USERID', label: 'User name', secret: false, value: 'alice' },
        { name: 'PASSWD', label: 'tokencode', secret: true, serverLabel: true },
      ],
      offerRemember: true,
      error: 'wrong password',
    });
    expect(screen.getByRole('alert').textContent).toBe('wrong password');
    expect((screen.getByLabelText('User name') as HTMLInputElement).value).toBe('alice');
    const secret = screen.getByLabelText('tokencode') as HTMLInputElement;
    expect(secret.type).toBe('password');
    await userEvent.type(secret, 's3cret');
    await userEvent.click(screen.getByLabelText(/Remember on this computer/));
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(answers()).toEqual([{ kind: 'credentials', values: { USERID: 'alice', PASSWD: 's3cret' }, remember: true }]);
  });

  it("names the sign-in fields in the user's language; the server's own label stays as the server wrote it (issue 19)", () => {
    const { prompt } = setup();
    try {
      act(() => void applyLanguageSetting('de'));
      prompt({
        kind: 'credentials',
        // The engine's English names for the fields, as the core sends them beside the field names.
        fields: [
          { name: 'USERID', label: 'User name', secret: false },
          { name: 'PASSWD', label: 'Password', secret: true },
        ],
        offerRemember: false,
      });
      expect(screen.getByLabelText('Benutzername')).toBeTruthy();
      expect(screen.getByLabelText('Passwort')).toBeTruthy();
      act(() => void applyLanguageSetting('nl'));
      prompt({
        kind: 'credentials',
        fields: [
          { name: 'USERID', label: 'User name', secret: false },
          { name: 'PASSWD', label: 'tokencode', secret: true, serverLabel: true },
        ],
        offerRemember: false,
      });
      expect(screen.getByLabelText('Gebruikersnaam')).toBeTruthy();
      expect(screen.getByLabelText('tokencode')).toBeTruthy();
      // An Online CA's realm (the server's name for it) inside the user's own words.
      act(() => void applyLanguageSetting('de'));
      prompt({
        kind: 'credentials',
        fields: [
          { name: 'USERID', label: 'User name for realm "Research CA"', realm: 'Research CA', secret: false },
          { name: 'PASSWD', label: 'Password for realm "Research CA"', realm: 'Research CA', secret: true },
        ],
        offerRemember: false,
      });
      expect(screen.getByLabelText('Benutzername für „Research CA“')).toBeTruthy();
      expect(screen.getByLabelText('Passwort für „Research CA“')).toBeTruthy();
    } finally {
      act(() => void applyLanguageSetting('en'));
    }
  });

  it('says how a remembered password would be kept before the user agrees, and shows a policy lock as managed (issue 22)', async () => {
    const fields: Extract<FlowPrompt, { kind: 'credentials' }>['fields'] = [
      { name: 'USERID', label: 'User name', secret: false, value: 'alice' },
      { name: 'PASSWD', label: 'Password', secret: true },
    ];
    const { prompt, answers } = setup();
    prompt({ kind: 'credentials', fields, offerRemember: true, rememberProtection: 'none' });
    const box = screen.getByLabelText(/Remember on this computer/);
    expect(screen.getByTestId('remember-protection').textContent).toMatch(/without real protection/);
    expect(box.getAttribute('aria-describedby')).toBe('remember-protection');
    prompt({ kind: 'credentials', fields, offerRemember: true, rememberProtection: 'weak' });
    expect(screen.getByTestId('remember-protection').textContent).toMatch(/only your user account can read/);
    prompt({ kind: 'credentials', fields, offerRemember: true, rememberProtection: 'os' });
    expect(screen.queryByTestId('remember-protection')).toBeNull();

    prompt({ kind: 'credentials', fields, offerRemember: false, rememberLocked: true, rememberProtection: 'none' });
    const locked = screen.getByLabelText(/Remember on this computer/) as HTMLInputElement;
    expect(locked.disabled).toBe(true);
    expect(screen.getByTestId('managed').textContent).toBe('Managed by your organisation');
    await userEvent.type(screen.getByLabelText('Password') as HTMLInputElement, 'pw');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(answers().at(-1)).toMatchObject({ remember: false });
  });

  it('puts the cursor in the user name first, and in the password after a rejected attempt', () => {
    const { prompt } = setup();
    const fields: Extract<FlowPrompt, { kind: 'credentials' }>['fields'] = [
      { name: 'USERID', label: 'User name', secret: false, value: 'alice' },
      { name: 'PASSWD', label: 'Password', secret: true },
    ];
    prompt({ kind: 'credentials', fields, offerRemember: false });
    expect(document.activeElement).toBe(screen.getByLabelText('User name'));
    prompt({ kind: 'credentials', fields, offerRemember: false, error: 'wrong password' });
    expect(document.activeElement).toBe(screen.getByLabelText('Password'));
  });

  it('does not offer "remember" when renewal does not need it', () => {
    const { prompt } = setup();
    prompt({ kind: 'credentials', fields: [{ name: 'PIN', label: '', secret: true }], offerRemember: false });
    expect(screen.getByLabelText('PIN')).toBeTruthy();
    expect(screen.queryByLabelText(/Remember/)).toBeNull();
  });

  it('answers challenges one by one', async () => {
    const { prompt, answers } = setup();
    prompt({
      kind: 'challenge',
      mode: 'response',
      challenges: [{ name: 'Q1', value: 'Your first pet?' }],
      responseNames: ['Q1'],
    });
    await userEvent.type(screen.getByLabelText('Q1: Your first pet?'), 'rex');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    prompt({ kind: 'challenge', mode: 'response', challenges: [{ name: 'Q2', value: 'Town of birth?' }], responseNames: ['Q2'] });
    await userEvent.type(screen.getByLabelText('Q2: Town of birth?'), 'delft');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(answers()).toEqual([
      { kind: 'challenge', responses: [{ name: 'Q1', value: 'rex' }] },
      { kind: 'challenge', responses: [{ name: 'Q2', value: 'delft' }] },
    ]);
  });

  it('asks for the OTP and says where it was sent', async () => {
    const { prompt, answers } = setup();
    prompt({ kind: 'otp', sentTo: 'a***@acme.test' });
    expect(screen.getByText('A one-time password was sent to a***@acme.test.')).toBeTruthy();
    await userEvent.type(screen.getByLabelText('One-time password'), '123456');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(answers()).toEqual([{ kind: 'otp', otp: '123456' }]);
  });

  it('changes an expired password only when the confirmation matches', async () => {
    const { prompt, answers } = setup();
    prompt({ kind: 'change-password', reason: 'expired' });
    expect(screen.getByText('Your password has expired. Choose a new one.')).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Current password'), 'old');
    await userEvent.type(screen.getByLabelText('New password'), 'new-1');
    await userEvent.type(screen.getByLabelText('Confirm new password'), 'new-2');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(screen.getByRole('alert').textContent).toBe('The new passwords do not match.');
    expect(answers()).toEqual([]);
    await userEvent.clear(screen.getByLabelText('Confirm new password'));
    await userEvent.type(screen.getByLabelText('Confirm new password'), 'new-1');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(answers()).toEqual([{ kind: 'change-password', oldPassword: 'old', newPassword: 'new-1' }]);
  });

  it('lets the user pick the approver email', async () => {
    const { prompt, answers } = setup();
    prompt({ kind: 'approver-email', emails: ['admin@acme.test', 'hostmaster@acme.test'] });
    await userEvent.click(screen.getByLabelText('hostmaster@acme.test'));
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(answers()).toEqual([{ kind: 'approver-email', email: 'hostmaster@acme.test' }]);
  });

  it('shows only the certificate fields the service allows', async () => {
    const { prompt, answers } = setup();
    prompt({ kind: 'cert-options', allowCommonName: true, allowGivenNameSurname: false, allowSanDomains: true });
    expect(screen.queryByLabelText('Given name')).toBeNull();
    await userEvent.type(screen.getByLabelText('Common name'), 'www.acme.test');
    await userEvent.type(screen.getByLabelText('Domain names (one per line)'), 'a.acme.test{enter}b.acme.test');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(answers()).toEqual([
      { kind: 'cert-options', commonName: 'www.acme.test', sanDomains: ['a.acme.test', 'b.acme.test'] },
    ]);
  });

  it('cert-options where only given name and surname are allowed: no common-name field', async () => {
    const { prompt, answers } = setup();
    prompt({ kind: 'cert-options', allowCommonName: false, allowGivenNameSurname: true, allowSanDomains: false });
    expect(screen.queryByLabelText('Common name')).toBeNull();
    expect(screen.queryByLabelText('Domain names (one per line)')).toBeNull();
    await userEvent.type(screen.getByLabelText('Given name'), 'Alice');
    await userEvent.type(screen.getByLabelText('Surname'), 'Liddell');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(answers()).toEqual([{ kind: 'cert-options', givenName: 'Alice', surname: 'Liddell' }]);
  });

  it('counts a DELAY down live, then says the user may try again (no automatic retry)', () => {
    vi.useFakeTimers();
    const { emit } = setup();
    act(() => emit('flow:progress', { flowId: 'f1', progress: { kind: 'wait', seconds: 5, reason: 'delay' } }));
    expect(screen.getByTestId('flow-wait').textContent).toBe('The server rejected the sign-in. You can try again in 5 s.');
    act(() => void vi.advanceTimersByTime(2_000));
    expect(screen.getByTestId('flow-wait').textContent).toBe('The server rejected the sign-in. You can try again in 3 s.');
    act(() => void vi.advanceTimersByTime(10_000));
    expect(screen.getByTestId('flow-wait').textContent).toBe('The server rejected the sign-in. You can try again now.');
  });

  it('shows LOCKED and the outcome', () => {
    const { emit } = setup();
    act(() => emit('flow:progress', { flowId: 'f1', progress: { kind: 'wait', seconds: 0, reason: 'locked' } }));
    expect(screen.getByTestId('flow-wait').textContent).toBe(
      'Too many attempts: the account is locked. Contact your administrator.',
    );
    act(() => emit('flow:done', { flowId: 'f1', outcome: { status: 'failed', code: 'locked', message: 'account locked' } }));
    expect(screen.getByText('Enrollment failed: account locked')).toBeTruthy();
  });

  it('says an Online CA refusal in Dutch and German, the CA’s own words after it framed as the CA’s', () => {
    const { emit } = setup();
    const problem = { code: 'onlineca.server-error', params: { host: 'ca.test' }, message: 'x' };
    const text = { code: 'onlineca.server-says', params: { problem, text: 'database down' }, message: 'The Online CA …' };
    const done = () =>
      act(() => emit('flow:done', { flowId: 'f1', outcome: { status: 'failed', code: 'server-error', message: 'x', text } }));
    try {
      act(() => void applyLanguageSetting('nl'));
      done();
      expect(
        screen.getByText(
          'Aanvragen mislukt: De Online CA op ca.test had een serverfout. Probeer het later opnieuw en meld het bij de beheerder van de CA als het blijft gebeuren. De Online CA meldt: database down',
        ),
      ).toBeTruthy();
      act(() => void applyLanguageSetting('de'));
      done();
      expect(
        screen.getByText(/Die Online-CA unter ca\.test hatte einen Serverfehler\..* Die Online-CA meldet: database down$/),
      ).toBeTruthy();
    } finally {
      act(() => void applyLanguageSetting('en'));
    }
  });

  it('says when the organisation’s policy kept a certificate out of the machine store, in Dutch and German (issue 20)', () => {
    const { emit } = setup();
    const notice = { code: 'policy.system-store-refused', params: { stores: 'firefox' }, message: 'The server asked …' };
    const outcome = {
      status: 'issued' as const,
      provider: 'Demo',
      service: 'MACHINE',
      subject: 'CN=alice',
      serialNumber: '01',
      notBefore: '2026-01-01T00:00:00Z',
      notAfter: '2027-01-01T00:00:00Z',
      sha256Fingerprint: 'AB'.repeat(32),
      stores: ['firefox'],
      notice,
    };
    try {
      act(() => void applyLanguageSetting('nl'));
      act(() => emit('flow:done', { flowId: 'f1', outcome }));
      expect(screen.getByTestId('flow-issued-notice').textContent).toBe(
        'De server vroeg dit certificaat in de certificaatopslag van de computer te plaatsen, maar het beleid van uw organisatie staat die opslag niet toe. Het is in plaats daarvan in uw eigen certificaatopslag geplaatst (firefox).',
      );
      act(() => void applyLanguageSetting('de'));
      act(() => emit('flow:done', { flowId: 'f1', outcome }));
      expect(screen.getByTestId('flow-issued-notice').textContent).toMatch(
        /^Der Server wollte dieses Zertifikat im Zertifikatspeicher des Computers ablegen, .*\(firefox\)\.$/,
      );
    } finally {
      act(() => void applyLanguageSetting('en'));
    }
  });

  it('says a step’s coded detail in Dutch, a value as it is', () => {
    const { emit } = setup();
    const detailText = { code: 'step.password-expires', params: { seconds: 3 * 86_400 }, message: 'expires in 3 day(s)' };
    try {
      act(() => void applyLanguageSetting('nl'));
      act(() =>
        emit('flow:progress', { flowId: 'f1', progress: { kind: 'step', step: 'password-expires', detail: 'x', detailText } }),
      );
      expect(screen.getByText(/— uw wachtwoord verloopt over 3 dagen; wijzig het binnenkort$/)).toBeTruthy();
      act(() => emit('flow:progress', { flowId: 'f1', progress: { kind: 'step', step: 'handshake', detail: 'RCDP 2.8.3' } }));
      expect(screen.getByText(/— RCDP 2\.8\.3$/)).toBeTruthy();
    } finally {
      act(() => void applyLanguageSetting('en'));
    }
  });

  it('shows MFA progress with a way to cancel while the browser sign-in runs', async () => {
    const { emit, calls } = setup();
    act(() =>
      emit('flow:progress', {
        flowId: 'f1',
        progress: { kind: 'mfa', state: 'waiting-for-browser', authority: 'login.acme.test' },
      }),
    );
    expect(screen.getByText('Multi-factor sign-in (login.acme.test): finish signing in in your browser')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(calls.find((c) => c.channel === 'flow:cancel')?.request).toEqual({ flowId: 'f1' });
  });

  it('cancels the running flow', async () => {
    const { prompt, calls, store } = setup();
    prompt({ kind: 'otp' });
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(calls.find((c) => c.channel === 'flow:cancel')?.request).toEqual({ flowId: 'f1' });
    expect(store.getState().flow).toBeUndefined();
  });
});
