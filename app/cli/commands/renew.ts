import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { enrollments } from '../../engine/state';
import { EXIT } from '../exit-codes';
import { homeLayout } from '../../config/home';
import { createLogger, fileSink } from '../../log/logger';
import { settingsLogLevel } from '../../log/settings-level';
import { AgentScheduler } from '../../scheduler/agent-scheduler';
import { daemonEngine, daemonNotifier } from '../../scheduler/daemon';
import { settleHooks } from '../../hooks/pending';

export const renewCommand: CliCommand = {
  name: 'renew',
  summary: 'renew certificates that are due now (or all of a service with --force), silently where possible',
  usage: ['renew [--service S] [--force]'],
  options: {
    service: { value: true, valueName: 'S', description: 'only certificates of this service (template)' },
    force: { value: false, description: 'renew even when not due yet' },
  },
  async run(ctx, args) {
    const log = createLogger(fileSink(homeLayout(ctx.home).logs, 'cli.log'), settingsLogLevel(ctx.home), { component: 'renew' });
    const agent = new AgentScheduler({
      home: ctx.home,
      engine: daemonEngine(ctx.home, log, ctx.version, ctx.userHome, ctx.scope),
      notifier: daemonNotifier(log),
      log,
      startupJitterMs: 0,
    });
    await agent.start();
    try {
      const results = await agent.renew({
        service: args.options.service as string | undefined,
        force: args.options.force === true,
      });
      const service = args.options.service as string | undefined;
      if (service !== undefined && !results.length) {
        // A typo in a cron line must not pass as "nothing was due" for months.
        const known = [...new Set((await enrollments.list(ctx.home)).map((r) => r.service))].sort();
        throw new UsageError(
          `no certificate of service ${JSON.stringify(service)} is managed by this agent; ${known.length ? `services with certificates: ${known.join(', ')}` : 'nothing is enrolled yet'} (keytalk-agent status)`,
        );
      }
      // Named `certificates` like `status` and `certs`: one row per managed certificate, with what happened to it.
      if (ctx.json) ctx.emitList('certificates', results);
      else if (!results.length) ctx.say('no certificates are managed by this agent');
      else for (const r of results) ctx.say(`${r.service} ${r.sha256Fingerprint.slice(0, 16)}: ${r.outcome}`);
      return results.some((r) => r.ran && !r.outcome.startsWith('renewed')) ? EXIT.serverError : EXIT.ok;
    } finally {
      await agent.stop();
      // Post-hooks of the renewed certificates (nginx reload, …) finish before the command exits.
      await settleHooks();
    }
  },
};
