import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';
import { forgetPolicy } from '../policy/load-policy';
import { FileKeySecretStore } from '../system/file-key-secret-store';
import { MemorySecretStore } from '../system/secret-store';
import { runEnrollment } from './enroll';
import { secretStorageProtection } from './remember-gate';
import { credentialSecretKey } from './state';

// Issue 22, "Remember without real protection": the sign-in prompt says how a remembered password would be kept,
// and policy lockedRememberSecrets: false (docs/deployment.md) forbids remembering — the prompt shows it locked and
// the core stores nothing even when a front-end answers remember: true. The policy is a real folder
// (KEYTALK_AGENT_POLICY_DIR), the enrollment a real one against the KeyTalk simulator.
let h: SimHarness;
let policyDir: string;
const saved = process.env.KEYTALK_AGENT_POLICY_DIR;

beforeAll(async () => {
  h = await startSimHarness({
    providers: [
      {
        name: 'Demo',
        services: [{ name: 'PASSWD', credentials: ['USERID', 'PASSWD'] }],
        users: [{ id: 'DemoUser', password: 'secret' }],
      },
    ],
  });
  policyDir = await mkdtemp(path.join(os.tmpdir(), 'kt-remember-policy-'));
});
afterAll(async () => {
  await h?.stop();
  await rm(policyDir, { recursive: true, force: true });
});
afterEach(() => {
  if (saved === undefined) delete process.env.KEYTALK_AGENT_POLICY_DIR;
  else process.env.KEYTALK_AGENT_POLICY_DIR = saved;
  forgetPolicy();
});

async function usePolicy(policy: object) {
  await mkdir(policyDir, { recursive: true });
  await writeFile(path.join(policyDir, 'policy.json'), JSON.stringify(policy));
  process.env.KEYTALK_AGENT_POLICY_DIR = policyDir;
  forgetPolicy();
}

describe('remembering a password', () => {
  it('names the protection of each secret store', () => {
    expect(secretStorageProtection({ kind: 'electron-safe-storage', osProtected: true })).toBe('os');
    expect(secretStorageProtection(new FileKeySecretStore(path.join(policyDir, 'secrets')))).toBe('weak');
    // Electron safeStorage on Linux without a keyring ('basic_text'): a fixed key.
    expect(secretStorageProtection({ kind: 'electron-safe-storage', osProtected: false })).toBe('none');
  });

  it('without a policy: offered with the store protection named, and kept', async () => {
    await usePolicy({});
    const secrets = new MemorySecretStore();
    const fe = scriptedTestFrontEnd([() => creds({ USERID: 'DemoUser', PASSWD: 'secret' }, true)]);
    const out = await runEnrollment({ provider: 'Demo', service: 'PASSWD' }, fe.fe, h.deps({ secretStore: secrets }));
    expect(out.status).toBe('issued');
    expect(fe.prompts[0]).toMatchObject({ kind: 'credentials', offerRemember: true, rememberProtection: 'none' });
    expect(await secrets.get(credentialSecretKey('Demo', 'PASSWD'))).toContain('secret');
  });

  it('policy lockedRememberSecrets: false: shown locked, and refused by the core whatever the answer', async () => {
    await usePolicy({ lockedRememberSecrets: false });
    const secrets = new MemorySecretStore();
    const fe = scriptedTestFrontEnd([() => creds({ USERID: 'DemoUser', PASSWD: 'secret' }, true)]);
    const out = await runEnrollment({ provider: 'Demo', service: 'PASSWD' }, fe.fe, h.deps({ secretStore: secrets }));
    expect(out.status).toBe('issued');
    expect(fe.prompts[0]).toMatchObject({ kind: 'credentials', offerRemember: false, rememberLocked: true });
    expect(await secrets.get(credentialSecretKey('Demo', 'PASSWD'))).toBeUndefined();
  });
});
