import { UsageError } from '../args';
import { GLOBAL_OPTIONS, type CliCommand, type LazyCommand } from '../command';
import { completionScript } from '../completion-scripts';
import { EXIT } from '../exit-codes';

const SHELLS = ['bash', 'zsh', 'fish', 'powershell'];

/**
 * `keytalk-agent completion SHELL`: prints the shell's completion script, built from the command table. The table
 * is handed in by commands/index.ts (which lists this command too), so the two modules do not import each other.
 */
export const completionCommand = (commands: readonly LazyCommand[]): CliCommand => ({
  name: 'completion',
  summary: 'print shell completion for bash, zsh, fish or PowerShell (eval "$(keytalk-agent completion bash)")',
  usage: ['completion bash|zsh|fish|powershell'],
  options: {},
  async run(ctx, args) {
    const [shell, extra] = args.positionals;
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
    const loaded = await Promise.all(commands.map((c) => c.load()));
    const table = loaded.map((c) => ({ name: c.name, options: Object.keys(c.options) }));
    const script = shell ? completionScript(shell, table, Object.keys(GLOBAL_OPTIONS)) : undefined;
    if (!script)
      throw new UsageError(`completion needs a shell: ${SHELLS.join(', ')}${shell ? ` (not ${JSON.stringify(shell)})` : ''}`);
    // The script itself, even with --json (it is meant for eval): the one document is then {shell, script}.
    if (ctx.json) ctx.emitJson({ shell, script });
    else ctx.stdout.write(script);
    return EXIT.ok;
  },
});
