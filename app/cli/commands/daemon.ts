import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { runDaemon } from '../../scheduler/daemon';
import type { LogLevel } from '../../log/logger';

const LEVELS = ['error', 'warn', 'info', 'debug'];
/** Longest orderly stop after SIGTERM/SIGINT; the scheduler gives running jobs 5 s of it. */
const STOP_WATCHDOG_MS = 8_000;

export const daemonCommand: CliCommand = {
  name: 'daemon',
  summary: 'run the renewal scheduler headless (keep-alive, messages, renewals); JSON log lines on stdout',
  usage: ['daemon [--system] [--log-level error|warn|info|debug]', 'daemon install|uninstall|status [--system]'],
  // --system (a global option, app/config/scope.ts): the machine-scope daemon, and for install|uninstall|status
  // the machine-wide service instead of your own.
  options: {
    'log-level': { value: true, valueName: 'LEVEL', description: 'log detail (default: the Settings log level, else info)' },
  },
  async run(ctx, args) {
    // The service set-up lives in its own module (daemon-service.ts), loaded only for these sub-commands.
    if (args.positionals.length) return (await import('./daemon-service')).runServiceAction(ctx, args);
    const level = args.options['log-level'] as string | undefined;
    if (level !== undefined && !LEVELS.includes(level))
      throw new UsageError(`--log-level must be one of ${LEVELS.join(', ')}, not ${JSON.stringify(level)}`);
    const abort = new AbortController();
    // SIGTERM (service manager) and SIGINT (Ctrl-C) stop cleanly: the scheduler's state file is never torn. A second
    // signal kills at once (the listeners are `once`). Should the orderly stop itself hang (a tool or socket that
    // ignores the abort), the watchdog exits anyway: every state write is atomic (temp + rename), so exiting between
    // writes loses nothing, and an interrupted job runs again at the next start.
    let watchdog: NodeJS.Timeout | undefined;
    const stop = () => {
      abort.abort();
      watchdog = setTimeout(() => {
        ctx.stderr.write(`keytalk-agent: the daemon did not stop within ${STOP_WATCHDOG_MS / 1000} s; exiting\n`);
        process.exit(EXIT.internal);
      }, STOP_WATCHDOG_MS);
      watchdog.unref();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    try {
      await runDaemon({
        home: ctx.home,
        userHome: ctx.userHome,
        scope: ctx.scope,
        version: ctx.version,
        signal: abort.signal,
        out: { write: (line) => ctx.stdout.write(`${line}\n`) },
        logLevel: level as LogLevel | undefined,
      });
    } finally {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      if (watchdog) clearTimeout(watchdog);
    }
    return EXIT.ok;
  },
};
