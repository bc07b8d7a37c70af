import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeytalkSimulator } from '../../simulators/keytalk/index';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { createAgent, type AgentRuntime } from '../agent/index';
import { dispatch } from '../ipc/dispatcher';
import { MemorySecretStore } from '../system/secret-store';
import { enrollOwnCertificate } from '../../test-support/smime/enroll-own-cert';

/** The UI's smime:availability / smime:invite channels, through the real core, against the simulator (mTLS). */
let kt: TempSimulator;
let sim: KeytalkSimulator;
let tmp: string;
let agent: AgentRuntime;
let home: string;

beforeAll(async () => {
  kt = await startTempSimulator('kt-ss-ui-', {
    providers: [
      {
        name: 'Mailco',
        services: [
          {
            name: 'SMIME',
            credentials: ['USERID', 'PASSWD'],
            cert: { smimeEnrollment: { available: true, mobileRequired: false } },
          },
          { name: 'NOSS', credentials: ['USERID', 'PASSWD'], cert: {} },
        ],
        users: [
          { id: 'carol', password: 's3cret', email: 'carol@mailco.test', selfService: true },
          { id: 'dave', password: 's3cret', email: 'dave@mailco.test' },
        ],
      },
    ],
  });
  ({ sim, dir: tmp } = kt);
  home = path.join(tmp, 'home');
  agent = createAgent({
    home,
    userHome: `${home}.user`,
    secretStore: new MemorySecretStore(),
    scheduler: false,
    ssapiUrl: sim.ssapiUrl,
  });
}, 60_000);
afterAll(async () => {
  await agent?.stop();
  await kt?.stop();
});

const outbox = async (to: string) =>
  (await (await fetch(`${sim.control}/outbox?to=${encodeURIComponent(to)}`)).json()) as {
    kind: string;
    data: Record<string, string>;
  }[];

describe('Self-Service invitations through the core', () => {
  it('without an S/MIME certificate: explained as bad input, nothing asked of the server', async () => {
    const a = await agent.handlers['smime:availability']({ provider: 'Mailco' });
    expect(a).toEqual({
      available: false,
      problem: 'bad-input',
      explanation:
        "no valid S/MIME certificate with its key in the agent's file store for Mailco; enroll for your S/MIME service first",
      explanationText: {
        code: 'smime.no-certificate',
        message:
          "no valid S/MIME certificate with its key in the agent's file store for Mailco; enroll for your S/MIME service first",
      },
    });
  });

  it('a user who is not a self-service user: the server reason explained', async () => {
    await enrollOwnCertificate(sim, home, { provider: 'Mailco', service: 'NOSS', user: 'dave', password: 's3cret' });
    const a = await agent.handlers['smime:availability']({ provider: 'Mailco', service: 'NOSS' });
    expect(a).toMatchObject({
      available: false,
      problem: 'unavailable',
      reason: 'user is not a self-service user',
      certificate: { provider: 'Mailco', service: 'NOSS', emails: ['dave@mailco.test'] },
    });
    expect(a.explanation).toMatch(/ask your KeyTalk administrator to enable it$/);
    expect(a.explanationText).toEqual({ code: 'smime.not-enabled', message: a.explanation });
  });

  it('a self-service user: available, then invites over mTLS and the recipient gets the download link', async () => {
    await enrollOwnCertificate(sim, home, { provider: 'Mailco', service: 'SMIME', user: 'carol', password: 's3cret' });
    const a = await agent.handlers['smime:availability']({ provider: 'Mailco', service: 'SMIME' });
    expect(a).toMatchObject({ available: true, mobileRequired: false, certificate: { emails: ['carol@mailco.test'] } });

    // The contract refuses malformed requests before the core sees them; the core refuses a bad address.
    expect(await dispatch(agent.handlers, 'smime:invite', { provider: 'Mailco', recipients: [] })).toMatchObject({ ok: false });
    await expect(
      agent.handlers['smime:invite']({ provider: 'Mailco', service: 'SMIME', recipients: [{ email: 'nope' }] }),
    ).rejects.toThrow(/"nope" is not an e-mail address/);

    const r = await agent.handlers['smime:invite']({
      provider: 'Mailco',
      service: 'SMIME',
      recipients: [{ email: 'guest@partner.test' }, { email: 'buyer@partner.test', mobile: '+31612345678' }],
    });
    expect(r).toEqual({
      synchronous: true,
      succeeded: [{ email: 'guest@partner.test' }, { email: 'buyer@partner.test' }],
      failed: [],
      skipped: [],
      addressBooks: [],
    });
    const mail = (await outbox('guest@partner.test')).at(-1)!;
    expect(mail.kind).toBe('smime-enrollment');
    expect(mail.data.link).toMatch(/^https:\/\//);
    const log = (await fs.readFile(sim.requestLog, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { api: string; path: string });
    expect(log.filter((l) => l.path.includes('smime-cert-enrollment')).map((l) => l.api)).toEqual([
      'public', // NOSS availability
      'public', // SMIME availability
      'public', // invite: availability again (the server may have changed its mind)
      'ssapi',
    ]);
  });
});
