// A separate process for the home-lock tests (app/system/home-lock.test.ts):
//   hold STATE_DIR          take the state lock, print "locked", and keep it until killed
//   increment STATE_DIR N   N times: read counter.json, add one, write it back, under the state lock
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setLockRole, withStateLock } from '../../app/system/home-lock';

const [mode, stateDir, n] = process.argv.slice(2);
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
}
