import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { commandIndex, withoutCommand } from './command-position';
import { GLOBAL_OPTIONS } from './command';
import { commands } from './commands/index';
import { EXIT } from './exit-codes';

/**
 * Issue 18: `keytalk-agent --home DIR --json COMMAND …` works exactly like `COMMAND … --home DIR --json`, for
 * every command. Each row is a quick, offline invocation of one command whose result depends on the home; the
 * environment's KEYTALK_AGENT_HOME points elsewhere, so only a --home that was honoured reaches the right home.
 */
const ROWS: Record<string, string[]> = {
  rccd: ['rccd', 'list'],
  providers: ['providers'],
  onlineca: ['onlineca', 'add', 'Bad', 'not a url'],
  enroll: ['enroll', '--service', 'S'],
  stores: ['stores', 'enable', 'nope'],
  certs: ['certs'],
  messages: ['messages'],
  renew: ['renew'],
  scan: ['scan', 'report'],
  smime: ['smime', 'invite'],
  password: ['password', 'change', '--provider', 'Nope', '--service', 'S'],
  status: ['status'],
  hooks: ['hooks'],
  completion: ['completion', 'bash'],
  daemon: ['daemon', '--log-level', 'loud'],
  doctor: ['doctor', '--provider', 'Nope'],
  diagnostics: ['diagnostics', '--no-check', '--out', '.'],
  version: ['version'],
};

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-global-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function run(label: string, argv: (home: string) => string[]) {
  const home = path.join(root, label);
  const wrong = path.join(root, `${label}-env`);
  const r = await runCliCaptured(argv(home), { home: wrong });
  const clean = (s: string) => s.split(home).join('<HOME>');
  return { code: r.code, stdout: clean(r.stdout), stderr: clean(r.stderr), home, wrong };
}

describe('global options anywhere (issue 18)', () => {
  it('the table covers every registered command', () => {
    expect(Object.keys(ROWS).sort()).toEqual(commands.map((c) => c.name).sort());
  });

  for (const [name, args] of Object.entries(ROWS)) {
    it(`${name}: --home DIR --json before the command == after it`, async () => {
      const [cmd, ...rest] = args;
      const before = await run(`${name}-before`, (h) => ['--home', h, '--json', cmd!, ...rest]);
      const after = await run(`${name}-after`, (h) => [cmd!, ...rest, '--home', h, '--json']);
      const mixed = await run(`${name}-mixed`, (h) => [`--home=${h}`, cmd!, ...rest, '--json']);
      expect(before.stderr).not.toMatch(/unknown command/);
      for (const r of [before, mixed]) {
        expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
          code: after.code,
          stdout: after.stdout,
          stderr: after.stderr,
        });
      }
      // The home from --home was used (created), never the environment's.
      if (name !== 'version') expect(existsSync(before.home)).toBe(true);
      expect(existsSync(before.wrong)).toBe(false);
      // --json reached the command: its output (result or failure) is JSON.
      if (before.stdout.trim()) expect(() => JSON.parse(before.stdout)).not.toThrow();
    });
  }

  it('--help prints the exit-code table itself (issue 18), the same codes as EXIT', async () => {
    const r = await runCliCaptured(['--help'], { home: path.join(root, 'help') });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/README/);
    const table = r.stdout.slice(r.stdout.indexOf('exit codes:'));
    for (const [name, code] of Object.entries(EXIT)) expect(table, name).toMatch(new RegExp(`^\\s+${code}\\s+\\S`, 'm'));
    expect(table).toMatch(/^\s+10\s+the certificate could not be written to a store/m);
  });

  it('finds the command after global options and their values', () => {
    expect(commandIndex(['--home', 'status', 'certs'], GLOBAL_OPTIONS)).toBe(2);
    expect(commandIndex(['--home=x', '--json', 'certs'], GLOBAL_OPTIONS)).toBe(2);
    expect(commandIndex(['--json', '--', 'certs'], GLOBAL_OPTIONS)).toBe(2);
    expect(commandIndex(['--json'], GLOBAL_OPTIONS)).toBe(-1);
    expect(withoutCommand(['--home', 'rccd', 'rccd', 'list'], 2)).toEqual(['--home', 'rccd', 'list']);
    expect(withoutCommand(['--json', '--', 'certs', '--', 'x'], 2)).toEqual(['--json', '--', 'x']);
  });
});
