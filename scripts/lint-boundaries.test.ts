import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The import boundaries in eslint.config.js, checked against the real config: a later config block that sets
// no-restricted-imports for the same files replaces the earlier options silently, so a rule can vanish without
// any lint error. Each case lints a small source text as if it lived at the given path.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: root });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const testCodeImports = [
  "import { startKeytalkSimulator } from '../../simulators/keytalk/index';",
  "import type { SimHarness } from '../../test-support/engine/sim-harness';",
  'export const used = [startKeytalkSimulator];',
  'export type Used = SimHarness;',
].join('\n');

describe('lint: shipped code never imports simulators/ or test-support/ (issue 16)', () => {
  it('rejects both in every product folder, type-only imports included', async () => {
    for (const file of ['app/engine/x.ts', 'main/app/x.ts', 'preload/x.ts', 'renderer/pages/X.tsx', 'browser-host/x.ts']) {
      const messages = await restrictedImports(file, testCodeImports);
      expect(messages, file).toHaveLength(2);
      expect(messages[0], file).toContain('Product code may not import simulators/ or test-support/');
    }
  });

  it('allows them in tests of the same folders, and keeps the electron ban next to it in app/', async () => {
    expect(await restrictedImports('app/engine/x.test.ts', testCodeImports)).toEqual([]);
    expect(await restrictedImports('renderer/pages/X.test.tsx', testCodeImports)).toEqual([]);
    const electron = await restrictedImports('app/engine/x.ts', "import { app } from 'electron';\nexport const a = app;");
    expect(electron).toEqual([expect.stringContaining('Only main/ and preload/ may import electron')]);
    expect(await restrictedImports('main/app/x.ts', "import { app } from 'electron';\nexport const a = app;")).toEqual([]);
  });
});
