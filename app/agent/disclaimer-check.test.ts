import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import type { EventChannel } from '../ipc/contract';
import { MemorySecretStore } from '../system/secret-store';
import { createAgent, type AgentRuntime } from './index';
import { enrollWithPassword, importRccdFile } from '../../test-support/agent/agent-helpers';

/**
 * "Check now" for e-mail disclaimers (disclaimers:check): the scheduler's own disclaimer job runs at once, the
 * user's Thunderbird profile (a throw-away HOME) gets the server's current disclaimer, and a change is announced
 * with disclaimer:changed after it is recorded.
 */
let kt: TempSimulator;
let agent: AgentRuntime;
let userJs: string;
const events: { channel: EventChannel; payload: unknown }[] = [];

beforeAll(async () => {
  kt = await startTempSimulator('kt-disclaimer-check-', {
    providers: [
      {
        name: 'Mailco',
        services: [
          {
            name: 'SMIME',
            credentials: ['USERID', 'PASSWD'],
            cert: { setDisclaimer: true, disclaimer: { name: 'Legal v1', text: 'First notice.' } },
          },
        ],
        users: [{ id: 'dora@mailco.test', password: 'pw', email: 'dora@mailco.test' }],
      },
    ],
  });
  const userHome = path.join(kt.dir, 'user');
  const profile = path.join(userHome, '.thunderbird', 'p.default');
  await fs.mkdir(profile, { recursive: true });
  await fs.writeFile(path.join(profile, 'prefs.js'), 'user_pref("mail.identity.id1.useremail", "dora@mailco.test");\n');
  await fs.writeFile(
    path.join(userHome, '.thunderbird', 'profiles.ini'),
    '[Profile0]\nName=default\nIsRelative=1\nPath=p.default\nDefault=1\n',
  );
  userJs = path.join(profile, 'user.js');
  agent = createAgent({
    home: path.join(kt.dir, 'home'),
    secretStore: new MemorySecretStore(),
    mailUserHome: userHome,
    userHome,
    engine: { sleep: async () => {} },
  });
  agent.onEvent((channel, payload) => events.push({ channel, payload }));
  await agent.start();
});
afterAll(async () => {
  await agent?.stop();
  await kt?.stop();
});

describe('disclaimers:check', () => {
  it('applies the current disclaimer at once, and a changed one on the next check, announcing each change', async () => {
    await importRccdFile(agent, kt.sim.rccds.Mailco!);
    const outcome = await enrollWithPassword(agent, {
      provider: 'Mailco',
      service: 'SMIME',
      user: 'dora@mailco.test',
      password: 'pw',
    });
    expect(outcome.status).toBe('issued');

    const first = await agent.handlers['disclaimers:check']({});
    expect(first).toEqual([expect.objectContaining({ name: 'Legal v1', email: 'dora@mailco.test', preview: 'First notice.' })]);
    expect(first[0]!.appliedTo.join()).toMatch(/Thunderbird/);
    expect(await fs.readFile(userJs, 'utf8')).toContain('First notice.');
    expect(events).toContainEqual({
      channel: 'disclaimer:changed',
      payload: { provider: 'Mailco', service: 'SMIME', email: 'dora@mailco.test', name: 'Legal v1' },
    });

    // Nothing changed on the server: checked again, not re-applied, no announcement.
    const announced = () => events.filter((e) => e.channel === 'disclaimer:changed').length;
    const before = announced();
    const same = await agent.handlers['disclaimers:check']({});
    expect(same[0]!.appliedAt).toBe(first[0]!.appliedAt);
    expect(announced()).toBe(before);

    const put = await fetch(`${kt.sim.control}/services/SMIME/disclaimer`, {
      method: 'PUT',
      body: JSON.stringify({ name: 'Legal v2', text: 'Second notice.' }),
    });
    expect(put.status).toBe(200);
    const second = await agent.handlers['disclaimers:check']({});
    expect(second).toEqual([expect.objectContaining({ name: 'Legal v2', preview: 'Second notice.' })]);
    expect(Date.parse(second[0]!.checkedAt)).toBeGreaterThanOrEqual(Date.parse(first[0]!.checkedAt));
    const js = await fs.readFile(userJs, 'utf8');
    expect(js).toContain('Second notice.');
    expect(js).not.toContain('First notice.');
    expect(events.filter((e) => e.channel === 'disclaimer:changed').at(-1)?.payload).toMatchObject({ name: 'Legal v2' });
  });

  it('a server that cannot be reached is named in the error, and the check stays scheduled', async () => {
    await fetch(`${kt.sim.control}/faults`, {
      method: 'POST',
      body: JSON.stringify({ route: 'set-disclaimer', kind: 'status', status: 503, times: 1 }),
    });
    await expect(agent.handlers['disclaimers:check']({})).rejects.toThrow(
      /checking the e-mail disclaimer failed for dora@mailco\.test: .*tries again later/,
    );
    expect(await agent.handlers['disclaimers:list']({})).toEqual([expect.objectContaining({ name: 'Legal v2' })]);
  });
});
