import type { EventChannel, EventOf } from '../ipc/contract';
import type { RequestHandlers } from '../ipc/dispatcher';
import type { EngineDeps, EnrollRequest } from '../engine/enroll';
import type { FlowOutcome } from '../model/flow-types';
import type { FlowFrontEnd } from '../engine/front-end';
import type { ProviderRegistry } from '../engine/providers';
import type { PendingApproval } from '../engine/state';
import type { Logger } from '../log/logger';
import type { SignInWindowOpener } from '../mfa/sign-in-window';
import type { DisclaimerChange } from '../scheduler/periodic-jobs';
import type { SecretStore } from '../system/secret-store';

/**
 * The agent core's public shapes: one object per process that owns the engine, stores and flows and implements the
 * IPC contract's request handlers. Electron's main process and the browser host both create one and bind it to
 * their transport; the CLI uses the same engine directly. No flow logic lives in any front-end: a flow's
 * prompts go out as `flow:prompt` events and come back through `flow:answer`.
 */
export interface AgentOptions {
  home?: string;
  secretStore?: SecretStore;
  version?: string;
  /** Replace parts of the engine wiring (tests: HWSIG probes, MFA, RCDP timeouts, DNS). */
  engine?: Partial<Omit<EngineDeps, 'home'>>;
  providers?: ProviderRegistry;
  log?: Logger;
  /**
   * Run the renewal scheduler (keep-alive, messages, disclaimers, renewals) while started. Default true: the
   * tray app and the browser host are the agent. Tests of flows alone turn it off.
   */
  scheduler?: boolean;
  /** Timing of the policy watch (app/policy/policy-watch.ts); tests shorten the debounce. */
  policyWatch?: { debounceMs?: number; pollMs?: number };
  /**
   * Mail-client side of email disclaimers (the scheduler's disclaimer job). Default: every Thunderbird profile
   * (and Outlook on Windows) of the user in `mailUserHome` (default the OS home); `false` turns disclaimer jobs off.
   */
  mail?: false | { applyDisclaimer(change: DisclaimerChange): Promise<{ applied: string[] }> };
  /** Also where a scan started from the UI (`scanner:scan-now`) looks for the user's NSS databases. */
  mailUserHome?: string;
  /**
   * The user's home: where the stores find ~/.pki/nssdb, Firefox profiles and the login keychain, and (unless
   * `mailUserHome` says otherwise) the mail clients. Default os.homedir(); tests give a temp folder.
   */
  userHome?: string;
  /** Self-Service API base URL for every provider (default https://<provider host>:3000); tests give the simulator's. */
  ssapiUrl?: string;
  /** Spread of newly scheduled periodic jobs (default the scheduler's 1 min); e2e tests shorten it. */
  schedulerStartupJitterMs?: number;
  /** Electron main's popup window for mfa-settings kind `mfa-popups`; without it they use the system browser. */
  signInWindow?: SignInWindowOpener;
}

/** Work done after a certificate is issued and before flow:done is published (a renewal retires the old one). */
export type OnIssued = (outcome: Extract<FlowOutcome, { status: 'issued' }>) => Promise<void>;

export interface StartedFlow {
  flowId: string;
  done: Promise<FlowOutcome>;
}

export interface AgentCore {
  readonly home: string;
  readonly handlers: RequestHandlers;
  /** Subscribe to core events (bindings forward them to windows). */
  onEvent(listener: <C extends EventChannel>(channel: C, payload: EventOf<C>) => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resume from sleep, screen unlock, time-zone change: due times are re-checked against the wall clock. */
  onSystemEvent?(event: string): void;
  /**
   * A UI window or browser tab connected; call the returned function when it goes. When the last one goes, the
   * enrollments waiting on the UI are cancelled (their server sessions end with eoc, nothing is stored), so a
   * closed or reloaded window never leaves a flow — and "Needs attention" — behind that nobody can answer.
   */
  uiAttached?(): () => void;
}

/** What createAgent() returns: the core plus the entry points the tray and the scheduler call directly. */
export interface AgentRuntime extends AgentCore {
  /**
   * Start an enrollment. Without `frontEnd` its prompts go to the UI as flow:prompt events (answered with
   * flow:answer); with one (CLI, tests) they go there. Progress and the outcome are always published too.
   */
  startFlow(request: EnrollRequest, frontEnd?: FlowFrontEnd, signal?: AbortSignal, onIssued?: OnIssued): StartedFlow;
  /**
   * Scheduler entry point: renew one certificate without asking anybody, using remembered credentials (or
   * the seat key). Resolves with code 'needs-input' when the user must sign in; the caller then shows the
   * unattended-renewal popup and starts an interactive flow with `certs:renew`.
   */
  renewSilently(sha256Fingerprint: string, extra?: Partial<EnrollRequest>, signal?: AbortSignal): Promise<FlowOutcome>;
  /** Re-poll enrollments waiting for approval (scheduler). */
  pollPendingApprovals(): Promise<{ pending: PendingApproval; outcome: FlowOutcome }[]>;
  readonly engineDeps: EngineDeps;
}
