import { describeDiskError } from '../system/disk-errors';
import type { Readable, Writable } from 'node:stream';
import { ensurePrivateHome, resolveHome } from '../config/home';
import { optionHelp, parseArgs, type OptionSpecs } from './args';
import { commandIndex, withoutCommand } from './command-position';
import { GLOBAL_OPTIONS, type CliCommand, type CliContext } from './command';
import { commands } from './commands/index';
import { classifyError } from './error-exit';
import { EXIT, EXIT_MEANINGS } from './exit-codes';
import { AGENT_VERSION } from './version';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Override terminal detection (tests). */
  interactive?: boolean;
}

async function help(cmd?: CliCommand): Promise<string> {
  if (cmd) {
    return [
      ...cmd.usage.map((u, i) => `${i ? '      ' : 'usage:'} keytalk-agent ${u}`),
      '',
      cmd.summary,
      '',
      'options:',
      optionHelp({ ...cmd.options, ...GLOBAL_OPTIONS }),
    ].join('\n');
  }
  return [
    'usage: keytalk-agent [--home DIR] [--json] COMMAND [options]',
    '',
    'commands:',
    // Help is the one place every command module is loaded: it needs their summaries.
    ...(await Promise.all(commands.map((c) => c.load()))).map((c) => `  ${c.name.padEnd(12)}${c.summary}`),
    '',
    'global options:',
    optionHelp(GLOBAL_OPTIONS),
    '',
    'exit codes:',
    ...Object.entries(EXIT_MEANINGS).map(([code, meaning]) => `  ${code.padStart(2)}  ${meaning}`),
    '',
    'Run `keytalk-agent COMMAND --help` for a command’s options.',
  ].join('\n');
}

/** Run one CLI invocation; returns the exit code (never calls process.exit, so tests can run it in-process). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const at = commandIndex(argv, GLOBAL_OPTIONS);
  const name = at < 0 ? undefined : argv[at];
  const entry = commands.find((c) => c.name === name);
  const wantsJson = argv.includes('--json');
  const fail = (code: number, kind: string, message: string) => {
    if (wantsJson) io.stdout.write(`${JSON.stringify({ status: 'failed', code: kind, message })}\n`);
    io.stderr.write(`keytalk-agent: ${message}\n`);
    return code;
  };
  if (!name) {
    if (argv.includes('--help') || argv.length === 0) {
      io.stdout.write(`${await help()}\n`);
      return argv.length === 0 ? EXIT.badInput : EXIT.ok;
    }
  }
  if (!entry)
    return fail(
      EXIT.badInput,
      'bad-input',
      `unknown command ${JSON.stringify(name ?? '')}; commands: ${commands.map((c) => c.name).join(', ')}`,
    );
  const cmd = await entry.load();
  const rest = withoutCommand(argv, at);
  let parsed;
  try {
    parsed = parseArgs(rest, { ...cmd.options, ...GLOBAL_OPTIONS } as OptionSpecs);
  } catch (err) {
    return fail(EXIT.badInput, 'bad-input', `${(err as Error).message}\n${await help(cmd)}`);
  }
  if (parsed.options.help) {
    io.stdout.write(`${await help(cmd)}\n`);
    return EXIT.ok;
  }
  const json = parsed.options.json === true;
  const ctx: CliContext = {
    home: resolveHome(parsed.options.home as string | undefined, io.env),
    json,
    stdout: io.stdout,
    stderr: io.stderr,
    stdin: io.stdin,
    interactive: io.interactive ?? (!!io.stdin.isTTY && !!(io.stderr as { isTTY?: boolean }).isTTY),
    env: io.env,
    version: AGENT_VERSION,
    say: (text) => {
      if (!json) io.stdout.write(`${text}\n`);
    },
    emitJson: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  };
  try {
    if (cmd.name !== 'version') await ensurePrivateHome(ctx.home).catch(() => undefined);
    return await cmd.run(ctx, parsed);
  } catch (err) {
    const { exit, kind } = classifyError(err);
    return fail(exit, kind, describeDiskError(err) ?? (err instanceof Error ? err.message : String(err)));
  }
}
