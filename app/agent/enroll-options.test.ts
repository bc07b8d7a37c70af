import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import type { EventOf } from '../ipc/contract';
import { dispatch } from '../ipc/dispatcher';
import type { FlowPrompt } from '../model/flow-types';
import { describeCertificate } from '../crypto/cert-info';
import { FileStore } from '../stores/file-store';
import { MemorySecretStore } from '../system/secret-store';
import { createAgent, type AgentRuntime } from './index';
import { importRccdFile, nextEvent } from '../../test-support/agent/agent-helpers';

/**
 * The UI's enroll:start carries format, CSR mode, out-of-band and cert options to the engine (issue 17), and the
 * cert-options form appears only where the Public API's cn-customization-policy (3.2.8) allows a custom name.
 * Proved on the server's side: the simulator's request log and the subject of the certificate it issued.
 */
let kt: TempSimulator;
let agent: AgentRuntime;
let home: string;

beforeAll(async () => {
  kt = await startTempSimulator('kt-enroll-options-', {
    providers: [
      {
        name: 'Acme',
        services: [
          { name: 'CN', credentials: ['USERID', 'PASSWD'], cert: { cnCustomizationPolicy: 'ALLOWED' } },
          { name: 'FIXED', credentials: ['USERID', 'PASSWD'], cert: {} },
        ],
        users: [{ id: 'alice', password: 's3cret' }],
      },
    ],
  });
  home = path.join(kt.dir, 'home');
  agent = createAgent({
    home,
    userHome: `${home}.user`,
    secretStore: new MemorySecretStore(),
    engine: { sleep: async () => {} },
  });
  await importRccdFile(agent, kt.sim.rccds.Acme!);
});
afterAll(async () => {
  await agent?.stop();
  await kt?.stop();
});

type Request = Parameters<AgentRuntime['handlers']['enroll:start']>[0];

/** Run one UI enrollment; `answer` answers every prompt after the credentials. Returns prompts and outcome. */
async function enroll(req: Request, answer: (p: FlowPrompt) => unknown) {
  const prompts: FlowPrompt[] = [];
  const off = agent.onEvent((channel, payload) => {
    if (channel !== 'flow:prompt') return;
    const { flowId, prompt } = payload as EventOf<'flow:prompt'>;
    prompts.push(prompt);
    const a =
      prompt.kind === 'credentials'
        ? { kind: 'credentials', values: { USERID: 'alice', PASSWD: 's3cret' }, remember: false }
        : answer(prompt);
    // Answer after the handler returned: the flow registers its waiting prompt before it emits the event.
    setImmediate(() => void dispatch(agent.handlers, 'flow:answer', { flowId, answer: a }));
  });
  try {
    const done = nextEvent(agent, 'flow:done');
    const r = await dispatch(agent.handlers, 'enroll:start', req);
    expect(r).toMatchObject({ ok: true });
    return { prompts, outcome: (await done).outcome };
  } finally {
    off();
  }
}

async function certRequests(): Promise<Record<string, string>[]> {
  const lines = (await fs.readFile(kt.sim.requestLog, 'utf8')).trim().split('\n');
  return lines
    .map((l) => JSON.parse(l) as { action?: string; fields: Record<string, string> })
    .filter((e) => e.action === 'cert')
    .map((e) => e.fields);
}

describe('enroll:start options reach the server (RCDP 2.7.2, Public API 3.2.8)', () => {
  it('cert options "ask" where the policy is ALLOWED: the form, then common-name and san-domains on the cert request; PEM out-of-band', async () => {
    const { prompts, outcome } = await enroll(
      { provider: 'Acme', service: 'CN', certOptions: 'ask', format: 'PEM', outOfBand: true },
      () => ({ kind: 'cert-options', commonName: 'Alice Custom', sanDomains: ['extra.acme.test'] }),
    );
    expect(prompts.map((p) => p.kind)).toEqual(['credentials', 'cert-options']);
    expect(prompts[1]).toEqual({
      kind: 'cert-options',
      allowCommonName: true,
      allowGivenNameSurname: false,
      allowSanDomains: true,
    });
    expect(outcome.status).toBe('issued');
    if (outcome.status !== 'issued') return;
    const sent = (await certRequests()).at(-1)!;
    expect(sent).toMatchObject({ format: 'PEM', 'out-of-band': 'true', 'common-name': 'Alice Custom' });
    expect(JSON.parse(sent['san-domains']!)).toEqual(['extra.acme.test']);
    const info = describeCertificate((await new FileStore(path.join(home, 'certs')).read(outcome.sha256Fingerprint)).certPem);
    expect(info.commonName).toBe('Alice Custom');
    expect(info.dnsNames).toContain('extra.acme.test');
  });

  it('no cert-options form where the service allows no custom name; CSR mode and fixed options still reach the server', async () => {
    const { prompts, outcome } = await enroll({ provider: 'Acme', service: 'FIXED', certOptions: 'ask', csr: true }, () => {
      throw new Error('no prompt expected');
    });
    expect(prompts.map((p) => p.kind)).toEqual(['credentials']);
    expect(outcome.status).toBe('issued');
    const sent = (await certRequests()).at(-1)!;
    expect(sent.csr).toMatch(/BEGIN CERTIFICATE REQUEST/);
    const fixed = await enroll(
      { provider: 'Acme', service: 'FIXED', certOptions: { sanDomains: ['fixed.acme.test'] } },
      () => undefined,
    );
    expect(fixed.prompts.map((p) => p.kind)).toEqual(['credentials']);
    expect(JSON.parse((await certRequests()).at(-1)!['san-domains']!)).toEqual(['fixed.acme.test']);
  });

  it('refuses a malformed certOptions at the contract (not a string the engine would misread)', async () => {
    const r = await dispatch(agent.handlers, 'enroll:start', { provider: 'Acme', service: 'CN', certOptions: 'always' });
    expect(r).toMatchObject({ ok: false });
  });
});
