import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveSupportBundle } from './support-bundle';

describe('tray: Create support bundle', () => {
  it("writes the core's zip into the downloads folder (0600) and shows it in the file manager", async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-downloads-'));
    try {
      const shown: string[] = [];
      const zip = Buffer.from('PK\u0003\u0004 a zip');
      const file = await saveSupportBundle({
        handlers: {
          // A name with a folder part must not escape the downloads folder.
          'diagnostics:bundle': async () => ({
            fileName: '../keytalk-agent-support-x.zip',
            dataBase64: zip.toString('base64'),
            entries: [],
          }),
        },
        folder,
        showItemInFolder: (f) => shown.push(f),
      });
      expect(file).toBe(path.join(folder, 'keytalk-agent-support-x.zip'));
      expect(await fs.readFile(file)).toEqual(zip);
      if (process.platform !== 'win32') expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      expect(shown).toEqual([file]);
    } finally {
      await fs.rm(folder, { recursive: true, force: true });
    }
  });
});
