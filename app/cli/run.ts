import { describeDiskError } from '../system/disk-errors';
import { describeFileError } from '../system/file-errors';
import os from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { ensurePrivateHome, resolveHome } from '../config/home';
import { resolveScope, type AgentScope } from '../config/scope';
import { optionHelp, parseArgs, UsageError, type OptionSpecs, type ParsedArgs } from './args';
import { commandIndex, withoutCommand } from './command-position';
import { GLOBAL_OPTIONS, type CliCommand, type CliContext } from './command';
import { commands } from './commands/index';
import { cliOutput, listDocument } from './cli-output';
import { classifyError } from './error-exit';
import { EXIT, EXIT_MEANINGS } from './exit-codes';
import { describeLockWait, onLockWait, setLockRole } from '../system/home-lock';
import { AGENT_VERSION } from './version';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Override terminal detection (tests). */
  interactive?: boolean;
  /**
   * The user's home for the stores' paths. Default: HOME (USERPROFILE on Windows) of `env`, else os.homedir() —
   * the same folder for a real run, and in-process tests get a temp folder instead of the real ~/.pki/nssdb.
   */
  userHome?: string;
}

function userHomeOf(io: CliIo): string {
  return io.userHome ?? (process.platform === 'win32' ? io.env.USERPROFILE : io.env.HOME) ?? os.homedir();
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

/** The home's folders cannot be made (a file in the way, no permission): the user must pick another home. */
async function prepareHome(home: string, scope: AgentScope): Promise<string | undefined> {
  try {
    await ensurePrivateHome(home, { shared: scope === 'machine' });
  } catch (err) {
    // Only the home folder itself is judged here: a home we may read but not chmod (another user's, read-only
    // media) still serves `status` and `certs`, and a broken sub-folder is named by the store that needs it.
    if ((err as NodeJS.ErrnoException).path === home && (err as NodeJS.ErrnoException).syscall === 'mkdir')
      return `the agent home ${home} cannot be used: ${describeFileError(err) ?? (err as Error).message}; choose another with --home DIR or KEYTALK_AGENT_HOME`;
  }
  return undefined;
}

/** A command's arguments: the global options before it and everything after it, against its options + the globals. */
function parseCommandArgs(cmd: CliCommand, argv: string[], at: number): ParsedArgs {
  return parseArgs(withoutCommand(argv, at), { ...cmd.options, ...GLOBAL_OPTIONS } as OptionSpecs);
}

/**
 * Parse only, as runCli does, running nothing: the README test feeds it every documented command line, with the
 * global options before and after the command. Throws UsageError for an unknown command or option.
 */
export async function parseInvocation(argv: string[]): Promise<{ cmd: CliCommand; parsed: ParsedArgs }> {
  const at = commandIndex(argv, GLOBAL_OPTIONS);
  const entry = commands.find((c) => c.name === argv[at]);
  if (!entry) throw new UsageError(`unknown command ${JSON.stringify(argv[at] ?? '')}`);
  const cmd = await entry.load();
  return { cmd, parsed: parseCommandArgs(cmd, argv, at) };
}

/** Run one CLI invocation; returns the exit code (never calls process.exit, so tests can run it in-process). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const at = commandIndex(argv, GLOBAL_OPTIONS);
  const name = at < 0 ? undefined : argv[at];
  const entry = commands.find((c) => c.name === name);
  const interactive = io.interactive ?? (!!io.stdin.isTTY && !!(io.stderr as { isTTY?: boolean }).isTTY);
  // Decided before parsing so even a usage error is one JSON object when --json was asked for.
  let out = cliOutput(io, argv.includes('--json'), interactive);
  if (!name) {
    if (argv.includes('--help') || argv.length === 0) {
      io.stdout.write(`${await help()}\n`);
      return argv.length === 0 ? EXIT.badInput : EXIT.ok;
    }
  }
  if (!entry)
    return out.finish(
      out.fail(
        EXIT.badInput,
        'bad-input',
        `unknown command ${JSON.stringify(name ?? '')}; commands: ${commands.map((c) => c.name).join(', ')} (see keytalk-agent --help)`,
      ),
    );
  const cmd = await entry.load();
  let parsed;
  try {
    parsed = parseCommandArgs(cmd, argv, at);
  } catch (err) {
    const usage = argv.includes('--json') ? '' : `\n${await help(cmd)}`;
    return out.finish(out.fail(EXIT.badInput, 'bad-input', `${(err as Error).message}${usage}`));
  }
  if (parsed.options.help) {
    io.stdout.write(`${await help(cmd)}\n`);
    return EXIT.ok;
  }
  const json = parsed.options.json === true;
  out = cliOutput(io, json, interactive);
  let scope: AgentScope;
  try {
    scope = resolveScope(parsed.options.system === true, io.env);
  } catch (err) {
    return out.finish(out.fail(EXIT.badInput, 'bad-input', (err as Error).message));
  }
  const ctx: CliContext = {
    home: resolveHome(parsed.options.home as string | undefined, io.env, scope),
    scope,
    userHome: userHomeOf(io),
    json,
    stdout: out.stdout,
    stderr: out.stderr,
    stdin: io.stdin,
    interactive,
    env: io.env,
    version: AGENT_VERSION,
    say: (text) => out.say(text),
    emitJson: (value) => out.emitJson(value),
    emitList: (key, items) => out.emitJson(listDocument(key, items)),
  };
  // Other processes on this home name this one while they wait for it; this one says once when it waits for them.
  setLockRole(cmd.name === 'daemon' ? 'daemon' : `keytalk-agent ${cmd.name}`);
  let told = false;
  const offWait = onLockWait((w) => {
    // Through `out`: with --json the note becomes a warning in the one object instead of stray stderr text.
    if (!told) out.stderr.write(`keytalk-agent: ${describeLockWait(w)}\n`);
    told = true;
  });
  try {
    if (cmd.name !== 'version') {
      const unusable = await prepareHome(ctx.home, ctx.scope);
      if (unusable) return out.finish(out.fail(EXIT.badInput, 'bad-input', unusable));
    }
    return out.finish(await cmd.run(ctx, parsed));
  } catch (err) {
    const { exit, kind } = classifyError(err);
    const message = describeDiskError(err) ?? describeFileError(err) ?? (err instanceof Error ? err.message : String(err));
    return out.finish(out.fail(exit, kind, message));
  } finally {
    offWait();
  }
}
