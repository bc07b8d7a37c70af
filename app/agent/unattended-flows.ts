import type { EnrollRequest } from '../engine/enroll';
import { withText } from '../model/core-text';
import type { FlowOutcome } from '../model/flow-types';
import { MissingInputError, type FlowFrontEnd } from '../engine/front-end';
import { pendingApprovals, type PendingApproval } from '../engine/state';
import type { AgentContext } from './agent-context';
import type { FlowRunner } from './flow-runner';
import { renewalRequest } from './renewal-request';

/**
 * The front-end of flows nobody watches: any prompt ends the flow with `needs-input` (MissingInputError), which
 * the scheduler turns into the unattended-renewal popup instead of a prompt that would wait forever.
 */
const unattendedFrontEnd: FlowFrontEnd = {
  prompt: async (p) => {
    throw withText(
      new MissingInputError([p.kind], `unattended renewal needs the user (${p.kind}); ask them to sign in`),
      'renewal.needs-sign-in',
    );
  },
  progress: () => {},
};

/**
 * The scheduler's entry points into the flow runner: silent renewal and re-polling enrollments that wait for an
 * approver. Both run as ordinary flows (published to the UI as progress and flow:done) but never ask anybody.
 */
export function unattendedFlows(ctx: AgentContext, flows: FlowRunner) {
  return {
    async renewSilently(sha256Fingerprint: string, extra: Partial<EnrollRequest> = {}, signal?: AbortSignal) {
      const req = { ...(await renewalRequest(ctx.deps, ctx.log, sha256Fingerprint)), ...extra, unattended: true };
      return flows.start(req, unattendedFrontEnd, signal).done;
    },
    // One after another, in the order they were recorded: each is a flow with its own RCDP session.
    async pollPendingApprovals() {
      const out: { pending: PendingApproval; outcome: FlowOutcome }[] = [];
      for (const p of await pendingApprovals.list(ctx.home)) {
        const outcome = await flows.start(
          {
            provider: p.provider,
            service: p.service,
            format: p.format,
            csr: p.csr,
            unattended: true,
            credentials: p.userId ? { USERID: p.userId } : undefined,
          },
          unattendedFrontEnd,
        ).done;
        out.push({ pending: p, outcome });
      }
      return out;
    },
  };
}

export type UnattendedFlows = ReturnType<typeof unattendedFlows>;
