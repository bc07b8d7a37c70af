import type { EngineDeps } from '../engine/enroll';
import type { RequestHandlers } from '../ipc/dispatcher';
import { homeLayout, resolveHome, ensurePrivateHome } from '../config/home';
import { createLogger, fileSink } from '../log/logger';
import { settingsLogLevel } from '../log/settings-level';
import type { PolicyWatch } from '../policy/policy-watch';
import type { AgentScheduler } from '../scheduler/agent-scheduler';
import { selfServiceHandlers } from '../smime/self-service-handlers';
import { MemorySecretStore } from '../system/secret-store';
import { describeDamage, onStateDamagedIn } from '../system/state-file';
import type { AgentContext } from './agent-context';
import { agentEvents } from './agent-events';
import { agentState } from './agent-status';
import type { AgentOptions, AgentRuntime } from './agent-types';
import { appHandlers } from './app-handlers';
import { approvalHandlers } from './approval-handlers';
import { backgroundWork } from './background-work';
import { certificateHandlers } from './certificate-handlers';
import { disclaimerHandlers } from './disclaimer-handlers';
import { doctorHandlers } from './doctor-handlers';
import { createEngineDeps } from './engine-deps';
import { flowHandlers } from './flow-handlers';
import { flowRunner } from './flow-runner';
import { uiPresence } from './ui-presence';
import { messageHandlers } from './message-handlers';
import { mfaHandlers } from './mfa-handlers';
import { providerHandlers } from './provider-handlers';
import { scannerHandlers } from './scanner-handlers';
import { createAgentScheduler } from './scheduler-wiring';
import { readSettings } from './settings';
import { settingsHandlers } from './settings-handlers';
import { unattendedFlows } from './unattended-flows';

/**
 * The agent core's composition root: builds the engine wiring, the event hub and the flow runner once, and joins
 * one handlers module per area (flows, certificates, providers, messages, approvals, disclaimers, settings, S/MIME
 * self-service, scanner, MFA) into the contract's complete handler table. Each area lives in its own module; this
 * file only decides what they share and owns the lifecycle (start, system events, stop).
 */
export function createAgent(options: AgentOptions = {}): AgentRuntime {
  const home = resolveHome(options.home);
  const layout = homeLayout(home);
  const events = agentEvents();
  const secretStore = options.secretStore ?? new MemorySecretStore();
  const version = options.version ?? '0.1.0';
  const log = options.log ?? createLogger(fileSink(layout.logs), settingsLogLevel(home), { component: 'agent' });
  const base = createEngineDeps({
    home,
    secretStore,
    log,
    appVersion: version,
    settings: () => readSettings(home),
    providers: options.providers,
    signInWindow: options.signInWindow,
    userHome: options.userHome,
  });
  const deps: EngineDeps = { ...base, ...options.engine, home };
  const providers = base.providerRegistry;
  const background = backgroundWork();
  let scheduler: AgentScheduler | undefined;
  let policyWatch: PolicyWatch | undefined;

  const ctx: AgentContext = {
    home,
    layout,
    deps,
    log,
    sink: events.sink,
    // `flows` is declared below; these run only after createAgent() returned.
    state: () => agentState(ctx, { version, providers, flows, secretStore }),
    publishState: () => {
      void ctx.state().then(
        (s) => events.sink.emit('agent:state', s),
        () => undefined,
      );
    },
    scheduler: () => scheduler,
    track: (p) => background.track(p),
  };
  // A damaged state file was moved aside and rebuilt: log it and republish the state, whose `repaired` shows it.
  const stopWatchingDamage = onStateDamagedIn(home, (d) => {
    log.warn('state-file-damaged', { file: d.file, movedTo: d.movedTo, problem: d.problem, message: describeDamage(d) });
    ctx.publishState();
  });
  const flows = flowRunner(ctx);
  const autoEnroll = async () => {
    const entries = (await (await import('../policy/load-policy')).currentPolicy()).policy.autoEnroll ?? [];
    if (!entries.length) return;
    await (await import('../policy/auto-enroll')).runAutoEnroll(deps, entries, log);
    await scheduler?.sync(); // the new certificates get their renewal jobs
    ctx.publishState();
  };
  const unattended = unattendedFlows(ctx, flows);

  const handlers: RequestHandlers = {
    ...appHandlers(ctx, events, version),
    ...providerHandlers(ctx, providers),
    ...flowHandlers(ctx, flows),
    ...certificateHandlers(ctx, flows, events),
    ...messageHandlers(ctx),
    ...approvalHandlers(ctx, unattended),
    ...disclaimerHandlers(ctx),
    ...selfServiceHandlers(home, { ssapiUrl: options.ssapiUrl }),
    ...settingsHandlers(ctx, secretStore, options.userHome),
    ...scannerHandlers(deps, { track: ctx.track, userHome: options.mailUserHome ?? options.userHome }),
    ...mfaHandlers(deps),
    ...doctorHandlers(ctx, version),
  };

  return {
    home,
    handlers,
    engineDeps: deps,
    startFlow: flows.start,
    onEvent: events.onEvent,
    renewSilently: unattended.renewSilently,
    uiAttached: uiPresence(ctx, flows),
    pollPendingApprovals: unattended.pollPendingApprovals,
    async start() {
      // Best effort: a read-only home is reported by the first write that needs it, not here.
      await ensurePrivateHome(home).catch(() => undefined);
      // The organisation's provisioned RCCDs before anything connects (app/policy/provisioned.ts; never throws).
      await (await import('../policy/provisioned')).provisionAtStart(home, ctx.log);
      // A policy changed while running applies without a restart: providers re-provisioned, the schedule re-synced
      // (renewal floor), and a new state for the UI, which then re-reads its settings (locks, stores).
      policyWatch ??= await (
        await import('../policy/policy-watch')
      ).watchAndReapply(
        home,
        ctx.log,
        async () => {
          await scheduler?.sync();
          await autoEnroll();
          ctx.publishState();
        },
        options.policyWatch,
      );
      // The policy's autoEnroll: in the background (servers may be slow), once per entry (app/policy/auto-enroll.ts).
      void ctx.track(autoEnroll());
      if (options.scheduler === false || scheduler) return;
      // Kept before it starts, so a second start() is a no-op and flows run during start() hand it their certificate.
      scheduler = createAgentScheduler(ctx, options);
      await scheduler.start();
      ctx.publishState();
    },
    onSystemEvent(event) {
      scheduler?.recheck(event);
    },
    async stop() {
      flows.cancelAll();
      // Cancelled flows send eoc and publish flow:done, and a post-flow scheduler sync finishes its writes,
      // before the scheduler stops: nothing writes into the home after stop() resolves.
      await background.drain();
      policyWatch?.stop();
      policyWatch = undefined;
      await scheduler?.stop();
      scheduler = undefined;
      stopWatchingDamage();
    },
  };
}
