import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type AgentRuntime } from '../../app/agent/index';
import type { EventOf } from '../../app/ipc/contract';
import { MemorySecretStore } from '../../app/system/secret-store';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { enrollWithPassword, importRccdFile, nextEvent } from '../../test-support/agent/agent-helpers';
import { renewAll } from './renew-all';

/**
 * The tray's "Renew now" (issue 19, flows end cleanly): its renewals belong to no window. They run one at a time
 * through the real core and simulator, a window opened meanwhile can take the open sign-in up (flow:current), and
 * closing the last window cancels the one waiting — nothing half-written, the old certificate still current — and
 * "Renew now" ends instead of waiting forever.
 */
let kt: TempSimulator;
let agent: AgentRuntime;

beforeAll(async () => {
  kt = await startTempSimulator('kt-tray-renew-', {
    providers: [
      {
        name: 'Acme',
        services: [
          { name: 'MAIL', credentials: ['USERID', 'PASSWD'], cert: {} },
          { name: 'VPN', credentials: ['USERID', 'PASSWD'], cert: {} },
        ],
        users: [{ id: 'alice', password: 'a-pass' }],
      },
    ],
  });
  agent = createAgent({
    home: path.join(kt.dir, 'home'),
    userHome: path.join(kt.dir, 'user'),
    secretStore: new MemorySecretStore(),
    engine: { sleep: async () => {} },
    scheduler: false,
  });
  await importRccdFile(agent, kt.sim.rccds.Acme!);
  for (const service of ['MAIL', 'VPN'])
    expect(await enrollWithPassword(agent, { provider: 'Acme', service, user: 'alice', password: 'a-pass' })).toMatchObject({
      status: 'issued',
    });
});
afterAll(async () => {
  await agent?.stop();
  await kt?.stop();
});

describe('tray "Renew now"', () => {
  it('renews one certificate at a time; closing the last window cancels the waiting one and ends the run', async () => {
    const before = (await agent.handlers['certs:list']({})).filter((c) => !c.replacedBy);
    expect(before.map((c) => c.service).sort()).toEqual(['MAIL', 'VPN']);
    const prompts: EventOf<'flow:prompt'>[] = [];
    const dones: EventOf<'flow:done'>[] = [];
    const off = agent.onEvent((c, p) => {
      if (c === 'flow:prompt') prompts.push(p as EventOf<'flow:prompt'>);
      if (c === 'flow:done') dones.push(p as EventOf<'flow:done'>);
    });
    // The window "Renew now" opens.
    const detach = agent.uiAttached!();
    const log: string[] = [];
    const first = nextEvent(agent, 'flow:prompt');
    let finished = false;
    const run = renewAll(agent, (m) => log.push(m)).then(() => void (finished = true));
    const p1 = await first;
    // Only the first renewal runs; a window that opens now is handed its sign-in.
    expect(await agent.handlers['flow:current']({})).toEqual({ waiting: p1 });
    const second = nextEvent(agent, 'flow:prompt', (p) => p.flowId !== p1.flowId);
    await agent.handlers['flow:answer']({
      flowId: p1.flowId,
      answer: { kind: 'credentials', values: { USERID: 'alice', PASSWD: 'a-pass' } },
    });
    const p2 = await second;
    // "Renew now" is still at work: it ends with its last renewal, not when the renewals were merely started.
    expect(finished).toBe(false);
    expect(dones.map((d) => [d.flowId, d.outcome.status])).toEqual([[p1.flowId, 'issued']]);
    expect(prompts.map((p) => p.flowId)).toEqual([p1.flowId, p2.flowId]);
    // The window closes while the second renewal waits for its password.
    detach();
    await run;
    off();
    expect(dones.map((d) => [d.flowId, d.outcome.status, d.outcome.status === 'failed' && d.outcome.code])).toEqual([
      [p1.flowId, 'issued', false],
      [p2.flowId, 'failed', 'cancelled'],
    ]);
    expect(await agent.handlers['flow:current']({})).toEqual({});
    expect((await agent.handlers['agent:get-state']({})).status).not.toBe('attention');
    // One renewed, the other's certificate is still the current one: nothing half-written.
    const after = (await agent.handlers['certs:list']({})).filter((c) => !c.replacedBy);
    const cancelledService = p2.service;
    expect(after.find((c) => c.service === cancelledService)?.sha256Fingerprint).toBe(
      before.find((c) => c.service === cancelledService)?.sha256Fingerprint,
    );
    expect(after.find((c) => c.service === p1.service)?.sha256Fingerprint).not.toBe(
      before.find((c) => c.service === p1.service)?.sha256Fingerprint,
    );
    expect(log).toEqual([]);
  });

  it('renews only current certificates: not replaced ones, historical S/MIME ones or ones from no provider', async () => {
    const cert = (fp: string, extra: object) => ({
      sha256Fingerprint: fp,
      subject: `CN=${fp}`,
      provider: 'Acme',
      service: 'MAIL',
      ...extra,
    });
    const list = [
      cert('current', {}),
      cert('replaced', { replacedBy: 'current' }),
      cert('historical', { historical: true }),
      cert('found', { provider: undefined, service: undefined }),
    ];
    const renewed: string[] = [];
    let listener: ((channel: string, payload: unknown) => void) | undefined;
    const core = {
      onEvent: (l: (channel: string, payload: unknown) => void) => ((listener = l), () => (listener = undefined)),
      handlers: {
        'certs:list': async () => list,
        'certs:renew': async ({ sha256Fingerprint }: { sha256Fingerprint: string }) => {
          renewed.push(sha256Fingerprint);
          queueMicrotask(() => listener?.('flow:done', { flowId: `f-${sha256Fingerprint}` }));
          return { flowId: `f-${sha256Fingerprint}` };
        },
      },
    } as unknown as Parameters<typeof renewAll>[0];
    await renewAll(core, () => {});
    expect(renewed).toEqual(['current']);
  });
});
