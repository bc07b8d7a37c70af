import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processRunner, RecordingRunner } from '../system/command-runner';
import { browserCommand, systemBrowserOpener } from './open-browser';

const URL_WITH_AMPERSANDS = 'https://login.example/auth?client_id=a&scope=b%20c&state=x$(id)`id`';

describe('systemBrowserOpener', () => {
  it('macOS: open <url>, Windows: rundll32 url.dll handler (no cmd, so "&" survives)', async () => {
    const runner = new RecordingRunner(() => ({ code: 0, stdout: '', stderr: '' }));
    await systemBrowserOpener(runner, 'darwin')(URL_WITH_AMPERSANDS);
    await systemBrowserOpener(runner, 'win32')(URL_WITH_AMPERSANDS);
    const href = new URL(URL_WITH_AMPERSANDS).href;
    expect(runner.calls.map((c) => [c.command, ...c.args])).toEqual([
      ['open', href],
      ['rundll32', 'url.dll,FileProtocolHandler', href],
    ]);
  });

  it('Linux: really runs xdg-open in the background with the URL as one argument, nothing interpolated', async () => {
    const bin = await fs.mkdtemp(path.join(os.tmpdir(), 'fake-xdg-'));
    try {
      const log = path.join(bin, 'args');
      await fs.writeFile(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$#" "$1" > '${log}'\n`, { mode: 0o755 });
      const runner = {
        run: (spec: Parameters<typeof processRunner.run>[0]) =>
          processRunner.run({ ...spec, env: { PATH: `${bin}:/usr/bin:/bin` } }),
      };
      await systemBrowserOpener(runner, 'linux')(URL_WITH_AMPERSANDS);
      await expect
        .poll(() => fs.readFile(log, 'utf8').catch(() => ''), { timeout: 5000 })
        .toBe(`1\n${new URL(URL_WITH_AMPERSANDS).href}\n`);
    } finally {
      await fs.rm(bin, { recursive: true, force: true });
    }
  });

  it('Linux without xdg-open: an error that says what to install', async () => {
    expect(browserCommand('https://idp.example/auth', 'linux').command).toBe('sh');
    // /bin/sh by full path, with a PATH where no xdg-open exists.
    const runner = {
      run: (spec: Parameters<typeof processRunner.run>[0]) =>
        processRunner.run({ ...spec, command: '/bin/sh', env: { PATH: '/nonexistent' } }),
    };
    await expect(systemBrowserOpener(runner, 'linux')('https://idp.example/auth')).rejects.toThrow(
      /xdg-open is not installed.*install xdg-utils/,
    );
  });

  it('refuses anything but http(s)', async () => {
    const runner = new RecordingRunner(() => ({ code: 0, stdout: '', stderr: '' }));
    await expect(systemBrowserOpener(runner, 'linux')('file:///etc/passwd')).rejects.toThrow(/file:/);
    expect(runner.calls).toHaveLength(0);
  });
});
