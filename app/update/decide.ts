import { createHash } from 'node:crypto';
import type { Policy } from '../policy/schema';
import type { UpdateChannel, UpdateInfo } from './feed';

/**
 * Whether this device takes an offered update. The organisation decides first (policy `updatesDisabled`: IT pushes
 * installers instead; `updateChannel`), then the version (only newer), then a staged rollout: the feed's
 * `stagingPercentage` admits a stable share of devices, chosen by a bucket derived from a per-device id — the same
 * device stays in or out as the percentage grows, and raising it only adds devices.
 */
export interface UpdateDecision {
  update: boolean;
  reason: string;
}

export function updateChannel(policy: Policy, userChoice?: UpdateChannel): UpdateChannel {
  return policy.updateChannel ?? userChoice ?? 'stable';
}

/** 0 ≤ bucket < 100, stable for a device id. */
export function rolloutBucket(deviceId: string): number {
  const n = createHash('sha256').update(`keytalk-agent-rollout:${deviceId}`).digest().readUInt32BE(0);
  return (n / 0x1_0000_0000) * 100;
}

export function shouldUpdate(o: { current: string; offered: UpdateInfo; policy: Policy; deviceId: string }): UpdateDecision {
  if (o.policy.updatesDisabled)
    return { update: false, reason: 'updates are switched off by your organisation (policy updatesDisabled)' };
  if (compareVersions(o.offered.version, o.current) <= 0)
    return { update: false, reason: `${o.offered.version} is not newer than ${o.current}` };
  const pct = o.offered.stagingPercentage;
  if (pct !== undefined && rolloutBucket(o.deviceId) >= pct)
    return {
      update: false,
      reason: `${o.offered.version} is rolled out to ${pct}% of devices so far; this one is not yet among them`,
    };
  return { update: true, reason: `${o.offered.version} is newer than ${o.current}` };
}

/** Semantic versions (x.y.z[-pre]); a pre-release is older than its release. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const [core = '', pre] = v.replace(/^v/, '').split('-', 2);
    return { nums: core.split('.').map((x) => Number.parseInt(x, 10) || 0), pre };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}
