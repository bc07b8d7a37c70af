import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTempSimulator, type TempSimulator } from '../simulators/keytalk/temp-simulator';
import { createAgent, type AgentRuntime } from '../app/agent/index';
import type { BridgeMessage } from '../app/ipc/transport';
import { MemorySecretStore } from '../app/system/secret-store';
import { importRccdFile, nextEvent } from '../test-support/agent/agent-helpers';
import { BRIDGE_PATH, startBrowserHost, type BrowserHost } from './host';

/**
 * Flows end cleanly (issue 19): an enrollment whose browser tab goes away (closed, reloaded) is cancelled by the
 * core — nothing stored, the server session ended with eoc (RCDP "eoc": end of communication) — so no flow and no
 * "Needs attention" is left behind that nobody can answer.
 */
let kt: TempSimulator;
let agent: AgentRuntime;
let host: BrowserHost;
let home: string;

beforeAll(async () => {
  kt = await startTempSimulator('kt-flow-cleanup-', {
    providers: [
      {
        name: 'Acme',
        services: [{ name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} }],
        users: [{ id: 'alice', password: 'a-pass' }],
      },
    ],
  });
  home = path.join(kt.dir, 'home');
  agent = createAgent({
    home,
    userHome: path.join(kt.dir, 'user'),
    secretStore: new MemorySecretStore(),
    engine: { sleep: async () => {} },
    scheduler: false,
  });
  await importRccdFile(agent, kt.sim.rccds.Acme!);
  const rendererDir = path.join(kt.dir, 'renderer');
  await fs.mkdir(rendererDir);
  await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  host = await startBrowserHost({ core: agent, rendererDir });
});
afterAll(async () => {
  await host?.close();
  await agent?.stop();
  await kt?.stop();
});

function connect(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${BRIDGE_PATH}?token=${host.token}`, { origin: host.origin });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function invoke(
  ws: WebSocket,
  id: number,
  channel: string,
  payload: unknown,
): Promise<Extract<BridgeMessage, { type: 'result' }>> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as BridgeMessage;
      if (msg.type === 'result' && msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, channel, payload }));
  });
}

const actions = async () =>
  (await fs.readFile(kt.sim.requestLog, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { action?: string }).action)
    .filter(Boolean);

describe('a flow whose tab goes away', () => {
  it('is cancelled when the last tab closes: eoc sent, nothing stored, the state no longer needs attention', async () => {
    const tab = await connect();
    const prompt = nextEvent(agent, 'flow:prompt');
    const started = await invoke(tab, 1, 'enroll:start', { provider: 'Acme', service: 'PASSWD' });
    expect(started.ok).toBe(true);
    const { flowId } = (started as { value: { flowId: string } }).value;
    await prompt;
    expect((await agent.handlers['agent:get-state']({})).status).toBe('attention');
    const before = (await actions()).length;

    const done = nextEvent(agent, 'flow:done', (p) => p.flowId === flowId);
    tab.close();
    expect((await done).outcome).toMatchObject({ status: 'failed', code: 'cancelled' });
    // The session the flow opened is closed on the server: its last request is eoc.
    await expect.poll(async () => (await actions()).slice(before)).toContain('eoc');
    expect(await agent.handlers['certs:list']({})).toEqual([]);
    expect((await agent.handlers['agent:get-state']({})).status).not.toBe('attention');
  });

  it('keeps running while another tab is still open (prompts go to every tab, any can answer)', async () => {
    const [a, b] = [await connect(), await connect()];
    const prompt = nextEvent(agent, 'flow:prompt');
    const started = (await invoke(a, 1, 'enroll:start', { provider: 'Acme', service: 'PASSWD' })) as {
      value: { flowId: string };
    };
    await prompt;
    const done = nextEvent(agent, 'flow:done', (p) => p.flowId === started.value.flowId);
    a.close();
    await new Promise((r) => setTimeout(r, 200)); // let the close reach the host
    const answered = await invoke(b, 2, 'flow:answer', {
      flowId: started.value.flowId,
      answer: { kind: 'credentials', values: { USERID: 'alice', PASSWD: 'a-pass' }, remember: false },
    });
    expect(answered.ok).toBe(true);
    expect((await done).outcome.status).toBe('issued');
    b.close();
  });
});
