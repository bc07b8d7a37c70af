import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSimPki } from './sim-pki';

/**
 * A fresh state folder for a test, seeded with a CA hierarchy that is generated once per machine and reused:
 * every test file would otherwise pay for six RSA keys. The cache is built aside and renamed into place, so
 * parallel test workers never see half of it.
 */
export async function freshStateDir(prefix: string): Promise<string> {
  const cache = path.join(os.tmpdir(), 'keytalk-sim-test-pki-v1');
  if (!existsSync(cache)) {
    const build = mkdtempSync(path.join(os.tmpdir(), 'keytalk-sim-test-pki-build-'));
    await loadSimPki(build);
    try {
      renameSync(path.join(build, 'pki'), cache);
    } catch {
      // another worker won the race; its cache is as good as ours
    }
    rmSync(build, { recursive: true, force: true });
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cpSync(cache, path.join(dir, 'pki'), { recursive: true });
  return dir;
}
