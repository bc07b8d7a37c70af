import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizePaths } from './settings-edit';

describe('normalizePaths', () => {
  it('keeps absolute paths once, without trailing separators', () => {
    expect(normalizePaths('folder', ['/a/b/', ' /a/b', '/', '', '/c'])).toEqual(['/a/b', '/', '/c']);
  });
  it('refuses a relative path with the fix', () => {
    expect(() => normalizePaths('NSS database', ['/ok', 'certs'])).toThrow(
      /NSS database "certs" is not an absolute path; give the full path/,
    );
  });
  it('uses the given platform rules (Windows paths on a Windows agent)', () => {
    expect(normalizePaths('folder', ['C:\\certs\\', 'C:\\', '\\\\server\\share'], path.win32.isAbsolute)).toEqual([
      'C:\\certs',
      'C:\\',
      '\\\\server\\share',
    ]);
  });
});
