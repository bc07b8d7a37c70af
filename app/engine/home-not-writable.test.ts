import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHome } from '../doctor/local-checks';
import { textOf } from '../model/core-text';
import { FileStore } from '../stores/file-store';
import type { EngineDeps } from './enroll';
import { preflightStores } from './issued-stores';

// Issue 19: an agent home that cannot be written is said without the CLI's --home flag where the window shows it
// (a coded sentence for a refused enrollment, the doctor's line), while the CLI keeps its flag advice.
// The "home" is a regular file, so its state folder cannot be made even as root.
const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-home-file-'));
const home = path.join(dir, 'home');
writeFileSync(home, 'not a folder');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an unwritable agent home', () => {
  it('an enrollment is refused with a coded sentence naming the folder (the English keeps --home for the CLI)', async () => {
    const deps = { home, stores: () => [new FileStore(path.join(dir, 'certs'))] } as unknown as EngineDeps;
    const err = await preflightStores(deps).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/choose another home with --home/);
    expect(textOf(err)).toMatchObject({ code: 'home.not-writable', params: { dir: path.join(home, 'state') } });
  });

  it('the doctor line has no flag by default (the window); the CLI passes its own advice', async () => {
    const window = await checkHome(home);
    expect(window.status).toBe('fail');
    expect(window.summary).toMatch(/; fix its permissions or free disk space$/);
    const cli = await checkHome(home, 'fix its permissions or free disk space, or use another --home');
    expect(cli.summary).toMatch(/or use another --home$/);
    // The window's coded twin carries the folder and the OS's error, and its own advice (no flag) in every language.
    expect(cli.summaryText).toMatchObject({ code: 'doctor.home-fail', params: { dir: expect.stringContaining(home) } });
    expect(cli.summaryText!.message).toBe(cli.summary);
  });
});
