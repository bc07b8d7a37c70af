import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from './commands/index';
import { parseInvocation } from './run';

/**
 * Issue 18, "Done when": every command in README.md and app/cli/README.md works with the global options before or
 * after the command. Every command line the two READMEs show — in code blocks (`keytalk-agent …`, continued lines
 * and quotes as a shell reads them) and in code spans that begin with a command name (the command tables' usage
 * lines, brackets and alternatives resolved to one concrete line) — is parsed by the CLI's own parser, with
 * `--home DIR --json` before the command and after it. Parse only: nothing runs, no network.
 */
const ROOT = path.resolve(__dirname, '../..');
const DOCS = ['README.md', 'app/cli/README.md'];
const NAMES = new Set(commands.map((c) => c.name));

/** Shell words of one command, up to the first operator (|, ||, &&, ;, <, >, a # comment) outside quotes. */
function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && text[i + 1] === '\n') {
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
      continue;
    }
    if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      continue;
    }
    if (word === undefined && /[|&;<>#]/.test(ch)) break;
    word = (word ?? '') + ch;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** `keytalk-agent …` lines of fenced and indented code blocks, a line ending in `\` joined with the next. */
function blockCommands(md: string): string[][] {
  const lines = md.split('\n');
  const out: string[][] = [];
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*```/.test(line)) fenced = !fenced;
    const code = fenced || /^ {4}/.test(line);
    const m = code ? /^\s*(?:\$\s+)?keytalk-agent\s/.exec(line) : null;
    if (!m) continue;
    let text = line.slice(m[0].length);
    // A quote still open or a trailing backslash: the command goes on on the next line.
    while (i + 1 < lines.length && (/\\$/.test(text) || (text.match(/'/g)?.length ?? 0) % 2 === 1)) text += `\n${lines[++i]}`;
    out.push(shellWords(text));
  }
  return out;
}

/** Code spans naming a command (`status --json`, a table's usage line) as one concrete command line. */
function spanCommands(md: string): string[][] {
  const out: string[][] = [];
  // Fenced blocks are read by blockCommands; a span is on one line.
  const prose = md.replace(/```[\s\S]*?```/g, '');
  for (const [, span] of prose.matchAll(/`([^`\n]+)`/g)) {
    const text = span!.replace(/^keytalk-agent\s+/, '');
    // `hooks[].last` is a JSON path, not a command line: the command name must stand alone.
    if (!/^[a-z]+(?:\s|$)/.test(text) || !NAMES.has(text.split(/\s/)[0]!)) continue;
    const concrete = text
      .replace(/<[^>]*>/g, 'X')
      .replace(/\\\|/g, '|')
      .replace(/…/g, ' ')
      .replace(/[[\]]/g, ' ')
      // `a|b|c` and `SHA256|--service S`: the last alternative (an option's value then follows it).
      .replace(/(?:\S+\|)+(\S+)/g, '$1');
    const words = concrete.split(/\s+/).filter(Boolean);
    // `completion fish | source`: the command ends at a shell operator.
    const end = words.findIndex((w) => /^(\||\|\||&&|;|<|>)$/.test(w));
    out.push(end < 0 ? words : words.slice(0, end));
  }
  return out;
}

const GLOBAL = new Set(['--home', '--json']);

/**
 * The sub-commands a command's usage lines name (`rccd import|list|remove`, `completion bash|zsh|…`), and whether it
 * also runs without one: the parser takes any positional, so a documented sub-command is checked against these.
 */
async function subCommands(name: string): Promise<{ names: Set<string>; optional: boolean }> {
  const cmd = await commands.find((c) => c.name === name)!.load();
  const second = cmd.usage.map((u) => u.split(/\s+/)[1]);
  const literal = (w: string | undefined) => !!w && /^[a-z][a-z|-]*$/.test(w);
  return {
    names: new Set(second.filter(literal).flatMap((w) => w!.split('|'))),
    optional: second.some((w) => !literal(w)),
  };
}

/** The line's global options (or `--home DIR --json` when it has none) and the command with its own arguments. */
function split(words: string[]): { globals: string[]; command: string[] } {
  const globals: string[] = [];
  const command: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--home') globals.push(w, words[++i]!);
    else if (GLOBAL.has(w.split('=')[0]!)) globals.push(w);
    else command.push(w);
  }
  if (!globals.some((g) => g.startsWith('--home'))) globals.push('--home', '/srv/keytalk');
  if (!globals.includes('--json')) globals.push('--json');
  return { globals, command };
}

const documented = DOCS.flatMap((doc) => {
  const md = readFileSync(path.join(ROOT, doc), 'utf8');
  return [...blockCommands(md), ...spanCommands(md)].map((words) => ({ doc, words }));
});

describe('every documented command line parses with the global options before or after the command (issue 18)', () => {
  it('the READMEs show every registered command', () => {
    const shown = new Set(documented.map((d) => split(d.words).command[0]));
    expect([...NAMES].filter((n) => !shown.has(n))).toEqual([]);
    expect(documented.length).toBeGreaterThan(40);
  });

  it('each line: accepted both ways, with the same command, arguments and options', async () => {
    const refused: string[] = [];
    for (const { doc, words } of documented) {
      const { globals, command } = split(words);
      const line = `${doc}: keytalk-agent ${words.join(' ')}`;
      try {
        const before = await parseInvocation([...globals, ...command]);
        const after = await parseInvocation([...command, ...globals]);
        expect(before.cmd.name, line).toBe(command[0]);
        expect(after.cmd.name, line).toBe(command[0]);
        expect(before.parsed, line).toEqual(after.parsed);
        expect(before.parsed.options.home, line).toBe(globals[globals.indexOf('--home') + 1]);
        expect(before.parsed.options.json, line).toBe(true);
        const subs = await subCommands(command[0]!);
        const sub = before.parsed.positionals[0];
        if (subs.names.size && (sub !== undefined || !subs.optional))
          expect([...subs.names], `${line}: sub-command`).toContain(sub);
      } catch (err) {
        refused.push(`${line} → ${(err as Error).message}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it('the shell reading is right: continued lines, quotes, redirections and comments', () => {
    expect(blockCommands("    keytalk-agent hooks set --post-hook 'a &&\n       b' --hook-timeout 30   # note\n")).toEqual([
      ['hooks', 'set', '--post-hook', 'a &&\n       b', '--hook-timeout', '30'],
    ]);
    expect(blockCommands('```sh\nkeytalk-agent enroll --store nss \\\n  --user u < pw.txt\n```\n')).toEqual([
      ['enroll', '--store', 'nss', '--user', 'u'],
    ]);
    expect(
      spanCommands(
        '`hooks set SHA256\\|--service S [--post-hook CMD]` / `completion fish \\| source` `hooks[].last` `daemon --home <a b>`',
      ),
    ).toEqual([
      ['hooks', 'set', '--service', 'S', '--post-hook', 'CMD'],
      ['completion', 'fish'],
      ['daemon', '--home', 'X'],
    ]);
  });
});
