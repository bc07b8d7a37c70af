#!/usr/bin/env node
// One build for every bundle: esbuild for the Node-side processes (main, preload, browser host, CLI),
// Vite for the renderer. `node scripts/build.mjs [--only main,preload,host,cli,renderer]`.
import { build as esbuild } from 'esbuild';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zodEnglishOnly } from './build/zod-english-only.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;
const want = (name) => !only || only.has(name);

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // ws's optional native speed-ups: absent is fine, ws falls back to JS.
  external: ['bufferutil', 'utf-8-validate'],
  plugins: [zodEnglishOnly],
};

const jobs = [];

if (want('main')) {
  // Electron main: CJS (Electron's loader), everything bundled except electron itself, so the packaged
  // app does not depend on ESM/CJS interop of individual dependencies.
  jobs.push(
    esbuild({
      ...common,
      entryPoints: ['main/index.ts'],
      outfile: 'dist/main/index.cjs',
      format: 'cjs',
      target: 'node22',
      external: [...common.external, 'electron'],
    }),
  );
}

if (want('preload')) {
  // Sandboxed preload: may only require('electron') (and a few polyfilled modules), so all else is inlined.
  jobs.push(
    esbuild({
      ...common,
      entryPoints: ['preload/index.ts'],
      outfile: 'dist/preload/index.cjs',
      format: 'cjs',
      platform: 'browser',
      target: 'chrome120',
      minify: true,
      external: ['electron'],
    }),
  );
}

const esmBanner = {
  // Bundled CJS dependencies may call require(); give ESM output one.
  js: "import { createRequire as __ktCreateRequire } from 'node:module'; const require = __ktCreateRequire(import.meta.url);",
};

if (want('host')) {
  jobs.push(
    esbuild({
      ...common,
      entryPoints: ['browser-host/index.ts'],
      outfile: 'dist/browser-host/index.mjs',
      format: 'esm',
      packages: 'external',
      banner: esmBanner,
    }),
  );
}

if (want('cli')) {
  // The engine work writes app/cli/main.ts; until it exists the build stays green without the CLI.
  if (existsSync(path.join(root, 'app/cli/main.ts'))) {
    jobs.push(
      // Chunk names carry content hashes: clear the folder so stale chunks are neither loaded nor packaged.
      rm(path.join(dist, 'cli'), { recursive: true, force: true }).then(() =>
        esbuild({
          ...common,
          entryPoints: { 'keytalk-agent': 'app/cli/main.ts' },
          outdir: 'dist/cli',
          chunkNames: 'chunks/[name]-[hash]',
          outExtension: { '.js': '.mjs' },
          splitting: true,
          format: 'esm',
          banner: esmBanner,
        }),
      ),
    );
  } else {
    console.log('build: app/cli/main.ts not present yet, skipping the CLI bundle');
  }
}

if (want('renderer')) {
  jobs.push(
    (async () => {
      const { build: viteBuild } = await import('vite');
      await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
    })(),
  );
}

if (!only) await rm(dist, { recursive: true, force: true });
const started = Date.now();
const results = await Promise.allSettled(jobs);
const failed = results.filter((r) => r.status === 'rejected');
for (const f of failed) console.error(f.reason instanceof Error ? f.reason.message : f.reason);
if (failed.length) process.exit(1);
console.log(`build: ${jobs.length} bundles in ${Date.now() - started} ms → ${path.relative(process.cwd(), dist) || 'dist'}/`);
