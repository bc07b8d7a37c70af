import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { messageStore } from '../engine/state';
import { terminalSafe } from './terminal-text';

/**
 * Server text reaches the terminal through the CLI (found probing with a hostile server's last-messages): control
 * sequences in it must be shown, not obeyed — ESC [2J cleared the screen, ESC ]52 could set the clipboard, a carriage
 * return rewrote the line before it.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-terminal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('terminal control sequences from servers', () => {
  it('messages and errors print ESC, CR, C1 and bidi overrides as visible escapes; --json keeps the text', async () => {
    const home = path.join(dir, 'home');
    const hostile = 'Maintenance\u001b[2J\u001b]52;c;ZXZpbA==\u0007 tonight\rPassword expired\u009b31m \u202eevil';
    await messageStore.add(home, 'Acme', [{ text: hostile, utc: '2026-01-01T06:00:00Z' }]);
    const env = { HOME: path.join(dir, 'user') };
    const shown = await runCliCaptured(['messages'], { home, env });
    expect(shown.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- asserting no control character got through
    expect(shown.stdout).not.toMatch(/[\u001b\u0007\r\u009b\u202e]/);
    expect(shown.stdout).toContain(
      'Maintenance\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07 tonight\\x0dPassword expired\\x9b31m \\u202eevil',
    );
    expect(JSON.parse((await runCliCaptured(['messages', '--json'], { home, env })).stdout).messages[0].text).toBe(hostile);

    const failed = await runCliCaptured(['enroll', '--provider', 'Acme\u001b[2J', '--user', 'u'], { home, env });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/^keytalk-agent: .*Acme\\x1b\[2J/);
    expect(failed.stderr).not.toContain('\u001b');
  });

  it('keeps tabs, line feeds and ordinary Unicode', () => {
    expect(terminalSafe('a\tb\r\nc — é 中')).toBe('a\tb\nc — é 中');
  });
});
