import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TokenCacheContext } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../system/secret-store';
import { CACHE_KEY_SECRET, CacheKeyring, EncryptedCachePlugin } from './encrypted-cache-plugin';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mfa-cache-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** The two calls MSAL makes on the cache context, recorded. */
function context(serialized: string, changed = true) {
  const loaded: string[] = [];
  const ctx = {
    cacheHasChanged: changed,
    tokenCache: { serialize: () => serialized, deserialize: (d: string) => void loaded.push(d) },
  } as unknown as TokenCacheContext;
  return { ctx, loaded };
}

let n = 0;
function plugin(
  secrets = new MemorySecretStore(),
  cacheId = 'https://idp.example/x|client',
  file = path.join(dir, `c${++n}.cache`),
) {
  const warnings: string[] = [];
  const p = new EncryptedCachePlugin({
    file,
    keyring: new CacheKeyring(secrets, (m) => warnings.push(m)),
    cacheId,
    warn: (m) => warnings.push(m),
  });
  return { p, warnings, secrets, file };
}

const CACHE = JSON.stringify({ Account: {}, RefreshToken: { rt: { secret: 'refresh-token-secret-value' } } });

describe('EncryptedCachePlugin', () => {
  it('round-trips through an encrypted 0600 file; the secret never appears in it', async () => {
    const { p, file, secrets } = plugin();
    await p.afterCacheAccess(context(CACHE).ctx);
    const raw = await fs.readFile(file);
    expect(raw.includes(Buffer.from('refresh-token-secret-value'))).toBe(false);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await secrets.get(CACHE_KEY_SECRET))!, 'base64')).toHaveLength(32);

    const again = plugin(secrets, 'https://idp.example/x|client', file);
    const { ctx, loaded } = context('');
    await again.p.beforeCacheAccess(ctx);
    expect(loaded).toEqual([CACHE]);
    expect(again.warnings).toEqual([]);
  });

  it('under a policy that forbids remembering, nothing is read or written and an earlier cache is removed (issue 22)', async () => {
    const { p, file, secrets } = plugin();
    await p.afterCacheAccess(context(CACHE).ctx);
    let allowed = false;
    const forbidden = new EncryptedCachePlugin({
      file,
      keyring: new CacheKeyring(secrets, () => undefined),
      cacheId: 'https://idp.example/x|client',
      warn: () => undefined,
      mayPersist: () => Promise.resolve(allowed),
    });
    const { ctx, loaded } = context('');
    await forbidden.beforeCacheAccess(ctx);
    expect(loaded).toEqual([]);
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await forbidden.afterCacheAccess(context(CACHE).ctx);
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    // The policy lifted: the next sign-in is kept again.
    allowed = true;
    await forbidden.afterCacheAccess(context(CACHE).ctx);
    expect((await fs.stat(file)).isFile()).toBe(true);
  });

  it('does not rewrite the file when MSAL reports no change', async () => {
    const { p, file } = plugin();
    await p.afterCacheAccess(context(CACHE, false).ctx);
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a file copied from another authority/client does not load (the cache id is authenticated)', async () => {
    const { p, file, secrets } = plugin();
    await p.afterCacheAccess(context(CACHE).ctx);
    const other = plugin(secrets, 'https://evil.example/x|client', file);
    const { ctx, loaded } = context('');
    await other.p.beforeCacheAccess(ctx);
    expect(loaded).toEqual([]);
    expect(other.warnings[0]).toMatch(/integrity check failed/);
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each([
    ['truncated', (b: Buffer) => b.subarray(0, 10), /not an encrypted KeyTalk token cache/],
    ['garbage', () => Buffer.from('{"Account":{}}'), /not an encrypted KeyTalk token cache/],
    ['other version', (b: Buffer) => Buffer.concat([b.subarray(0, 4), Buffer.from([9]), b.subarray(5)]), /version 9/],
    [
      'flipped tag bit',
      (b: Buffer) => Buffer.concat([b.subarray(0, 20), Buffer.from([b[20]! ^ 1]), b.subarray(21)]),
      /integrity/,
    ],
  ])('%s file: cleared with a warning, nothing loaded', async (_name, damage, why) => {
    const { p, file, secrets } = plugin();
    await p.afterCacheAccess(context(CACHE).ctx);
    await fs.writeFile(file, damage(await fs.readFile(file)));
    const next = plugin(secrets, 'https://idp.example/x|client', file);
    const { ctx, loaded } = context('');
    await next.p.beforeCacheAccess(ctx);
    expect(loaded).toEqual([]);
    expect(next.warnings).toHaveLength(1);
    expect(next.warnings[0]).toMatch(why);
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a lost key (secret store reset) clears the cache with a warning', async () => {
    const { p, file } = plugin();
    await p.afterCacheAccess(context(CACHE).ctx);
    const next = plugin(new MemorySecretStore(), 'https://idp.example/x|client', file);
    const { ctx, loaded } = context('');
    await next.p.beforeCacheAccess(ctx);
    expect(loaded).toEqual([]);
    expect(next.warnings[0]).toMatch(/key is missing/);
  });

  it('two caches writing at once share one key', async () => {
    const secrets = new MemorySecretStore();
    const keyring = new CacheKeyring(secrets, () => undefined);
    const mk = (id: string) =>
      new EncryptedCachePlugin({ file: path.join(dir, `shared-${id}.cache`), keyring, cacheId: id, warn: () => undefined });
    const [a, b] = [mk('a'), mk('b')];
    await Promise.all([a.afterCacheAccess(context(CACHE).ctx), b.afterCacheAccess(context(CACHE).ctx)]);
    const fresh = new CacheKeyring(secrets, () => undefined);
    for (const id of ['a', 'b']) {
      const reader = new EncryptedCachePlugin({
        file: path.join(dir, `shared-${id}.cache`),
        keyring: fresh,
        cacheId: id,
        warn: (m) => expect.fail(m),
      });
      expect(await reader.load()).toBe(CACHE);
    }
  });
});
