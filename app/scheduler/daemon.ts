import { createEngineDeps } from '../agent/engine-deps';
import { readSettings } from '../agent/settings';
import { homeLayout } from '../config/home';
import type { AgentScope } from '../config/scope';
import type { EngineDeps } from '../engine/enroll';
import { createLogger, fileSink, type Logger, type LogLevel, type LogSink } from '../log/logger';
import { settingsLogLevel } from '../log/settings-level';
import { describeDamage, onStateDamagedIn } from '../system/state-file';
import { FileKeySecretStore } from '../system/file-key-secret-store';
import { AgentScheduler, scheduleFile, statusFromJobs, type AgentNotifier, type SchedulerStatus } from './agent-scheduler';
import { DisclaimerState } from './periodic-jobs';
import { readScheduleFile } from './schedule-file';

/**
 * `keytalk-agent daemon`: the tray agent's scheduler without a UI (servers, CI, tests). Logs one JSON object
 * per line to `out` (and <home>/logs/daemon.log); on abort (SIGTERM/SIGINT in the CLI) it stops the scheduler,
 * waits for the last state write and returns — schedule.json is only ever replaced atomically, so a kill at any
 * moment leaves the previous or the next version, never a torn file.
 * Notices that the tray would show as popups are log lines here (event "user-action-needed" etc.).
 */
export interface DaemonOptions {
  home: string;
  version: string;
  signal: AbortSignal;
  /** Where structured lines go (stdout in the CLI). */
  out: LogSink;
  logLevel?: LogLevel;
  /** Engine wiring; default: the real one with the 0600 file secret store under <home>/secrets. */
  engine?: EngineDeps;
  /** Called once the scheduler runs (tests, readiness). */
  onReady?: (agent: AgentScheduler) => void;
  /** The user's home for the stores' paths (default os.homedir(); see EngineWiringOptions.userHome). */
  userHome?: string;
  /** `machine`: the system-wide daemon on the system home, enrolling and renewing into the machine stores. */
  scope?: AgentScope;
}

export function daemonEngine(home: string, log: Logger, version: string, userHome?: string, scope?: AgentScope): EngineDeps {
  return createEngineDeps({
    home,
    userHome,
    scope,
    log,
    appVersion: version,
    // Settings from their own small module: importing the agent core here would load all of it at start-up.
    settings: () => readSettings(home),
    secretStore: new FileKeySecretStore(homeLayout(home).secrets),
  });
}

/** Notices as log lines. The hooks around a renewal are run by the scheduler itself (renewal-hooks.ts). */
export function daemonNotifier(log: Logger): AgentNotifier {
  return {
    userActionNeeded: (n) => log.warn('user-action-needed', { ...n }),
    locked: (n) => log.warn('account-locked', { ...n }),
    renewed: (n) => log.info('renewed', { ...n }),
    failing: (n) => log.error('renewal-failing', { ...n }),
    newMessages: (provider, added, unread) => log.info('new-messages', { provider, added, unread }),
  };
}

