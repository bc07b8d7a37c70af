import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { pathExists } from './path-exists';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-path-exists-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('is true for a file, a folder and a link to a file; false for nothing and for a dangling link', async () => {
  writeFileSync(path.join(dir, 'cert9.db'), '');
  symlinkSync(path.join(dir, 'cert9.db'), path.join(dir, 'link'));
  symlinkSync(path.join(dir, 'gone'), path.join(dir, 'dangling'));
  expect(await pathExists(path.join(dir, 'cert9.db'))).toBe(true);
  expect(await pathExists(dir)).toBe(true);
  expect(await pathExists(path.join(dir, 'link'))).toBe(true);
  expect(await pathExists(path.join(dir, 'cert8.db'))).toBe(false);
  expect(await pathExists(path.join(dir, 'dangling'))).toBe(false);
});
