// The demo's sign-in table: every user of the simulator fixture with its password and what it shows, printed by
// `npm run demo` next to the UI link so a visitor can try each flow without reading the YAML.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** What a fixture user demonstrates, in a few words (the fixture fields, simulators/keytalk/README.md). */
function notes(u) {
  const out = [];
  if (u.otp) out.push(`OTP ${u.otp}`);
  else if (u.email && !u.pin) out.push(`OTP by mail to ${u.email} (see the outbox)`);
  if (u.pin) out.push(`PIN ${u.pin}`);
  if (u.delayFirstSeconds) out.push(`first attempt delayed ${u.delayFirstSeconds} s`);
  if (u.lockedSeconds) out.push('account locked');
  if (u.passwordExpired)
    out.push(u.mayChangePassword === false ? 'password expired, may not change it' : 'password expired: choose a new one');
  if (u.passwordChallenge?.answer) out.push(`new PIN ${u.passwordChallenge.answer}`);
  if (u.selfService) out.push('Self-Service invites');
  if (u.sharedMailboxes?.length) out.push(`shared mailbox ${u.sharedMailboxes.join(', ')}`);
  return out.join('; ');
}

/** The users of every provider in a simulator fixture: { provider, id, password, notes }. */
export function demoUsers(fixtureFile) {
  const fixture = parse(readFileSync(fixtureFile, 'utf8'));
  return (fixture.providers ?? []).flatMap((p) =>
    (p.users ?? []).map((u) => ({ provider: p.name, id: String(u.id), password: String(u.password ?? ''), notes: notes(u) })),
  );
}

/** The table as printed lines: user, password, what it shows. */
export function formatDemoUsers(users) {
  const w = Math.max(4, ...users.map((u) => u.id.length));
  const pw = Math.max(8, ...users.map((u) => u.password.length));
  return [
    `  ${'user'.padEnd(w)}  ${'password'.padEnd(pw)}  what it shows`,
    ...users.map((u) => `  ${u.id.padEnd(w)}  ${u.password.padEnd(pw)}  ${u.notes}`.trimEnd()),
  ];
}
