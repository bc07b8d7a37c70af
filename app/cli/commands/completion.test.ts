import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../test-support/cli/run-cli-captured';
import { onPath } from '../../system/on-path';
import { GLOBAL_OPTIONS } from '../command';
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

  // pwsh is not packaged for Debian, so PowerShell cannot run the script here: its structure is checked instead —
  // the native completer registration as PowerShell documents it, and every command with exactly its options.
  it('powershell: Register-ArgumentCompleter -Native for keytalk-agent; every command with exactly its options', async () => {
    const text = readFileSync(await script('powershell'), 'utf8');
    const lines = text.split('\n');
    expect(lines[1]).toBe('Register-ArgumentCompleter -Native -CommandName keytalk-agent -ScriptBlock {');
    expect(lines[2]).toBe('  param($wordToComplete, $commandAst, $cursorPosition)');
    expect(text.trimEnd().endsWith('}')).toBe(true);
    for (const [open, close] of [
      ['{', '}'],
      ['(', ')'],
    ] as const)
      expect(text.split(open).length, `${open}${close} balanced`).toBe(text.split(close).length);
    const table = /^ {2}\$commands = @\{ (.*) \}$/m.exec(text)![1]!;
    const entries = Object.fromEntries(
      table.split('; ').map((e) => {
        const m = /^'([a-z-]+)' = @\(((?:'--[a-z-]+'(?:, )?)*)\)$/.exec(e);
        expect(m, e).not.toBeNull();
        return [m![1]!, m![2]!.split(', ').map((o) => o.slice(1, -1))];
      }),
    );
    const loaded = await Promise.all(commands.map((c) => c.load()));
    expect(Object.keys(entries).sort()).toEqual(loaded.map((c) => c.name).sort());
    for (const c of loaded)
      expect(entries[c.name], c.name).toEqual([...Object.keys(c.options), ...Object.keys(GLOBAL_OPTIONS)].map((o) => `--${o}`));
  });

  it('an unknown shell is refused with the list', async () => {
    const r = await runCliCaptured(['completion', 'tcsh'], { home: path.join(dir, 'home') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/completion needs a shell: bash, zsh, fish, powershell \(not "tcsh"\)/);
  });
});
