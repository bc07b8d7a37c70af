import path from 'node:path';
import * as electron from 'electron';
import { startMain } from './app/start-main';

// Bundled to dist/main/index.cjs; the renderer and preload sit next to it under dist/, and resources/
// is beside dist/ in development and in the packaged app's resources folder.
const distDir = path.resolve(__dirname, '..');
const resourcesDir = electron.app.isPackaged
  ? path.join(process.resourcesPath, 'resources')
  : path.resolve(distDir, '..', 'resources');

startMain(electron, { paths: { distDir, resourcesDir } }).catch((err: unknown) => {
  console.error(`KeyTalk Agent failed to start: ${(err as Error).stack ?? String(err)}`);
  electron.app.exit(1);
});
