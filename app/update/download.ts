import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { UpdateFile } from './feed';

/**
 * Downloads one file of an update and keeps it only if its SHA-512 is the one the channel file names (electron-
 * updater's own check, done here without Electron so it can be tested and reused): streamed into a temp file,
 * hashed on the way, renamed into place only when it matches. A mismatch leaves nothing behind.
 */
export class UpdateIntegrityError extends Error {
  constructor(file: string, expected: string, got: string) {
    super(`the downloaded update ${file} has sha512 ${got}, not ${expected} as the feed says; it was discarded`);
    this.name = 'UpdateIntegrityError';
  }
}

export async function downloadVerified(feedBase: string, file: UpdateFile, dir: string, maxBytes = 1 << 30): Promise<string> {
  const url = new URL(file.url, feedBase.endsWith('/') ? feedBase : `${feedBase}/`);
  const target = path.join(dir, path.basename(url.pathname));
  const temp = `${target}.${randomBytes(6).toString('hex')}.part`;
  await mkdir(dir, { recursive: true });
  const hash = createHash('sha512');
  try {
    const res = await get(url);
    if (res.statusCode !== 200) {
      res.resume();
      throw new Error(`update download ${url.href} answered HTTP ${res.statusCode}`);
    }
    let bytes = 0;
    res.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) res.destroy(new Error(`update download ${url.href} is larger than ${maxBytes} bytes`));
      hash.update(chunk);
    });
    await pipeline(res, createWriteStream(temp, { mode: 0o600 }));
    const got = hash.digest('base64');
    if (got !== file.sha512) throw new UpdateIntegrityError(path.basename(target), file.sha512, got);
    await rename(temp, target);
    return target;
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

function get(url: URL): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).get(url, resolve);
    req.on('error', reject);
    req.setTimeout(60_000, () => req.destroy(new Error(`update download ${url.href} stalled for 60 s`)));
  });
}

/** Fetches a channel file's text (bounded: a feed file is a few hundred bytes). */
export async function fetchText(url: URL, maxBytes = 1 << 20): Promise<string> {
  const res = await get(url);
  if (res.statusCode !== 200) {
    res.resume();
    throw new Error(`update feed ${url.href} answered HTTP ${res.statusCode}`);
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const c of res as AsyncIterable<Buffer>) {
    bytes += c.length;
    if (bytes > maxBytes) throw new Error(`update feed ${url.href} is larger than ${maxBytes} bytes`);
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}
