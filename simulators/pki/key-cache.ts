import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * TESTS ONLY: a cache of RSA-2048 keys shared by test processes, so a simulator start does not spend ~2 s of CPU on
 * keys (six CAs, the TLS key, a pool of eight user keys) in every one of the ~60 test files that starts one.
 *
 * Keys are handed out in order, key-0, key-1, … — each index at most once per process, so two simulators or CAs in one
 * test never share a key (a "foreign" CA is really foreign). Another process (another test file) gets the same
 * sequence: that is the saving. It is safe because test processes never talk to each other's simulators; that is
 * why it is switched on in the test runner's own processes (vitest's setup file, e2e/fixtures.ts in the Playwright worker) and never through
 * the environment, which a spawned child (a simulator under test, the CLI) would inherit.
 *
 * A missing or unreadable key is generated and written (temp file + rename); two processes racing for one index
 * each keep the key they made, which is still unique within each of them. Off by default: `npm run sim`, the demo
 * and the benchmarks generate every key, as a real server does.
 */
let cache: { dir: string; next: number } | undefined;

/** Switch the cache on for this process, keeping keys in `dir` (created 0700); `KT_TEST_KEY_CACHE=off` leaves it off. */
export function useTestKeyCache(dir = path.join(os.tmpdir(), 'kt-test-keys')): void {
  if (process.env.KT_TEST_KEY_CACHE === 'off') return;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  cache = { dir, next: 0 };
}

/** Whether keys of this size come from the cache (only 2048-bit RSA is cached). */
export function keyCacheServes(bits: number): boolean {
  return cache !== undefined && bits === 2048;
}

export interface CachedKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

function fileOf(index: number): string {
  return path.join(cache!.dir, `rsa2048-${index}.pem`);
}

function read(file: string): CachedKey | undefined {
  try {
    const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
    if (privateKey.asymmetricKeyType !== 'rsa' || privateKey.asymmetricKeyDetails?.modulusLength !== 2048) return undefined;
    return { privateKey, publicKey: createPublicKey(privateKey) };
  } catch {
    return undefined;
  }
}

function keep(file: string, key: CachedKey): void {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, key.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
  } catch {
    // A full or read-only temp folder only costs the saving: the key is still used.
    rmSync(tmp, { force: true });
  }
}

/** The next cached key for this process; generated (off the main thread) and kept when not cached yet. */
export async function nextCachedKey(): Promise<CachedKey> {
  const file = fileOf(cache!.next++);
  const cached = read(file);
  if (cached) return cached;
  const key = await new Promise<CachedKey>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 0x10001 }, (err, publicKey, privateKey) =>
      err ? reject(err) : resolve({ publicKey, privateKey }),
    ),
  );
  keep(file, key);
  return key;
}

/** The same, for synchronous callers. */
export function nextCachedKeySync(): CachedKey {
  const file = fileOf(cache!.next++);
  const cached = read(file);
  if (cached) return cached;
  const key = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  keep(file, key);
  return key;
}
