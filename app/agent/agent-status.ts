import type { AgentState, PasswordExpiry } from '../ipc/contract';
import { passwordChecks } from '../engine/password-checks';
import { PASSWORD_WARN_DAYS, passwordExpiries } from '../engine/password-expiry';
import { describeRepaired, repairedFiles, repairedText } from '../config/repaired-files';
import { coreText, type CoreText } from '../model/core-text';
import type { ProviderRegistry } from '../engine/providers';
import { enrollments, messageStore } from '../engine/state';
import { readSettings } from './settings';
import { currentPolicy } from '../policy/load-policy';
import { pendingAutoEnroll } from '../policy/auto-enroll';
import { readProvisioningWarnings } from '../policy/provisioning-warnings';
import { fingerprint } from '../policy/policy-watch';
import { nextRenewal } from '../scheduler/ui-bridge';
import type { AgentContext } from './agent-context';
import type { FlowRunner } from './flow-runner';
import { secretStorageProtection } from '../engine/remember-gate';
import type { SecretStore } from '../system/secret-store';

type SchedulerStatus = Awaited<ReturnType<NonNullable<ReturnType<AgentContext['scheduler']>>['status']>>;

/** The scheduler's view of its jobs, or undefined when it is not running or cannot say (the UI then shows less). */
export async function schedulerStatus(ctx: Pick<AgentContext, 'scheduler'>): Promise<SchedulerStatus | undefined> {
  const scheduler = ctx.scheduler();
  return scheduler ? scheduler.status().catch(() => undefined) : undefined;
}

/**
 * The agent's state for the tray icon and the status header: a flow waiting on the user needs attention, a
 * running one is work, the last failed flow (not a cancelled one) is an error until the next flow ends. A provider
 * list that cannot be read shows as none rather than failing the whole state.
 */
export async function agentState(
  ctx: Pick<AgentContext, 'home' | 'scheduler'>,
  o: { version: string; providers: ProviderRegistry; flows: FlowRunner; secretStore?: SecretStore },
): Promise<AgentState> {
  const [list, messages, schedule, repaired, policy, autoEnroll, passwords, provisioning] = await Promise.all([
    o.providers.list().catch(() => []),
    messageStore.list(ctx.home),
    schedulerStatus(ctx),
    repairedFiles(ctx.home).catch(() => []),
    currentPolicy(),
    pendingAutoEnroll(ctx.home).catch(() => []),
    expiringPasswords(ctx.home).catch(() => []),
    readProvisioningWarnings(ctx.home).catch(() => []),
  ]);
  // A provisioned RCCD that did not import or refresh (rccd?uid) is a policy problem the administrator must see.
  const policyWarnings = [...policy.warnings, ...provisioning];
  const next = schedule ? nextRenewal(schedule) : undefined;
  const revision = policy.sources.length || policy.warnings.length ? await fingerprint(policy) : undefined;
  const flows = o.flows.activity();
  return {
    status: flows.waiting || autoEnroll.length ? 'attention' : flows.running ? 'working' : flows.lastError ? 'error' : 'idle',
    version: o.version,
    home: ctx.home,
    providers: list,
    unreadMessages: messages.filter((m) => !m.read).length,
    ...(next ? { nextRenewal: next } : {}),
    ...(flows.activeFlow ? { activeFlow: flows.activeFlow } : {}),
    ...(flows.lastError ? { lastError: flows.lastError } : {}),
    ...(flows.lastErrorText ? { lastErrorText: flows.lastErrorText } : {}),
    ...(repaired.length ? { repaired: repaired.map(describeRepaired), repairedTexts: repaired.map(repairedText) } : {}),
    ...(policyWarnings.length ? { policyWarnings } : {}),
    ...(policyWarnings.length ? { policyWarningTexts: policyWarningTexts(policy, provisioning) } : {}),
    ...(policy.policy.supportContact ? { supportContact: policy.policy.supportContact } : {}),
    ...(revision ? { policyRevision: revision } : {}),
    ...(autoEnroll.length ? { autoEnrollPending: autoEnroll } : {}),
    secretStorageProtection: secretStorageProtection(o.secretStore),
    ...(policy.policy.lockedRememberSecrets === false ? { rememberLocked: true } : {}),
    ...(passwords.length ? { passwordExpiries: passwords } : {}),
  };
}

/** policyWarnings coded for the UI's languages, one per warning: the policy's own, then provisioning problems. */
function policyWarningTexts(policy: { warnings: string[]; warningTexts?: CoreText[] }, provisioning: string[]): CoreText[] {
  const own = policy.warningTexts?.length === policy.warnings.length ? policy.warningTexts : policy.warnings.map(uncoded);
  return [...own, ...provisioning.map((p) => coreText('policy.provisioning', p, { problem: p }))];
}

/** A warning without a code of its own: an unknown code, so the UI shows its English. */
const uncoded = (message: string): CoreText => ({ code: 'uncoded', message });

/** Passwords inside the user's warning window (Settings.passwordWarnDays), newest server word per user. */
async function expiringPasswords(home: string): Promise<PasswordExpiry[]> {
  const [records, checks, settings] = await Promise.all([enrollments.list(home), passwordChecks.list(home), readSettings(home)]);
  const days = settings.passwordWarnDays ?? PASSWORD_WARN_DAYS;
  return passwordExpiries(records, new Date(), days, checks).filter((p) => p.warn);
}
