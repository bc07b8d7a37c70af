import type { Readable, Writable } from 'node:stream';
import type { FlowAnswer, FlowProgress, FlowPrompt } from '../model/flow-types';
import { FlowCancelledError, FlowFailure, MissingInputError, type FlowFrontEnd } from '../engine/front-end';
import { TtyAsker, type LineSource } from './line-source';
import { terminalSafe } from './terminal-text';

/** What the CLI was given up front (flags, stdin, environment). */
export interface CliInputs {
  user?: string;
  password?: string;
  pin?: string;
  otp?: string;
  newPassword?: string;
  approverEmail?: string;
  /** Per challenge step, name → value; or one value for a single unnamed response. */
  challengeResponses?: Record<string, string>[];
  commonName?: string;
  givenName?: string;
  surname?: string;
  sanDomains?: string[];
}

function progressPrinter(err: Writable, quiet: boolean): (p: FlowProgress) => void {
  let lastWait: string | undefined;
  return (p) => {
    if (quiet) return;
    if (p.kind === 'wait') {
      const key = p.reason;
      if (lastWait !== key)
        err.write(`waiting ${p.seconds} s (${p.reason === 'delay' ? 'the server asked to wait before retrying' : p.reason})…\n`);
      lastWait = p.seconds > 1 ? key : undefined;
      return;
    }
    lastWait = undefined;
    if (p.kind === 'mfa') err.write(`multi-factor sign-in: ${p.state} (${terminalSafe(p.authority)})\n`);
  };
}

function parseResponseLine(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!/=/.test(line)) return { '': line };
  for (const part of line.split(/[,;]/)) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/**
 * Non-interactive front-end: answers from flags, environment and stdin lines, and fails naming what is
 * missing (the flag or variable to set) instead of hanging on a prompt nobody can see.
 */
export function scriptedFrontEnd(inputs: CliInputs, lines: LineSource, stderr: Writable, quiet: boolean): FlowFrontEnd {
  let challengeStep = 0;
  let otpUsed = false;
  return {
    // A rejection ends the command (exit 3, the server's wait named once): a script must not burn the
    // account's lockout budget, and the person at the terminal re-runs it after the wait.
    asksAgainAfterRejection: false,
    progress: progressPrinter(stderr, quiet),
    async prompt(p: FlowPrompt): Promise<FlowAnswer> {
      switch (p.kind) {
        case 'credentials': {
          if (p.error) throw new FlowFailure('auth-failed', p.error);
          const values: Record<string, string> = {};
          const missing: string[] = [];
          for (const f of p.fields) {
            const v =
              f.name === 'USERID'
                ? (inputs.user ?? f.value)
                : f.name === 'PASSWD'
                  ? inputs.password
                  : f.name === 'PIN'
                    ? inputs.pin
                    : undefined;
            if (v === undefined || v === '') {
              missing.push(
                f.name === 'USERID'
                  ? 'the user name (--user or KEYTALK_USER)'
                  : f.name === 'PASSWD'
                    ? `the ${f.label.toLowerCase()} (--password-stdin or KEYTALK_PASSWORD)`
                    : f.name === 'PIN'
                      ? 'the PIN (KEYTALK_PIN)'
                      : f.name,
              );
            } else values[f.name] = v;
          }
          if (missing.length)
            throw new MissingInputError(missing, `the server needs ${missing.join(' and ')}; no terminal to ask on`);
          return { kind: 'credentials', values, remember: false };
        }
        case 'otp': {
          if (p.error) throw new FlowFailure('auth-failed', `one-time password rejected: ${p.error}`);
          let otp = !otpUsed ? inputs.otp : undefined;
          otpUsed = true;
          otp ??= (await lines.next())?.trim();
          if (!otp) {
            throw new MissingInputError(
              ['OTP'],
              `the server sent a one-time password${p.sentTo ? ` to ${p.sentTo}` : ''}; give it in KEYTALK_OTP or as a line on stdin`,
            );
          }
          return { kind: 'otp', otp };
        }
        case 'challenge': {
          let given = inputs.challengeResponses?.[challengeStep];
          challengeStep++;
          if (!given) {
            const line = await lines.next();
            if (line !== undefined) given = parseResponseLine(line.trim());
          }
          if (!given) {
            throw new MissingInputError(
              ['challenge'],
              `the server asks a challenge (${p.challenges.map((c) => `${c.name}: ${c.value}`).join('; ')}); give the answer in KEYTALK_CHALLENGE_RESPONSES or as a line on stdin`,
            );
          }
          const names = p.mode === 'response' && p.responseNames.length ? p.responseNames : [''];
          const single = Object.values(given)[0] ?? '';
          const responses = names.map((n) => ({ name: n || 'response', value: given![n] ?? (names.length === 1 ? single : '') }));
          return { kind: 'challenge', responses };
        }
        case 'change-password':
          if (p.error) throw new FlowFailure('auth-failed', p.error);
          if (!inputs.newPassword)
            throw new MissingInputError(
              ['new password'],
              `${p.reason === 'expired' ? 'the password has expired; give' : 'give'} the new password in KEYTALK_NEW_PASSWORD`,
            );
          return { kind: 'change-password', oldPassword: inputs.password ?? '', newPassword: inputs.newPassword };
        case 'approver-email':
          if (!inputs.approverEmail) {
            throw new MissingInputError(
              ['approver email'],
              `choose an approver email with --approver-email or KEYTALK_APPROVER_EMAIL: ${p.emails.join(', ')}`,
            );
          }
          return { kind: 'approver-email', email: inputs.approverEmail };
        case 'cert-options':
          return {
            kind: 'cert-options',
            commonName: inputs.commonName,
            givenName: inputs.givenName,
            surname: inputs.surname,
            sanDomains: inputs.sanDomains,
          };
        case 'confirm-trust':
          throw new MissingInputError(['trust'], `the server ${p.host} is not trusted; import its provider's RCCD first`);
        case 'system-store':
          // Never decided for the user: a script either runs with the rights or is changed to run interactively.
          throw new MissingInputError(
            ['user store'],
            `the server asks for the machine (system) store, but ${p.reason}; run as administrator (root), or run interactively to choose your own store`,
          );
      }
    },
  };
}

