import type { FlowOutcome, FlowProgress, FlowPrompt, FlowPurpose } from '../../app/model/flow-types';

/** The running enrollment as the window shows it (the store's `flow`). */
export interface FlowView {
  flowId: string;
  prompt?: FlowPrompt;
  /** Whom the flow signs in to (from flow:prompt), named in the sign-in form's heading. */
  provider?: string;
  service?: string;
  /** What the flow is for (enroll, renew, password change): "Needs attention" names it. */
  purpose?: FlowPurpose;
  progress?: FlowProgress;
  outcome?: FlowOutcome;
  /** Bumped on each prompt so forms reset even when the same kind of prompt comes again. */
  promptSeq: number;
  /** Bumped on each progress event so a countdown restarts even for an equal wait. */
  progressSeq: number;
}
