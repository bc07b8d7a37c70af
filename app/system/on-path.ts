import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * Whether a program can be found on PATH, without running it (synchronous and cheap: a few stat calls). Used to
 * leave a default out when its tool is missing, so a minimal server without libnss3-tools is not handed an NSS
 * store that fails every enrollment; a store the user names explicitly still fails with the tool's name.
 */
export function onPath(program: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): boolean {
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
  const names = platform === 'win32' ? ['.exe', '.cmd', '.bat', ''].map((ext) => program + ext) : [program];
  for (const dir of dirs)
    for (const name of names) {
      try {
        accessSync(path.join(dir, name), platform === 'win32' ? constants.F_OK : constants.X_OK);
        return true;
      } catch {
        // not in this folder
      }
    }
  return false;
}
