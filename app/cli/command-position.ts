import type { OptionSpecs } from './args';

/**
 * Where the command name is in argv. Options before the command are global options (git/kubectl convention:
 * `keytalk-agent --home DIR --json status`), so the value of a global option that takes one (`--home DIR`) is
 * skipped instead of being mistaken for the command. Returns -1 when there is no command.
 */
export function commandIndex(argv: string[], globals: OptionSpecs): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return i + 1 < argv.length ? i + 1 : -1;
    if (!arg.startsWith('--')) return i;
    const name = arg.slice(2).split('=', 1)[0]!;
    if (globals[name]?.value && !arg.includes('=')) i++;
  }
  return -1;
}

/** argv without the command name: the global options before it and the command's own arguments after it. */
export function withoutCommand(argv: string[], index: number): string[] {
  // A `--` that only separated global options from the command is dropped with it.
  const before = argv.slice(0, index).filter((a, i, all) => !(a === '--' && i === all.length - 1));
  return [...before, ...argv.slice(index + 1)];
}