/** Terminal front-end: asks for what the inputs do not cover; secrets without echo. */
export function ttyFrontEnd(
  inputs: CliInputs,
  stdin: Readable,
  stderr: Writable & NodeJS.WritableStream,
  quiet: boolean,
): FlowFrontEnd & { close(): void } {
  const scripted = scriptedFrontEnd(inputs, { next: async () => undefined, close() {} }, stderr, quiet);
  const asker = new TtyAsker(stdin, stderr);
  const ask = async (q: string, secret: boolean) => {
    try {
      // The question carries the server's password prompt and challenge names.
      return await asker.ask(terminalSafe(q), secret);
    } catch {
      throw new FlowCancelledError();
    }
  };
  let askedCredentials = false;
  return {
    close: () => asker.close(),
    asksAgainAfterRejection: false,
    progress: scripted.progress,
    async prompt(p: FlowPrompt): Promise<FlowAnswer> {
      switch (p.kind) {
        case 'credentials': {
          if (p.error) stderr.write(`${terminalSafe(p.error)}\n`);
          const values: Record<string, string> = {};
          for (const f of p.fields) {
            const given =
              !askedCredentials && !p.error
                ? f.name === 'USERID'
                  ? inputs.user
                  : f.name === 'PASSWD'
                    ? inputs.password
                    : f.name === 'PIN'
                      ? inputs.pin
                      : undefined
                : undefined;
            if (given) {
              values[f.name] = given;
              continue;
            }
            const def = f.value ? ` [${f.value}]` : '';
            const v = await ask(`${f.label}${def}: `, f.secret);
            values[f.name] = v || f.value || '';
          }
          askedCredentials = true;
          let remember = false;
          if (p.rememberLocked) stderr.write('Remembering credentials is turned off by your organisation.\n');
          if (p.offerRemember && p.fields.some((f) => f.secret)) {
            // Said before the user agrees: the CLI keeps secrets in a key file, not an OS secret store.
            if (p.rememberProtection === 'weak')
              stderr.write('Remembered credentials are kept in a file only your user account can read (no OS secret store).\n');
            remember = /^y/i.test(await ask('Remember these credentials for automatic renewal? [y/N] ', false));
          }
          return { kind: 'credentials', values, remember };
        }
        case 'otp':
          if (inputs.otp) return scripted.prompt(p);
          if (p.error) stderr.write(`${terminalSafe(p.error)}\n`);
          return { kind: 'otp', otp: (await ask(`One-time password${p.sentTo ? ` (sent to ${p.sentTo})` : ''}: `, true)).trim() };
        case 'challenge': {
          for (const c of p.challenges) stderr.write(`${terminalSafe(`${c.name}: ${c.value}`)}\n`);
          const names = p.mode === 'response' && p.responseNames.length ? p.responseNames : ['response'];
          const responses = [];
          for (const n of names)
            responses.push({ name: n, value: await ask(`${names.length > 1 || p.mode === 'response' ? n : 'Answer'}: `, true) });
          return { kind: 'challenge', responses };
        }
        case 'change-password': {
          const why = p.reason === 'expired' ? 'Your password has expired and must be changed.' : 'Choose a new password.';
          stderr.write(`${terminalSafe(p.error ?? why)}\n`);
          // A voluntary change follows a sign-in with the current password: the engine sends that one (empty here).
          const oldPassword = inputs.password ?? (p.reason === 'requested' ? '' : await ask('Current password: ', true));
          const newPassword = await ask('New password: ', true);
          const again = await ask('New password again: ', true);
          if (newPassword !== again) throw new FlowFailure('bad-input', 'the new passwords differ');
          return { kind: 'change-password', oldPassword, newPassword };
        }
        case 'approver-email': {
          if (inputs.approverEmail) return scripted.prompt(p);
          p.emails.forEach((e, i) => stderr.write(`  ${i + 1}) ${terminalSafe(e)}\n`));
          const pick = (await ask('Approver email (number): ', false)).trim();
          const email = p.emails[Number(pick) - 1] ?? pick;
          return { kind: 'approver-email', email };
        }
        case 'cert-options':
        case 'confirm-trust':
          return scripted.prompt(p);
        case 'system-store': {
          stderr.write(`The server asks to store the certificate in the machine (system) store, but ${p.reason}.\n`);
          const yes = /^y/i.test(await ask('Store it in your own certificate store instead? [y/N] ', false));
          return { kind: 'system-store', useUserStore: yes };
        }
      }
    },
  };
}
