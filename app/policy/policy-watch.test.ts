import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, issueCertificate } from '../../test-support/crypto/test-pki';
import { makeRccdV2, type RccdCas } from '../../test-support/rccd/make-rccd';
import { createAgent } from '../agent/create-agent';
import type { AgentState } from '../ipc/contract';
import { forgetPolicy } from './load-policy';
import { watchPolicy } from './policy-watch';

/**
 * Issue 20, policy read at start AND on change: a running core notices a changed policy.json (fs.watch, debounced)
 * or a new RCCD in rccd/ and re-applies it without a restart — its state (support contact, policy revision,
 * providers) and its settings locks follow. The periodic re-read (the only trigger on Windows/macOS) is the same
 * check, driven here by `check()`.
 */
let root: string;
let policyDir: string;
let cas: RccdCas;
const saved = process.env.KEYTALK_AGENT_POLICY_DIR;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'kt-policy-watch-'));
  policyDir = path.join(root, 'policy');
  await mkdir(path.join(policyDir, 'rccd'), { recursive: true });
  process.env.KEYTALK_AGENT_POLICY_DIR = policyDir;
  forgetPolicy();
  const pki = await createTestPki('Watch');
  const ca = (cn: string) => issueCertificate(pki.primary, { cn, isCa: true, keyPem: pki.server.keyPem });
  cas = { root: pki.root, primary: pki.primary, signing: await ca('Watch UCA'), server: await ca('Watch SCA') };
});
afterAll(async () => {
  if (saved === undefined) delete process.env.KEYTALK_AGENT_POLICY_DIR;
  else process.env.KEYTALK_AGENT_POLICY_DIR = saved;
  forgetPolicy();
  await rm(root, { recursive: true, force: true });
});

/** The next agent:state that satisfies `ok` (the watch publishes one after re-applying). */
function stateWhere(agent: ReturnType<typeof createAgent>, ok: (s: AgentState) => boolean): Promise<AgentState> {
  return new Promise((resolve) => {
    const off = agent.onEvent((channel, payload) => {
      if (channel === 'agent:state' && ok(payload as AgentState)) {
        off();
        resolve(payload as AgentState);
      }
    });
  });
}

describe('policy watch (issue 20)', () => {
  it('a running core follows a changed policy.json and a new provisioned RCCD without restart', async () => {
    await writeFile(path.join(policyDir, 'policy.json'), JSON.stringify({ supportContact: 'desk 1' }));
    forgetPolicy();
    const agent = createAgent({
      home: path.join(root, 'home'),
      userHome: path.join(root, 'user'),
      scheduler: false,
      policyWatch: { debounceMs: 20 },
    });
    await agent.start();
    try {
      const first = await agent.handlers['agent:get-state']({});
      expect(first.supportContact).toBe('desk 1');
      expect((await agent.handlers['settings:get']({})).locked?.logLevel).toBeUndefined();

      const changed = stateWhere(agent, (s) => s.supportContact === 'desk 2');
      await writeFile(path.join(policyDir, 'policy.json'), JSON.stringify({ supportContact: 'desk 2', lockedLogLevel: 'debug' }));
      const second = await changed;
      expect(second.policyRevision).toBeDefined();
      expect(second.policyRevision).not.toBe(first.policyRevision);
      expect(await agent.handlers['settings:get']({})).toMatchObject({
        logLevel: 'debug',
        locked: { logLevel: 'lockedLogLevel' },
      });

      const provisioned = stateWhere(agent, (s) => s.providers.some((p) => p.name === 'Watched'));
      await writeFile(path.join(policyDir, 'rccd', 'watched.rccd'), await makeRccdV2({ cas, providerName: 'Watched' }));
      await provisioned;
      await expect(agent.handlers['providers:remove']({ name: 'Watched' })).rejects.toThrow(/policy key "providers"/);
    } finally {
      await agent.stop();
    }
  });

  it('the periodic check re-reads every source and reports a change only once', async () => {
    const seen: unknown[] = [];
    const w = await watchPolicy({ onChange: (l) => void seen.push(l.policy), debounceMs: 60_000, pollMs: 3_600_000 });
    try {
      expect(await w.check()).toBe(false);
      await writeFile(path.join(policyDir, 'policy.json'), JSON.stringify({ updatesDisabled: true }));
      expect(await w.check()).toBe(true);
      expect(await w.check()).toBe(false);
      expect(seen).toEqual([{ updatesDisabled: true }]);
    } finally {
      w.stop();
    }
  });
});