export async function runDaemon(o: DaemonOptions): Promise<void> {
  const file = fileSink(homeLayout(o.home).logs, 'daemon.log');
  const sink: LogSink = { write: (line) => (o.out.write(line), file.write(line)) };
  const log = createLogger(sink, o.logLevel ?? settingsLogLevel(o.home), { component: 'daemon', pid: process.pid });
  const engine = o.engine ?? daemonEngine(o.home, log, o.version, o.userHome, o.scope);
  const agent = new AgentScheduler({
    home: o.home,
    engine,
    notifier: daemonNotifier(log),
    log,
    // Disclaimers go to this user's mail clients; the mail code loads only when one changes.
    applyDisclaimer: async (change) =>
      (await import('../mail/user-mail')).userMailIntegration((m) => log.info(m), o.userHome).disclaimerHook(change),
  });
  log.info('daemon-start', { home: o.home, version: o.version, scope: o.scope ?? 'user' });
  if (o.signal.aborted) return;
  // Machine scope without the rights to write the machine stores runs on (status still works), but says why every
  // enrollment and renewal will fail, once, at start: the usual cause is a unit started as the wrong user.
  if (o.scope === 'machine') {
    const missing = await (await engine.systemStores?.())?.missingRights();
    if (missing) log.error('machine-stores-not-writable', { message: `${missing.message}; nothing can be enrolled or renewed` });
    await logMachineStorePolicy(log);
  }
  // A damaged state file is moved aside and rebuilt, never a reason to exit (a supervisor would crash-loop us).
  const stopWatchingDamage = onStateDamagedIn(o.home, (d) =>
    log.warn('state-file-damaged', { file: d.file, movedTo: d.movedTo, problem: d.problem, message: describeDamage(d) }),
  );
  // Node keeps running only while something is pending; scheduler timers are unref'd, so hold the loop here.
  const keepAlive = setInterval(() => {}, 1 << 30);
  let policyWatch: { stop(): void } | undefined;
  const stopped = new Promise<void>((resolve) => {
    if (o.signal.aborted) resolve();
    o.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  try {
    // Every phase ends on SIGTERM (issue 22): start-up waits for servers (the margin calls), so it races the
    // signal, and start() itself aborts those calls. Provisioning is local work whose writes are atomic.
    await Promise.race([(await import('../policy/provisioned')).provisionAtStart(o.home, log), stopped]);
    if (o.signal.aborted) return;
    await agent.start(o.signal);
    if (o.signal.aborted) return;
    // The policy's autoEnroll runs here too: a headless machine (and the machine-scope daemon) has no tray app to
    // do it. Locked per home (app/policy/auto-enroll.ts), so a tray app on the same home never enrolls it twice.
    const autoEnroll = async () => {
      const entries = (await (await import('../policy/load-policy')).currentPolicy()).policy.autoEnroll ?? [];
      if (!entries.length) return;
      await (await import('../policy/auto-enroll')).runAutoEnroll(engine, entries, log, o.signal);
      if (!o.signal.aborted) await agent.sync(); // the new certificates get their renewal jobs
    };
    await Promise.race([autoEnroll(), stopped]);
    if (o.signal.aborted) return;
    // A policy change applies without a restart (providers re-provisioned, the renewal floor re-synced, new
    // autoEnroll entries enrolled).
    policyWatch = await (
      await import('../policy/policy-watch')
    ).watchAndReapply(o.home, log, async () => {
      if (o.scope === 'machine') await logMachineStorePolicy(log);
      await agent.sync();
      await autoEnroll();
    });
    const jobs = agent.scheduler.list();
    const mem = process.memoryUsage();
    log.info('daemon-ready', {
      jobs: jobs.length,
      next: jobs[0] ? new Date(jobs[0].dueAt).toISOString() : null,
      memory: { rssMb: mb(mem.rss), heapUsedMb: mb(mem.heapUsed), heapTotalMb: mb(mem.heapTotal), externalMb: mb(mem.external) },
    });
    o.onReady?.(agent);
    await stopped;
  } finally {
    clearInterval(keepAlive);
    stopWatchingDamage();
    policyWatch?.stop();
    log.info('daemon-stopping', {});
    await agent.stop();
    log.info('daemon-stopped', {});
  }
}

/** Policy store ids the machine daemon ignores, or a policy that allows it no store (app/policy/machine-stores.ts). */
async function logMachineStorePolicy(log: Logger): Promise<void> {
  for (const message of await (await import('../policy/machine-stores')).machineStoreWarnings())
    log.warn('machine-stores-policy', { message });
}

const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;

/** Status from disk only (no network, no scheduler): safe while a daemon or the tray app is running. */
export async function readStatus(home: string): Promise<SchedulerStatus> {
  return statusFromJobs(
    home,
    await readScheduleFile(scheduleFile(home)),
    await new DisclaimerState(homeLayout(home).state).list(),
  );
}
