import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Issue 20, "Done when": docs/deployment.md walks an administrator through the deployment and names, for each step,
 * the test that covers it. A renamed or moved test would leave the page pointing at nothing, so every test file it
 * names must exist: a path as written, or a bare file name (`policy.test.ts`) that is exactly one file in the repo;
 * and a test named with a quoted title (`policy.test.ts` "Windows") must contain that title.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const doc = readFileSync(path.join(root, 'docs/deployment.md'), 'utf8');
const TEST_FILE = /`([\w./-]+\.(?:test|spec)\.tsx?)`(?:\s+"([^"]+)")?/g;

/** Every test and spec file of the repo, relative to its root (node_modules and build output left out). */
function testFiles(dir = ''): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory())
      return ['node_modules', 'dist', 'release', 'out'].includes(e.name) || e.name.startsWith('.') ? [] : testFiles(rel);
    return /\.(test|spec)\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

describe('docs/deployment.md names tests that exist', () => {
  const all = testFiles();
  const named = [...doc.matchAll(TEST_FILE)].map((m) => ({ name: m[1]!, title: m[2] }));

  it('names tests at all (the pattern still matches how the page writes them)', () => {
    expect(named.length).toBeGreaterThan(20);
  });

  it('every named test file is exactly one file in the repo, and a quoted title is in it', () => {
    const problems: string[] = [];
    for (const { name, title } of named) {
      const found = name.includes('/') ? all.filter((f) => f === name) : all.filter((f) => path.posix.basename(f) === name);
      if (found.length !== 1) {
        problems.push(`${name}: ${found.length ? `ambiguous (${found.join(', ')}); write its path` : 'no such test file'}`);
        continue;
      }
      if (title && !readFileSync(path.join(root, found[0]!), 'utf8').includes(title.replace(/\s+/g, ' ')))
        problems.push(`${name}: has no test titled "${title}"`);
    }
    expect(problems).toEqual([]);
  });
});
