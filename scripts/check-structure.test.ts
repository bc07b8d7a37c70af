import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkStructure, type StructureAllowlist } from './check-structure.mjs';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'check-structure.mjs');
let tree: string;

/** A temp repository with the given files (path → content). */
function makeTree(files: Record<string, string>) {
  tree = mkdtempSync(path.join(os.tmpdir(), 'structure-'));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
    writeFileSync(path.join(tree, file), content);
  }
  return tree;
}

/** The checker's problems for a tree, one string each (empty: the structure holds). */
function check(files: Record<string, string>, allowlist: StructureAllowlist = {}) {
  const problems = checkStructure(makeTree(files), allowlist);
  return { problems, out: problems.join('\n') };
}

const lines = (n: number) => Array.from({ length: n }, (_, i) => `export const v${i} = ${i};\n`).join('');

afterEach(() => rmSync(tree, { recursive: true, force: true }));

describe('check-structure', () => {
  it('fails on a product file over 400 lines and names it; 400 lines, tests and test-support/ do not count', () => {
    const r = check({
      'app/engine/big.ts': lines(401),
      'app/engine/at-limit.ts': lines(400),
      'app/engine/big.test.ts': lines(900),
      'renderer/pages/Page.tsx': lines(10),
      'test-support/engine/harness.ts': lines(900),
    });
    expect(r.problems).toHaveLength(1);
    expect(r.out).toContain('app/engine/big.ts: 401 lines (limit 400). Fix: split it');
    expect(r.out).not.toMatch(/at-limit|big\.test|harness/);
  });

  it('finds an import cycle through a type-only import and a re-export, but not through import()', () => {
    const r = check({
      'app/a/one.ts': "import { two } from '../b/two';\nexport const one = two;\n",
      'app/b/two.ts': "export { three as two } from './three';\n",
      'app/b/three.ts': "import type { One } from '../a/one';\nexport const three = 3 as unknown as One;\n",
      // A lazy edge back is fine: it cannot deadlock module initialisation.
      'app/c/lazy.ts': "import { one } from '../a/one';\nexport const lazy = one;\n",
      'app/c/uses-lazy.ts': "export const load = () => import('./lazy');\n",
    });
    expect(r.problems).toHaveLength(1);
    expect(r.out).toContain('import cycle: app/a/one.ts → app/b/two.ts → app/b/three.ts → app/a/one.ts');
    expect(r.out).toContain('Fix: move what both sides need into a module below both');
    expect(r.out).not.toContain('lazy');
  });

  it('as a command: exit 0 and "ok" on a clean tree, exit 1 with the file named on a violation', () => {
    const run = (files: Record<string, string>) => {
      const root = makeTree(files);
      writeFileSync(path.join(root, 'allow.json'), '{}');
      const r = spawnSync(process.execPath, [script, '--root', root, '--allowlist', path.join(root, 'allow.json')], {
        encoding: 'utf8',
      });
      rmSync(root, { recursive: true, force: true });
      return { code: r.status, out: r.stdout + r.stderr };
    };
    const clean = run({
      'app/a/one.ts': "import { two } from './two';\nexport const one = two;\n",
      'app/a/two.ts': 'export const two = 2;\n',
    });
    expect(clean.out).toContain('structure: ok');
    expect(clean.code).toBe(0);
    const bad = run({ 'main/big.ts': lines(401) });
    expect(bad.out).toContain('main/big.ts: 401 lines');
    expect(bad.code).toBe(1);
  });

  it('the allow-list only shrinks: listed violations pass, a fixed entry, a grown file and a smaller cycle fail', () => {
    const cycle = { 'app/a/x.ts': "import './y';\n", 'app/a/y.ts': "import './x';\n" };
    const allowed = check(
      { ...cycle, 'app/big.ts': lines(450) },
      {
        longFiles: [{ file: 'app/big.ts', lines: 450, reason: 'being split' }],
        cycles: [{ modules: ['app/a/y.ts', 'app/a/x.ts'], reason: 'being untangled' }],
      },
    );
    expect(allowed.problems).toEqual([]);

    const stale = check(
      { 'app/big.ts': lines(300), 'app/grown.ts': lines(420), 'app/a/x.ts': "import './y';\n", 'app/a/y.ts': "import './x';\n" },
      {
        longFiles: [
          { file: 'app/big.ts', lines: 450, reason: 'being split' },
          { file: 'app/grown.ts', lines: 410, reason: 'being split' },
        ],
        cycles: [
          { modules: ['app/a/x.ts', 'app/a/y.ts', 'app/a/z.ts'], reason: 'being untangled' },
          { modules: ['app/p.ts', 'app/q.ts'], reason: 'fixed already' },
        ],
      },
    );
    expect(stale.problems).toHaveLength(4);
    expect(stale.out).toContain('app/big.ts: allow-listed as over 400 lines but is not any more. Fix: remove its entry');
    expect(stale.out).toContain('app/grown.ts: grew from 410 to 420 lines while allow-listed (being split)');
    expect(stale.out).toContain("what is left of an allow-listed cycle — being untangled: replace that entry's modules");
    expect(stale.out).toContain('cycle app/p.ts ↔ app/q.ts: allow-listed but gone. Fix: remove its entry');
  });
});
