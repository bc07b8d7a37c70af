import { pendingApprovals } from '../engine/state';
import type { RequestHandlers } from '../ipc/dispatcher';
import type { AgentContext } from './agent-context';
import type { UnattendedFlows } from './unattended-flows';

type ApprovalChannels = 'approvals:list' | 'approvals:check';

/**
 * Enrollments waiting for an approver: what is pending, and "check now" (the scheduler polls them too). The check
 * reports each one's result as a status word, the failure code when it failed, so the UI can say why.
 */
export function approvalHandlers(
  ctx: AgentContext,
  unattended: Pick<UnattendedFlows, 'pollPendingApprovals'>,
): Pick<RequestHandlers, ApprovalChannels> {
  return {
    'approvals:list': async () =>
      (await pendingApprovals.list(ctx.home)).map((p) => ({
        provider: p.provider,
        service: p.service,
        ...(p.userId ? { userId: p.userId } : {}),
        since: p.since,
        lastPolled: p.lastPolled,
      })),
    'approvals:check': async () =>
      (await unattended.pollPendingApprovals()).map(({ pending, outcome }) => ({
        provider: pending.provider,
        service: pending.service,
        status: outcome.status === 'failed' ? outcome.code : outcome.status,
        ...('message' in outcome && typeof outcome.message === 'string' ? { message: outcome.message } : {}),
      })),
  };
}
