import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A real small file system for disk-full and read-only tests: a tmpfs of `size` mounted in a temp folder. Needs
 * root (or CAP_SYS_ADMIN); `mountSmallDisk` returns the reason instead when it cannot mount, and the test skips
 * printing it. ENOSPC from a real kernel, not a mocked fs.
 */
export interface SmallDisk {
  dir: string;
  /** Fill the remaining space with one file (removed by `free`). */
  fill(): void;
  free(): void;
  readOnly(on: boolean): void;
  unmount(): void;
}

export function mountSmallDisk(size = '512k'): SmallDisk | string {
  if (process.platform !== 'linux') return `tmpfs mounts need Linux (this is ${process.platform})`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return `cannot mount a tmpfs here (${String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim()})`;
  }
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill() {
      // One big write stops at ENOSPC; then small ones take the last blocks.
      for (const chunk of [1 << 20, 4096, 1]) {
        for (;;) {
          try {
            writeFileSync(filler, Buffer.alloc(chunk), { flag: 'a' });
          } catch {
            break;
          }
        }
      }
    },
    free: () => rmSync(filler, { force: true }),
    readOnly: (on) => execFileSync('mount', ['-o', `remount,${on ? 'ro' : 'rw'}`, dir], { stdio: 'pipe' }),
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
