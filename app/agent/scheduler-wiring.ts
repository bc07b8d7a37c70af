import type { EventOf } from '../ipc/contract';
import { userMailIntegration } from '../mail/user-mail';
import { AgentScheduler } from '../scheduler/agent-scheduler';
import type { DisclaimerChange } from '../scheduler/periodic-jobs';
import { uiNotifier, type Emit } from '../scheduler/ui-bridge';
import type { AgentContext } from './agent-context';
import type { AgentOptions } from './agent-types';
import { disclaimerClients } from './disclaimer-clients';

type SchedulerOptions = Pick<AgentOptions, 'mail' | 'mailUserHome' | 'userHome' | 'schedulerStartupJitterMs'>;

/**
 * The renewal scheduler (keep-alive, messages, disclaimers, renewals) wired to the core: its notices become UI
 * events and popups, and the disclaimer job applies signatures through the user's mail clients. Returned unstarted:
 * the core keeps it before starting it, so flows and requests during start() already see it.
 */
export function createAgentScheduler(ctx: AgentContext, options: SchedulerOptions): AgentScheduler {
  // Renewal notices name the job (renewal:<fingerprint>); the popup's "Renew now" needs the fingerprint.
  const emitWithFingerprint: Emit = (channel, payload) => {
    if (channel === 'popup:open') {
      const p = payload as EventOf<'popup:open'>;
      const jobId = typeof p.data.jobId === 'string' ? p.data.jobId : '';
      if (jobId.startsWith('renewal:') && p.data.sha256Fingerprint === undefined) {
        return ctx.sink.emit('popup:open', { ...p, data: { ...p.data, sha256Fingerprint: jobId.slice('renewal:'.length) } });
      }
    }
    ctx.sink.emit(channel, payload);
  };
  const mail = options.mail ?? userMailIntegration((m) => ctx.log.info(m), options.mailUserHome ?? options.userHome);
  const clients = disclaimerClients(ctx.layout.state);
  // Which mail clients got the signature is kept beside the scheduler's disclaimer state for the UI.
  const applyDisclaimer = mail
    ? async (change: DisclaimerChange) => {
        const report = await mail.applyDisclaimer(change);
        await clients.record(change, report.applied);
        ctx.publishState();
      }
    : undefined;
  return new AgentScheduler({
    home: ctx.home,
    engine: ctx.deps,
    notifier: uiNotifier(emitWithFingerprint, () => ctx.publishState()),
    log: ctx.log,
    ...(applyDisclaimer ? { applyDisclaimer } : {}),
    ...(options.schedulerStartupJitterMs !== undefined ? { startupJitterMs: options.schedulerStartupJitterMs } : {}),
  });
}
