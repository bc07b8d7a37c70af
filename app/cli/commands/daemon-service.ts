import { realpathSync } from 'node:fs';
import path from 'node:path';
import { UsageError, type ParsedArgs } from '../args';
import type { CliContext } from '../command';
import { EXIT } from '../exit-codes';
import { processRunner } from '../../system/command-runner';
import type { ServiceEnv } from '../../service/service-manager';

export const SERVICE_ACTIONS = ['install', 'uninstall', 'status'];

/**
 * The command line the service will run: this very Node and this CLI's script, resolved to real absolute paths
 * (a service manager starts from / with a bare PATH, so nothing relative or from PATH would be found).
 */
function thisProgram(): string[] {
  const script = process.argv[1];
  if (!script) return [process.execPath];
  return [process.execPath, realpathSync(path.resolve(script))];
}

/** `daemon install|uninstall|status [--system]`: the daemon as a systemd unit, launchd agent or scheduled task. */
export async function runServiceAction(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const [action, extra] = args.positionals;
  if (!SERVICE_ACTIONS.includes(action!))
    throw new UsageError(`unknown daemon action ${JSON.stringify(action)}; actions: ${SERVICE_ACTIONS.join(', ')}`);
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  // Machine scope (--system or KEYTALK_AGENT_SCOPE=machine) is the system-wide service on the system home.
  const system = ctx.scope === 'machine';
  const m = await import('../../service/service-manager');
  const e: ServiceEnv = { platform: process.platform, runner: processRunner, env: ctx.env };
  try {
    if (action === 'install') {
      const r = await m.installService({ program: thisProgram(), home: ctx.home, system }, e);
      if (ctx.json) ctx.emitJson({ status: 'installed', file: r.file, commands: r.commands.map((c) => [c.command, ...c.args]) });
      else ctx.say(`installed ${r.file} and started the daemon for ${ctx.home}`);
    } else if (action === 'uninstall') {
      const r = await m.uninstallService(system, e);
      if (ctx.json) ctx.emitJson({ status: r.removed ? 'uninstalled' : 'not-installed', file: r.file });
      else ctx.say(r.removed ? `stopped the daemon and removed ${r.file}` : `not installed (${r.file} does not exist)`);
    } else {
      const s = await m.serviceStatus(system, e);
      if (ctx.json) ctx.emitJson(s);
      else ctx.say(`${s.manager} ${s.scope} service: ${s.installed ? s.detail : 'not installed'} (${s.file})`);
    }
  } catch (err) {
    if ((err as Error).name !== 'ServiceError') throw err;
    // With --json the CLI turns this sentence into the failure document's message (app/cli/cli-output.ts).
    ctx.stderr.write(`keytalk-agent: ${(err as Error).message}\n`);
    return EXIT.storeFailed;
  }
  return EXIT.ok;
}
