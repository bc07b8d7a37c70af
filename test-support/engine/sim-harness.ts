/**
 * Test support: a real KeyTalk simulator over HTTPS and engine dependencies pointing at it. The provider
 * connection trusts only the simulator's CA bundle (what an imported RCCD gives in production).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { startKeytalkSimulator, type FixtureInput, type KeytalkSimulator } from '../../simulators/keytalk/index';
import { FileStore } from '../../app/stores/file-store';
import type { EngineDeps, ProviderConnection } from '../../app/engine/enroll';
import type { FlowAnswer, FlowProgress, FlowPrompt } from '../../app/model/flow-types';
import type { FlowFrontEnd } from '../../app/engine/front-end';

export interface SimHarness {
  sim: KeytalkSimulator;
  tmp: string;
  home: string;
  server: string;
  agent: https.Agent;
  deps(overrides?: Partial<EngineDeps>): EngineDeps;
  control(pathname: string, body?: unknown, method?: string): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startSimHarness(fixture: FixtureInput): Promise<SimHarness> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-engine-'));
  const sim = await startKeytalkSimulator({ fixture, stateDir: path.join(tmp, 'sim') });
  const ca = await fs.readFile(sim.caFile, 'utf8');
  const agent = new https.Agent({ ca, keepAlive: true });
  const server = new URL(sim.url).host;
  const home = path.join(tmp, 'home');
  const providers = Object.fromEntries(
    (typeof fixture === 'object' ? fixture.providers : []).map((p) => [
      p.name,
      { name: p.name, server, agent, services: p.services.map((s) => ({ name: s.name })) } satisfies ProviderConnection,
    ]),
  );
  return {
    sim,
    tmp,
    home,
    server,
    agent,
    deps(overrides = {}) {
      const store = new FileStore(path.join(home, 'certs'));
      return {
        home,
        openProvider: async (name) => {
          const p = providers[name];
          if (!p) throw new Error(`no provider ${name}`);
          return p;
        },
        stores: () => [store],
        // Deterministic stand-in for the machine's HWSIG (the HWSIG module has its own tests).
        hwsig: async (formula) => `CS-${createHash('sha256').update(`test-machine:${formula}`).digest('hex')}`,
        computerName: () => 'testhost',
        sleep: async () => {},
        pollIntervalSeconds: 0,
        rcdp: { retry: { retries: 3, baseMs: 5, maxMs: 20 }, timeoutMs: 5000 },
        ...overrides,
      };
    },
    async control(pathname, body, method) {
      const res = await fetch(`${sim.control}${pathname}`, {
        method: method ?? (body === undefined ? 'GET' : 'POST'),
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return res.json();
    },
    async stop() {
      agent.destroy();
      await sim.stop();
      if (!process.env.KT_KEEP_TMP) await fs.rm(tmp, { recursive: true, force: true });
    },
  };
}

/** A front-end that answers from a script and records everything the engine asked and reported. */
export function scriptedTestFrontEnd(answers: ((p: FlowPrompt) => FlowAnswer | undefined)[] | ((p: FlowPrompt) => FlowAnswer)) {
  const prompts: FlowPrompt[] = [];
  const progress: FlowProgress[] = [];
  const fe: FlowFrontEnd = {
    async prompt(p) {
      prompts.push(p);
      if (typeof answers === 'function') return answers(p);
      const next = answers.shift();
      const a = next?.(p);
      if (!a) throw new Error(`unexpected prompt ${JSON.stringify(p)}`);
      return a;
    },
    progress(p) {
      progress.push(p);
    },
  };
  return { fe, prompts, progress };
}

export const creds = (values: Record<string, string>, remember = false): FlowAnswer => ({
  kind: 'credentials',
  values,
  remember,
});
