import { parse } from 'yaml';

/**
 * The update feed as electron-updater's "generic" provider lays it out (electron-builder `publish: {provider:
 * generic, url}`): beside the installers, one YAML per channel and OS — `latest.yml` (Windows), `latest-mac.yml`,
 * `latest-linux.yml` (`-linux-arm64` on ARM), and `beta*.yml` for the beta channel — naming the version, each file's
 * url, size and sha512 (base64), and optionally `stagingPercentage` for a staged rollout. Electron-free: the main
 * process binds electron-updater to the same decisions (main/app/updater.ts).
 */
export type UpdateChannel = 'stable' | 'beta';

export interface UpdateFile {
  url: string;
  sha512: string;
  size?: number;
}

export interface UpdateInfo {
  version: string;
  files: UpdateFile[];
  releaseDate?: string;
  /** 0–100: only this share of devices takes the update for now. */
  stagingPercentage?: number;
}

/** electron-updater's channel file name: "latest" is the stable channel. */
export function channelFile(channel: UpdateChannel, platform: NodeJS.Platform, arch: string = process.arch): string {
  const name = channel === 'stable' ? 'latest' : 'beta';
  if (platform === 'darwin') return `${name}-mac.yml`;
  if (platform === 'linux') return `${name}-linux${arch === 'arm64' ? '-arm64' : ''}.yml`;
  return `${name}.yml`;
}

/** The channel file's URL under the feed base (a base without a trailing slash still means the folder). */
export function feedUrl(base: string, channel: UpdateChannel, platform: NodeJS.Platform, arch?: string): URL {
  const folder = base.endsWith('/') ? base : `${base}/`;
  const url = new URL(channelFile(channel, platform, arch), folder);
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`update feed "${base}" must be an http(s) URL (electron-builder publish: provider generic, url)`);
  return url;
}

/** Reads a channel file; anything without a version and at least one file with a sha512 is refused by name. */
export function parseChannelFile(text: string, source: string): UpdateInfo {
  let raw: Record<string, unknown>;
  try {
    raw = parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${source} is not YAML (${(err as Error).message})`);
  }
  if (!raw || typeof raw.version !== 'string') throw new Error(`${source} names no version`);
  const files = Array.isArray(raw.files)
    ? (raw.files as Record<string, unknown>[])
    : // Old electron-builder files carry one path + sha512 at the top level.
      typeof raw.path === 'string'
      ? [{ url: raw.path, sha512: raw.sha512 }]
      : [];
  const valid = files.filter((f) => typeof f?.url === 'string' && typeof f?.sha512 === 'string') as unknown as UpdateFile[];
  if (!valid.length) throw new Error(`${source} names no file with a sha512`);
  const pct = raw.stagingPercentage;
  return {
    version: raw.version,
    files: valid.map((f) => ({ url: f.url, sha512: f.sha512, ...(typeof f.size === 'number' ? { size: f.size } : {}) })),
    ...(typeof raw.releaseDate === 'string' ? { releaseDate: raw.releaseDate } : {}),
    ...(typeof pct === 'number' && pct >= 0 && pct <= 100 ? { stagingPercentage: pct } : {}),
  };
}
