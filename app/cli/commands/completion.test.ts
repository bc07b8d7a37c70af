import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../test-support/cli/run-cli-captured';
import { onPath } from '../../system/on-path';
import { commands } from './index';

/** Issue 18: shell completion generated from the command table, checked by the shells themselves. */
const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-completion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = async (shell: string) => {
  const r = await runCliCaptured(['completion', shell], { home: path.join(dir, 'home') });
  expect(r.code, r.stderr).toBe(0);
  const file = path.join(dir, `completion.${shell}`);
  writeFileSync(file, r.stdout);
  return file;
};

describe('keytalk-agent completion', () => {
  it('bash: sourced by real bash, "keytalk-agent en" completes to enroll, and enroll offers its own options', async () => {
    const file = await script('bash');
    const complete = (words: string[]) =>
      execFileSync(
        'bash',
        [
          '-c',
          `source ${file}; COMP_WORDS=(${words.join(' ')}); COMP_CWORD=${words.length - 1}; _keytalk_agent; echo "\${COMPREPLY[*]}"`,
        ],
        { encoding: 'utf8' },
      ).trim();
    expect(complete(['keytalk-agent', 'en'])).toBe('enroll');
    expect(complete(['keytalk-agent', '--home', '/x', 'hoo'])).toBe('hooks');
    expect(complete(['keytalk-agent', 'enroll', '--post'])).toBe('--post-hook');
    // Every registered command is offered: the script comes from the same table.
    expect(complete(['keytalk-agent', "''"]).split(' ')).toEqual(expect.arrayContaining(commands.map((c) => c.name)));
  });

  for (const [shell, bin, args] of [
    ['zsh', 'zsh', ['-n']],
    ['fish', 'fish', ['--no-execute']],
  ] as const) {
    it.runIf(onPath(bin))(`${shell}: the script passes ${bin}'s own syntax check`, async () => {
      const r = spawnSync(bin, [...args, await script(shell)], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    });
    if (!onPath(bin)) it.skip(`${shell}: skipped — ${bin} is not installed here (Debian package ${bin})`, () => {});
  }

  it('an unknown shell is refused with the list', async () => {
    const r = await runCliCaptured(['completion', 'tcsh'], { home: path.join(dir, 'home') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/completion needs a shell: bash, zsh, fish, powershell \(not "tcsh"\)/);
  });
});
