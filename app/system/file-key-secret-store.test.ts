import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeySecretStore } from './file-key-secret-store';

let home: string;
beforeAll(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'secrets-'));
});
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

describe('FileKeySecretStore', () => {
  it('keeps each secret in a 0600 file inside a 0700 folder and says it is not OS-protected', async () => {
    const dir = path.join(home, 'a', 'secrets');
    const store = new FileKeySecretStore(dir);
    expect(store.osProtected).toBe(false);
    expect(await store.get('mfa-token-cache-key')).toBeUndefined();
    await store.set('mfa-token-cache-key', 'c2VjcmV0');
    expect(await new FileKeySecretStore(dir).get('mfa-token-cache-key')).toBe('c2VjcmV0');
    expect((await fs.stat(dir)).mode & 0o777).toBe(0o700);
    expect((await fs.stat(path.join(dir, 'mfa-token-cache-key.secret'))).mode & 0o777).toBe(0o600);
    await store.delete('mfa-token-cache-key');
    expect(await store.get('mfa-token-cache-key')).toBeUndefined();
  });

  it('refuses a secret file others can read, and says how to fix it', async () => {
    const dir = path.join(home, 'b');
    const store = new FileKeySecretStore(dir);
    await store.set('k', 'v');
    await fs.chmod(path.join(dir, 'k.secret'), 0o644);
    await expect(store.get('k')).rejects.toThrow(/readable by other users.*chmod 600/);
  });

  it('rejects secret names that are not plain file names', async () => {
    const store = new FileKeySecretStore(path.join(home, 'c'));
    await expect(store.set('../escape', 'v')).rejects.toThrow(/not usable as a file name/);
  });
});
