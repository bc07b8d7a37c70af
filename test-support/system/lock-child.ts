// A separate process for the home-lock tests (app/system/home-lock.test.ts):
//   hold STATE_DIR          take the state lock, print "locked", and keep it until killed
//   increment STATE_DIR N   N times: read counter.json, add one, write it back, under the state lock
//   mfa-cache STATE_DIR N NAME   N sign-ins saved to one MSAL token cache (STATE_DIR/mfa/msal.cache, its key in
//                                STATE_DIR/../secrets) the way MSAL drives the cache plugin: read the file, add the
//                                account NAME-i (a sign-in's browser and network: a few ms here), write it back
import type { TokenCacheContext } from '@azure/msal-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CacheKeyring, EncryptedCachePlugin } from '../../app/mfa/encrypted-cache-plugin';
import { FileKeySecretStore } from '../../app/system/file-key-secret-store';
import { setLockRole, withStateLock } from '../../app/system/home-lock';

const [mode, stateDir, n, name] = process.argv.slice(2);
setLockRole(`test ${mode}`);
if (mode === 'hold') {
  await withStateLock(stateDir!, async () => {
    process.stdout.write('locked\n');
    await new Promise(() => setInterval(() => {}, 1 << 30));
  });
} else if (mode === 'increment') {
  const file = path.join(stateDir!, 'counter.json');
  for (let i = 0; i < Number(n); i++) {
    await withStateLock(stateDir!, async () => {
      const value = JSON.parse(await fs.readFile(file, 'utf8').catch(() => '0')) as number;
      // Yield between read and write, as real state updates do (a schedule merge, an index rebuild).
      await new Promise((r) => setImmediate(r));
      await fs.writeFile(file, JSON.stringify(value + 1));
    });
  }
} else if (mode === 'mfa-cache') {
  const fail = (m: string) => {
    process.stderr.write(`${m}\n`);
    process.exit(1);
  };
  const plugin = new EncryptedCachePlugin({
    file: path.join(stateDir!, 'mfa', 'msal.cache'),
    stateDir: stateDir!,
    keyring: new CacheKeyring(new FileKeySecretStore(path.join(stateDir!, '..', 'secrets')), fail),
    cacheId: 'https://idp.test|client',
    warn: fail,
  });
  // MSAL's in-memory cache: a read replaces it, a write serialises it.
  let memory: { Account: Record<string, unknown> } = { Account: {} };
  for (let i = 0; i < Number(n); i++) {
    const context = {
      cacheHasChanged: true,
      tokenCache: { deserialize: (s: string) => void (memory = JSON.parse(s)), serialize: () => JSON.stringify(memory) },
    } as unknown as TokenCacheContext;
    await plugin.beforeCacheAccess(context);
    memory.Account[`${name}-${i}`] = { username: `${name}-${i}@idp.test` };
    await new Promise((r) => setImmediate(r));
    await plugin.afterCacheAccess(context);
  }
}
