import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnlineCaSimulator, type OnlineCaSimulator } from '../../simulators/onlineca/index';
import type { EventChannel, EventOf } from '../ipc/contract';
import { dispatch } from '../ipc/dispatcher';
import { MemorySecretStore } from '../system/secret-store';
import { createAgent, type AgentRuntime } from './index';
import { defaultStoreIds } from '../stores/default-stores';

/**
 * providers:add-onlineca through the validating dispatcher (what the UI's form sends), then the provider it made
 * enrolled through the ordinary flow channels against the Online CA simulator, and removed with providers:remove.
 */
let sim: OnlineCaSimulator;
let tmp: string;
let agent: AgentRuntime;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-onlineca-channel-'));
  sim = await startOnlineCaSimulator({
    stateDir: path.join(tmp, 'sim'),
    fixture: { realm: 'Channel CA', users: [{ username: 'dora', password: 'dora-pw' }] },
  });
  agent = createAgent({
    home: path.join(tmp, 'home'),
    userHome: path.join(tmp, 'user'),
    secretStore: new MemorySecretStore(),
    scheduler: false,
  });
});
afterAll(async () => {
  await agent?.stop();
  await sim?.stop();
  await fs.rm(tmp, { recursive: true, force: true });
});

function nextEvent<C extends EventChannel>(channel: C, pred: (p: EventOf<C>) => boolean = () => true): Promise<EventOf<C>> {
  return new Promise((resolve) => {
    const off = agent.onEvent((c: EventChannel, p: unknown) => {
      if (c === channel && pred(p as EventOf<C>)) {
        off();
        resolve(p as EventOf<C>);
      }
    });
  });
}

const add = (payload: unknown) => dispatch(agent.handlers, 'providers:add-onlineca', payload);
const errorOf = async (payload: unknown) => {
  const r = await add(payload);
  if (r.ok) throw new Error(`expected ${JSON.stringify(payload)} to be refused`);
  return r.error;
};

describe('providers:add-onlineca', () => {
  it('adds the provider with a normalised pin, lists it in the state and announces the change', async () => {
    const pin = sim.caFingerprints.root.toLowerCase().match(/.{2}/g)!.join(':');
    const stateEvent = nextEvent('agent:state', (s) => s.providers.some((p) => p.name === 'Pinned CA'));
    const r = await add({ name: 'Pinned CA', url: sim.url, pinSha256: `SHA256:${pin}`, renewPercent: 25 });
    expect(r).toEqual({
      ok: true,
      value: { name: 'Pinned CA', kind: 'onlineca', server: sim.url, services: [{ name: 'onlineca', certValidPercent: 25 }] },
    });
    await stateEvent;
    const record = JSON.parse(await fs.readFile(path.join(agent.home, 'providers', 'Pinned CA', 'provider.json'), 'utf8'));
    expect(record).toMatchObject({ kind: 'onlineca', pinnedFingerprint: sim.caFingerprints.root, renewPercent: 25 });
    const state = await agent.handlers['agent:get-state']({});
    expect(state.providers.map((p) => [p.name, p.kind])).toContainEqual(['Pinned CA', 'onlineca']);
  });

  it('refuses bad input at the IPC door with the problem and the fix', async () => {
    expect(await errorOf({ name: 'x', url: 'http://127.0.0.1/onlineca/' })).toMatchObject({
      code: 'invalid-payload',
      message: expect.stringMatching(/url: .*must start with https:\/\//),
    });
    expect(await errorOf({ name: 'x', url: 'not a url' })).toMatchObject({
      message: expect.stringMatching(/is not a URL; expected e\.g\. https:/),
    });
    expect(await errorOf({ name: '../evil', url: sim.url })).toMatchObject({
      message: expect.stringMatching(/name: Provider name "\.\.\/evil" is not allowed; use 1-80 letters/),
    });
    expect(await errorOf({ name: 'x', url: sim.url, pinSha256: 'abcd' })).toMatchObject({
      message: expect.stringMatching(/pinSha256: Pinned fingerprint "abcd" is not a SHA-256 fingerprint; expected 64 hex digits/),
    });
    for (const renewPercent of [0, 100, 'ten']) {
      expect(await errorOf({ name: 'x', url: sim.url, renewPercent })).toMatchObject({
        message: expect.stringMatching(/between 1 and 99/),
      });
    }
    expect(await errorOf({ name: 'x', url: sim.url, extra: true })).toMatchObject({ code: 'invalid-payload' });
    // Nothing of the refused requests reached the disk.
    expect((await fs.readdir(path.join(agent.home, 'providers'))).sort()).toEqual(['Pinned CA']);
  });

  it('refuses a name that is taken, saying what to do (coded for the window’s languages)', async () => {
    const message = 'An Online CA provider named "Pinned CA" already exists; choose another name or remove that provider first';
    expect(await errorOf({ name: 'Pinned CA', url: sim.url })).toEqual({
      code: 'handler-failed',
      message,
      text: { code: 'provider.exists', params: { name: 'Pinned CA' }, message },
    });
  });

  it('enrolls from the added provider through the flow channels, then providers:remove removes it', async () => {
    expect((await add({ name: 'Tofu CA', url: sim.url })).ok).toBe(true);
    const trust = nextEvent('flow:prompt', (p) => p.prompt.kind === 'confirm-trust');
    const { flowId } = await agent.handlers['enroll:start']({ provider: 'Tofu CA', service: 'onlineca' });
    const asked = (await trust).prompt;
    if (asked.kind !== 'confirm-trust') throw new Error('unreachable');
    expect(asked.certificates!.map((c) => c.sha256.replace(/:/g, '')).sort()).toEqual(
      [sim.caFingerprints.root, sim.caFingerprints.issuing].sort(),
    );
    const login = nextEvent('flow:prompt', (p) => p.prompt.kind === 'credentials');
    await agent.handlers['flow:answer']({ flowId, answer: { kind: 'confirm-trust', accept: true } });
    await login;
    const done = nextEvent('flow:done', (d) => d.flowId === flowId);
    await agent.handlers['flow:answer']({
      flowId,
      answer: { kind: 'credentials', values: { USERID: 'dora', PASSWD: 'dora-pw' }, remember: false },
    });
    const { outcome } = await done;
    expect(outcome).toMatchObject({ status: 'issued', subject: expect.stringContaining('CN=dora') });
    const certs = await agent.handlers['certs:list']({});
    expect(certs.find((c) => c.provider === 'Tofu CA')).toMatchObject({ service: 'onlineca', stores: defaultStoreIds() });

    expect(await dispatch(agent.handlers, 'providers:remove', { name: 'Tofu CA' })).toEqual({ ok: true, value: { ok: true } });
    expect((await agent.handlers['agent:get-state']({})).providers.map((p) => p.name)).toEqual(['Pinned CA']);
    await expect(fs.stat(path.join(agent.home, 'providers', 'Tofu CA'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
