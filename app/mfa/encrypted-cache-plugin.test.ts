import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TokenCacheContext } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeySecretStore } from '../system/file-key-secret-store';
import { onLockWait, type LockWait } from '../system/home-lock';
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
  stateDir = dir,
) {
  const warnings: string[] = [];
  const p = new EncryptedCachePlugin({
    file,
    stateDir,
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
      stateDir: dir,
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
      new EncryptedCachePlugin({
        file: path.join(dir, `shared-${id}.cache`),
        stateDir: dir,
        keyring,
        cacheId: id,
        warn: () => undefined,
      });
    const [a, b] = [mk('a'), mk('b')];
    await Promise.all([a.afterCacheAccess(context(CACHE).ctx), b.afterCacheAccess(context(CACHE).ctx)]);
    const fresh = new CacheKeyring(secrets, () => undefined);
    for (const id of ['a', 'b']) {
      const reader = new EncryptedCachePlugin({
        file: path.join(dir, `shared-${id}.cache`),
        stateDir: dir,
        keyring: fresh,
        cacheId: id,
        warn: (m) => expect.fail(m),
      });
      expect(await reader.load()).toBe(CACHE);
    }
  });
});

/** MSAL's in-memory cache as the plugin sees it: each access reads the file into it and serialises it back. */
function msalMemory() {
  let memory: { Account: Record<string, unknown> } = { Account: {} };
  return {
    accounts: () => memory.Account,
    access: () =>
      ({
        cacheHasChanged: true,
        tokenCache: { deserialize: (d: string) => void (memory = JSON.parse(d)), serialize: () => JSON.stringify(memory) },
      }) as unknown as TokenCacheContext,
  };
}

describe('one token cache, several agent processes on one home (issue 22)', () => {
  it("a sign-out and another agent's sign-in between the same read and write both stay done", async () => {
    const secrets = new MemorySecretStore();
    const file = path.join(dir, 'two-agents.cache');
    const [a, b] = [plugin(secrets, 'id', file).p, plugin(secrets, 'id', file).p];
    const [memA, memB] = [msalMemory(), msalMemory()];
    const first = memA.access();
    await a.beforeCacheAccess(first);
    memA.accounts().x = { username: 'x@idp.test' };
    await a.afterCacheAccess(first);

    const [signOut, signIn] = [memA.access(), memB.access()];
    await a.beforeCacheAccess(signOut);
    await b.beforeCacheAccess(signIn);
    delete memA.accounts().x;
    memB.accounts().y = { username: 'y@idp.test' };
    await a.afterCacheAccess(signOut);
    // B read the file before A's sign-out was written: writing its memory back would bring x back.
    await b.afterCacheAccess(signIn);
    expect(Object.keys(JSON.parse((await plugin(secrets, 'id', file).p.load())!).Account)).toEqual(['y']);
  });

  it("the last sign-out removes the file only when no other process's account has been saved into it since", async () => {
    const secrets = new MemorySecretStore();
    const file = path.join(dir, 'last-sign-out.cache');
    const [a, b] = [plugin(secrets, 'id', file).p, plugin(secrets, 'id', file).p];
    const memB = msalMemory();
    const signIn = memB.access();
    await b.beforeCacheAccess(signIn);
    memB.accounts().y = { username: 'y@idp.test' };
    await b.afterCacheAccess(signIn);
    // A's MSAL holds no account (its own was signed out); the file now holds B's: it must stay.
    expect(await a.clearIfNoAccount()).toBe(false);
    expect(Object.keys(JSON.parse((await a.load())!).Account)).toEqual(['y']);
    const signOut = memB.access();
    await b.beforeCacheAccess(signOut);
    delete memB.accounts().y;
    await b.afterCacheAccess(signOut);
    expect(await a.clearIfNoAccount()).toBe(true);
    await expect(fs.access(file)).rejects.toThrow();
  });

  it("its write waits while another process holds the home's state lock (lock-child.ts hold)", async () => {
    const stateDir = path.join(dir, 'held-home', 'state');
    const holder = spawn(process.execPath, ['--import', 'tsx', 'test-support/system/lock-child.ts', 'hold', stateDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => holder.on('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
        holder.on('exit', (code) => reject(new Error(`lock holder exited (${code})`)));
      });
      const waited = new Promise<LockWait>((resolve) => {
        const off = onLockWait((w) => {
          off();
          resolve(w);
        });
      });
      const { p, file } = plugin(new MemorySecretStore(), 'id', path.join(stateDir, 'mfa', 'held.cache'), stateDir);
      const memory = msalMemory();
      const signIn = memory.access();
      await p.beforeCacheAccess(signIn);
      memory.accounts().x = { username: 'x@idp.test' };
      const write = p.afterCacheAccess(signIn);
      const first = await Promise.race([waited, write.then(() => 'written without waiting for the lock')]);
      expect(first).toMatchObject({ lock: path.join(stateDir, 'home.lock'), holder: { pid: holder.pid } });
      await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
      holder.kill('SIGTERM'); // a normal end releases the lock at once
      await write;
      expect(Object.keys(JSON.parse((await p.load())!).Account)).toEqual(['x']);
    } finally {
      holder.kill('SIGKILL');
      await exited;
    }
  }, 30_000);

  it('two processes saving sign-ins at once lose no account, and share one key (test-support/system/lock-child.ts)', async () => {
    const stateDir = path.join(dir, 'home', 'state');
    const child = (name: string) =>
      new Promise<number | null>((resolve) =>
        spawn(process.execPath, ['--import', 'tsx', 'test-support/system/lock-child.ts', 'mfa-cache', stateDir, '12', name], {
          stdio: ['ignore', 'inherit', 'inherit'],
        }).on('exit', resolve),
      );
    expect(await Promise.all([child('a'), child('b')])).toEqual([0, 0]);
    const reader = new EncryptedCachePlugin({
      file: path.join(stateDir, 'mfa', 'msal.cache'),
      stateDir,
      keyring: new CacheKeyring(new FileKeySecretStore(path.join(dir, 'home', 'secrets')), (m) => expect.fail(m)),
      cacheId: 'https://idp.test|client',
      warn: (m) => expect.fail(m),
    });
    const accounts = Object.keys((JSON.parse((await reader.load())!) as { Account: object }).Account);
    expect(accounts.sort()).toEqual(['a', 'b'].flatMap((n) => Array.from({ length: 12 }, (_, i) => `${n}-${i}`)).sort());
  }, 30_000);
});
