/**
 * A small argument parser: `--name value`, `--name=value`, boolean `--flag`, `--` ends options. Each command
 * declares its options so a typo is an error ("unknown option --pasword") instead of being ignored.
 */
export interface OptionSpec {
  /** Takes a value (`--provider P`) or is a boolean flag (`--csr`). */
  value: boolean;
  /** May be given several times (values collected in order). */
  multiple?: boolean;
  description: string;
  valueName?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | boolean | string[] | undefined>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv: string[], specs: OptionSpecs): ParsedArgs {
  const positionals: string[] = [];
  const options: ParsedArgs['options'] = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq > 0 ? eq : undefined);
    const spec = specs[name];
    if (!spec) {
      const known = Object.keys(specs).map((k) => `--${k}`);
      throw new UsageError(`unknown option --${name}${known.length ? `; known options: ${known.join(', ')}` : ''}`);
    }
    let value: string | boolean;
    if (spec.value) {
      if (eq > 0) value = arg.slice(eq + 1);
      else {
        const next = argv[i + 1];
        if (next === undefined || (next.startsWith('--') && next.length > 2))
          throw new UsageError(`option --${name} needs a value (${spec.valueName ?? 'VALUE'})`);
        value = next;
        i++;
      }
    } else {
      if (eq > 0) throw new UsageError(`option --${name} takes no value`);
      value = true;
    }
    if (spec.multiple) options[name] = [...((options[name] as string[] | undefined) ?? []), String(value)];
    else options[name] = value;
  }
  return { positionals, options };
}

export function optionHelp(specs: OptionSpecs): string {
  return Object.entries(specs)
    .map(([n, s]) => `  --${n}${s.value ? ` ${s.valueName ?? 'VALUE'}` : ''}`.padEnd(30) + s.description)
    .join('\n');
}
