import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineDeps } from '../engine/enroll';
import { nullLogger } from '../log/logger';
import { forgetPolicy } from '../policy/load-policy';
import { ManualClock } from '../system/clock';
import { ProviderPolicy } from './provider-policy';
import { trackCertificate } from './renewal-job';
import { renewalDecision } from './renewal-rule';
import { Scheduler } from './scheduler';

/**
 * Issue 20, policy `renewalMarginFloorDays`: renewal never starts later than the floor before expiry, even when the
 * server's cert-expiration-margin is smaller — including the fleet jitter, which with a floor spreads earlier.
 */
const day = 86_400_000;
const nb = Date.UTC(2026, 0, 1);
const na = nb + 90 * day;

describe('renewalDecision with the policy floor', () => {
  it('a server margin smaller than the floor: the floor decides', () => {
    const d = renewalDecision({ notBefore: nb, notAfter: na, serverMarginSeconds: 86_400, floorDays: 14 });
    expect(d.basis).toBe('policy-floor');
    expect(d.dueAt).toBe(na - 14 * day);
    expect(d.reason).toMatch(/renewalMarginFloorDays/);
  });

  it('a margin already earlier than the floor is kept', () => {
    const d = renewalDecision({ notBefore: nb, notAfter: na, serverMarginSeconds: 30 * 86_400, floorDays: 14 });
    expect(d).toMatchObject({ basis: 'server-margin', dueAt: na - 30 * day });
  });

  it('a floor as long as the lifetime is not applied (no renewal loop), and says so', () => {
    const d = renewalDecision({ notBefore: nb, notAfter: nb + 7 * day, serverMarginSeconds: 86_400, floorDays: 14 });
    expect(d).toMatchObject({ basis: 'server-margin', dueAt: nb + 6 * day });
    expect(d.reason).toMatch(/renewal floor .* cannot be used/);
  });
});

describe('the scheduler under a floor policy', () => {
  let root: string;
  const saved = process.env.KEYTALK_AGENT_POLICY_DIR;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'kt-floor-'));
    process.env.KEYTALK_AGENT_POLICY_DIR = root;
    forgetPolicy();
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env.KEYTALK_AGENT_POLICY_DIR;
    else process.env.KEYTALK_AGENT_POLICY_DIR = saved;
    forgetPolicy();
    await rm(root, { recursive: true, force: true });
  });

  it('schedules the renewal job no later than notAfter − floor, whatever the jitter draws', async () => {
    await writeFile(path.join(root, 'policy.json'), JSON.stringify({ renewalMarginFloorDays: 14 }));
    // The provider kind's own answer stands in for the server: a one-day margin.
    const engine = {
      providerKinds: { renewalPolicy: async () => ({ serverMarginSeconds: 86_400 }) },
    } as unknown as EngineDeps;
    const clock = new ManualClock(nb);
    const policy = new ProviderPolicy({
      home: root,
      engine,
      log: nullLogger,
      now: () => clock.now(),
    });
    const inputs = await policy.policyInputs({ provider: 'P', service: 'S' });
    expect(inputs).toEqual({ serverMarginSeconds: 86_400, floorDays: 14 });

    const scheduler = new Scheduler({ stateFile: path.join(root, 'schedule.json'), clock });
    const cert = {
      sha256Fingerprint: 'AB'.repeat(32),
      provider: 'P',
      service: 'S',
      notBefore: new Date(nb).toISOString(),
      notAfter: new Date(na).toISOString(),
      stores: ['file'],
    };
    for (const draw of [0, 0.5, 0.999]) {
      const { job, decision } = await trackCertificate(
        scheduler,
        { ...cert, sha256Fingerprint: `${draw}`.padEnd(64, '0') },
        inputs,
        () => draw,
      );
      expect(decision.basis).toBe('policy-floor');
      expect(job.dueAt).toBeLessThanOrEqual(na - 14 * day);
      expect(job.dueAt).toBeGreaterThan(na - 15 * day);
    }
    await scheduler.stop();
  });
});
