import { createEngineDeps } from '../agent/engine-deps';
import { readSettings } from '../agent/settings';
import { homeLayout } from '../config/home';
import { createLogger, fileSink } from '../log/logger';
import { settingsLogLevel } from '../log/settings-level';
import { FileKeySecretStore } from '../system/file-key-secret-store';
import type { CliContext } from './command';

/**
 * The engine wiring for one CLI invocation: the same as the daemon's (remembered credentials in the
 * home's 0600 secrets folder, so a password remembered at `enroll` lets `daemon`/`renew` renew silently).
 */
export function cliEngine(ctx: CliContext) {
  const log = createLogger(fileSink(homeLayout(ctx.home).logs, 'cli.log'), settingsLogLevel(ctx.home), { component: 'cli' });
  return createEngineDeps({
    home: ctx.home,
    userHome: ctx.userHome,
    scope: ctx.scope,
    log,
    appVersion: ctx.version,
    settings: () => readSettings(ctx.home),
    secretStore: new FileKeySecretStore(homeLayout(ctx.home).secrets),
  });
}
