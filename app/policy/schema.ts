import * as z from 'zod/mini';
import { coreText, type CoreText } from '../model/core-text';
import { describeZodIssue } from '../system/describe-zod-issue';

/**
 * The managed-deployment policy an administrator sets (docs/deployment.md). One flat object, the same keys in every
 * source (policy.json, a Windows registry value, a macOS managed-preferences key), so the ADMX, the .mobileconfig and
 * the Linux example map one to one onto it. `zod/mini` because the daemon reads the policy with its settings.
 *
 * Every key is validated on its own: a bad value is reported and ignored, the other keys still apply (never a crash).
 */
const StoreIds = z.array(z.string().check(z.minLength(1)));

export const policyKeySchemas = {
  /**
   * RCCDs imported at start for every user: absolute paths, or `{server, uid, sha256}` fetched from a KeyTalk server
   * with the Public API rccd?uid= (trust bootstrapped from the pinned SHA-256, remote-rccd.ts) and refreshed on a
   * schedule. The folder's rccd/ is always read as well.
   */
  providers: z.array(
    z.union([
      z.string().check(z.minLength(1)),
      z.object({
        server: z.string().check(z.minLength(1)),
        uid: z.string().check(z.minLength(1)),
        sha256: z.string().check(z.regex(/^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/)),
      }),
    ]),
  ),
  /** Stores used while the user has not chosen any (store ids as in `stores:list`: file, nss, firefox, ...). */
  defaultStores: StoreIds,
  /** The only stores a user may enable; others in settings.json are dropped. */
  allowedStores: StoreIds,
  /** Locks the enabled stores to exactly these. */
  lockedStores: StoreIds,
  /** Locks "start at login". */
  lockedAutostart: z.boolean(),
  /** Locks the log level. */
  lockedLogLevel: z.enum(['error', 'warn', 'info', 'debug']),
  /** Locks the certificate scanner's consent (scanning on or off for every server that asks). */
  lockedScannerConsent: z.boolean(),
  /** true: private keys never leave the machine, whatever a server asks or the user consents to. */
  neverUploadPrivateKeys: z.boolean(),
  /** Locks whether passwords and MFA sessions may be remembered. */
  lockedRememberSecrets: z.boolean(),
  /** Renewal starts at least this many days before expiry, whatever the server or user margin says. */
  renewalMarginFloorDays: z.number().check(z.int(), z.minimum(0), z.maximum(365)),
  /** Update channel (updates are not built yet: recorded and shown only). */
  updateChannel: z.enum(['stable', 'beta']),
  /** true: the agent never updates itself (IT pushes installers). */
  updatesDisabled: z.boolean(),
  /** true: no telemetry (the agent sends none today; the key pins that). */
  telemetryDisabled: z.boolean(),
  /** Who users contact for help: shown in the UI and `status`. */
  supportContact: z.string().check(z.minLength(1), z.maxLength(500)),
  /** Enroll these at first start (not built yet: recorded and shown only). */
  autoEnroll: z.array(z.object({ provider: z.string(), service: z.string() })),
};

export type PolicyKey = keyof typeof policyKeySchemas;
export type Policy = { [K in PolicyKey]?: z.infer<(typeof policyKeySchemas)[K]> };
export const policyKeys = Object.keys(policyKeySchemas) as PolicyKey[];

/**
 * Validates one source's raw object key by key. Unknown keys and bad values become warnings naming the source and
 * the key; the valid keys are returned. A source that is not an object at all is one warning.
 */
export function validatePolicy(raw: unknown, source: string): { policy: Policy; warnings: string[]; texts?: CoreText[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    const message = `${source}: expected a JSON object of policy keys; ignored`;
    return { policy: {}, warnings: [message], texts: [coreText('policy.not-object', message, { source })] };
  }
  const policy: Record<string, unknown> = {};
  const warnings: string[] = [];
  // The same warnings coded (app/model/core-text.ts), one per warning, for the UI's languages.
  const texts: CoreText[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const schema = (policyKeySchemas as Record<string, z.ZodMiniType>)[key];
    if (!schema) {
      warnings.push(`${source}: unknown policy key "${key}"; ignored (known: ${policyKeys.join(', ')})`);
      texts.push(coreText('policy.unknown-key', warnings.at(-1)!, { source, key }));
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) policy[key] = parsed.data;
    else {
      const problem = describeIssue(parsed.error.issues[0], key);
      warnings.push(`${source}: ${problem}; "${key}" ignored`);
      texts.push(coreText('policy.bad-value', warnings.at(-1)!, { source, key, problem }));
    }
  }
  return { policy: policy as Policy, warnings, ...(texts.length ? { texts } : {}) };
}

function describeIssue(issue: z.core.$ZodIssue | undefined, key: string): string {
  return issue ? describeZodIssue({ ...issue, path: [key, ...issue.path] }) : `${key}: unreadable`;
}
