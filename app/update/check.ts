import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { homeLayout } from '../config/home';
import type { Policy } from '../policy/schema';
import { readJsonFile, writeJsonAtomic } from '../system/atomic-write';
import { shouldUpdate, updateChannel, type UpdateDecision } from './decide';
import { feedUrl, parseChannelFile, type UpdateChannel, type UpdateInfo } from './feed';
import { fetchText } from './download';

/**
 * One update check in the core: the policy's channel, the feed's channel file for this OS, and the decision. The
 * per-device id (for the staged-rollout bucket) is created once per agent home and kept in state/device-id.json.
 */
export async function deviceId(home: string): Promise<string> {
  const file = path.join(homeLayout(home).state, 'device-id.json');
  const rec = await readJsonFile<{ id?: unknown }>(file, {});
  if (typeof rec.id === 'string' && rec.id) return rec.id;
  const id = randomUUID();
  await writeJsonAtomic(file, { id });
  return id;
}

export interface UpdateCheck extends UpdateDecision {
  channel: UpdateChannel;
  feed: string;
  offered?: UpdateInfo;
}

export async function checkForUpdate(o: {
  home: string;
  feedBase: string;
  current: string;
  policy: Policy;
  platform?: NodeJS.Platform;
  arch?: string;
  userChannel?: UpdateChannel;
}): Promise<UpdateCheck> {
  const channel = updateChannel(o.policy, o.userChannel);
  const url = feedUrl(o.feedBase, channel, o.platform ?? process.platform, o.arch);
  // Switched off: the feed is not even asked (an administrator may block it at the firewall).
  if (o.policy.updatesDisabled)
    return {
      ...shouldUpdate({ current: o.current, offered: { version: '0.0.0', files: [] }, policy: o.policy, deviceId: '' }),
      channel,
      feed: url.href,
    };
  const offered = parseChannelFile(await fetchText(url), url.href);
  const decision = shouldUpdate({ current: o.current, offered, policy: o.policy, deviceId: await deviceId(o.home) });
  return { ...decision, channel, feed: url.href, offered };
}
