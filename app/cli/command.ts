import type { Readable, Writable } from 'node:stream';
import type { OptionSpecs, ParsedArgs } from './args';
import type { AgentScope } from '../config/scope';

/**
 * One CLI command = one module exporting a CliCommand, registered in commands/index.ts. Commands with
 * sub-commands (`rccd import|list|remove`, later `onlineca add`) dispatch on their first positional.
 */
export interface CliCommand {
  name: string;
  summary: string;
  /** Usage line(s) after "keytalk-agent", e.g. "enroll --provider P --service S [options]". */
  usage: string[];
  options: OptionSpecs;
  run(ctx: CliContext, args: ParsedArgs): Promise<number>;
}

export interface CliContext {
  home: string;
  /** `machine` with --system or KEYTALK_AGENT_SCOPE=machine: the system home and the machine stores (config/scope.ts). */
  scope: AgentScope;
  /** The user's home, where stores find ~/.pki/nssdb, Firefox profiles, the login keychain (see CliIo.userHome). */
  userHome: string;
  json: boolean;
  stdout: Writable;
  stderr: Writable;
  stdin: Readable & { isTTY?: boolean };
  /** Prompts are possible (stdin and stderr are terminals). */
  interactive: boolean;
  env: NodeJS.ProcessEnv;
  version: string;
  /** Print a line of human output (suppressed with --json). */
  say(text: string): void;
  /** Print the one JSON result (--json): always an object, never an array (app/cli/README.md's contract). */
  emitJson(value: object): void;
  /**
   * A list command's --json result: `{ [key]: items, warnings: [] }` (key: the plural of what is listed, e.g.
   * `certificates`), so a list keeps the warnings that stderr would carry and stays one object like every result.
   */
  emitList(key: string, items: unknown[]): void;
}

/** Options every command accepts (parsed before the command's own). */
export const GLOBAL_OPTIONS: OptionSpecs = {
  home: { value: true, valueName: 'DIR', description: 'agent home (default: KEYTALK_AGENT_HOME, else the per-OS config folder)' },
  system: {
    value: false,
    description:
      'machine scope: the system home (/var/lib/keytalk-agent) and the machine stores; for `daemon install` the system-wide service',
  },
  json: { value: false, description: 'machine-readable output: one JSON object on stdout (also on failure), nothing on stderr' },
  help: { value: false, description: 'show help' },
};

/** A registry entry (commands/index.ts): the command's name, and its module loaded only when that command runs. */
export interface LazyCommand {
  name: string;
  load(): Promise<CliCommand>;
}
