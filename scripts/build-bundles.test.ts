import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('bundles', () => {
  it('the sandboxed preload requires nothing but electron (a sandboxed preload cannot load other modules)', async () => {
    const result = await build({
      absWorkingDir: root,
      entryPoints: ['preload/index.ts'],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'browser',
      external: ['electron'],
      metafile: true,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    const requires = [...code.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect([...new Set(requires)]).toEqual(['electron']);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.startsWith('app/ipc/contract'))).toBe(true);
    expect(inputs.filter((i) => /node:|^main\/|browser-host\//.test(i))).toEqual([]);
  });

  it('the renderer page has no inline script and keeps a CSP without unsafe-inline/eval', () => {
    const html = readFileSync(path.join(root, 'renderer', 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc=/);
      expect(body!.trim()).toBe('');
    }
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('no shipped bundle contains test code: nothing from simulators/ or test-support/ (issue 16)', async () => {
    // The ESLint rule sees static imports only; the bundles see everything that ships, import() included.
    for (const entry of ['main/index.ts', 'preload/index.ts', 'browser-host/index.ts', 'app/cli/main.ts', 'renderer/main.tsx']) {
      const result = await build({
        absWorkingDir: root,
        entryPoints: [entry],
        bundle: true,
        write: false,
        format: 'esm',
        platform: entry.startsWith('renderer/') || entry.startsWith('preload/') ? 'browser' : 'node',
        packages: 'external',
        external: ['electron', '*.css'],
        metafile: true,
        logLevel: 'silent',
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.length, entry).toBeGreaterThan(5);
      expect(
        inputs.filter((i) => /^(simulators|test-support)\//.test(i)),
        entry,
      ).toEqual([]);
    }
  });
});
