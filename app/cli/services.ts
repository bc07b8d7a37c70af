import { createEngineDeps } from '../agent/engine-deps';
import { readSettings } from '../agent/index';
import { homeLayout } from '../config/home';
import { createLogger, fileSink } from '../log/logger';
import type { CliContext } from './command';

/** The engine wiring for one CLI invocation (same as the tray agent's, minus the UI). */
export function cliEngine(ctx: CliContext) {
  const log = createLogger(fileSink(homeLayout(ctx.home).logs, 'cli.log'), 'info', { component: 'cli' });
  return createEngineDeps({ home: ctx.home, log, appVersion: ctx.version, settings: () => readSettings(ctx.home) });
}
