import type { ProviderSummary } from '../ipc/contract';
import type { EnrollRequest } from './enroll-request';
import type { EnrollOutcome } from '../model/flow-types';
import type { FlowFrontEnd } from './front-end';

/** What a kind's renewal rule gives app/scheduler/renewal-rule.ts (the fields of its RenewalInput). */
export interface RenewalPolicy {
  serverMarginSeconds?: number;
  certValidPercent?: number;
}

/**
 * One kind of provider (KeyTalk over RCDP, Online CA, …) as the agent core uses it. Every provider lives under
 * <home>/providers/<name>/ with a provider.json whose `kind` names its implementation; ProviderKinds
 * (provider-kinds.ts) picks the implementation from it, so nothing else asks which kind a provider is.
 *
 * Trust is each kind's own business and happens inside `enroll`: KeyTalk trusts only the CAs of the imported
 * RCCD (its TLS agent, app/tls), an Online CA the trust roots it bootstrapped (pin or confirm-trust prompt).
 * Adding a provider (an RCCD import, an Online CA URL) takes different inputs per kind, so it stays with the kind.
 *
 * D is the engine wiring a kind's enrollment needs (KeyTalk: all of EngineDeps; Online CA: home, stores, secrets).
 */
export interface ProviderKind<D> {
  /** The `kind` in provider.json and in ProviderSummary. */
  readonly kind: ProviderSummary['kind'];
  /** Load and describe: every provider of this kind with its services, as the tray UI and the CLI list them. */
  list(): Promise<ProviderSummary[]>;
  remove(name: string): Promise<void>;
  /**
   * Enroll, or renew (`unattended`: never prompt, end with needs-input instead). Same contract as the engine's
   * runEnrollment: never throws, every ending is a FlowOutcome, a failed flow writes no key or certificate.
   */
  enroll(req: EnrollRequest, frontEnd: FlowFrontEnd, deps: D, signal?: AbortSignal): Promise<EnrollOutcome>;
  /**
   * Renewal rule when the provider's own record decides it. Absent (KeyTalk): the scheduler asks the provider's
   * server for its expiration margin and reads the RCCD service's CertValidPercent.
   */
  renewalPolicy?(name: string): Promise<RenewalPolicy>;
}
