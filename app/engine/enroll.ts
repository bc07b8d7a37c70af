import type { EngineDeps } from './enroll-deps';
import type { EnrollRequest } from './enroll-request';
import type { EnrollOutcome } from '../model/flow-types';
import type { FlowFrontEnd } from './front-end';
import { failureOutcome } from './outcome';
import { runRcdpEnrollment } from './rcdp-enrollment';

export type { EngineDeps, IssuedContext, ProviderConnection } from './enroll-deps';
export type { EnrollRequest } from './enroll-request';

/**
 * Run one enrollment (or renewal) with whichever provider kind serves `req.provider`: the registry the agent core
 * wired into `deps.providerKinds` decides; without one, KeyTalk (the RCDP state machine, rcdp-enrollment.ts).
 * Never throws: every ending is a FlowOutcome. A failed or cancelled flow writes no key or certificate.
 */
export async function runEnrollment(
  req: EnrollRequest,
  frontEnd: FlowFrontEnd,
  deps: EngineDeps,
  signal?: AbortSignal,
): Promise<EnrollOutcome> {
  if (!deps.providerKinds) return runRcdpEnrollment(req, frontEnd, deps, signal);
  // Each kind's enroll never throws; what can fail here is finding or loading the kind.
  return deps.providerKinds.enroll(req, frontEnd, deps, signal).catch((err: unknown) => failureOutcome(err, signal));
}
