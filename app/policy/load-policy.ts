import path from 'node:path';
import { coreText, type CoreText } from '../model/core-text';
import { processRunner, type CommandRunner } from '../system/command-runner';
import { validatePolicy, type Policy } from './schema';
import {
  readJsonSource,
  readPlistSource,
  readPolicyFolder,
  readRegistrySource,
  windowsPolicyKeys,
  type RawSource,
} from './sources';

/** The policy in force: merged keys, the problems found (each ignored), where it came from, and the RCCD folder. */
export interface LoadedPolicy {
  policy: Policy;
  warnings: string[];
  /** The warnings coded for the UI's languages (app/model/core-text.ts), one per warning, same order. */
  warningTexts?: CoreText[];
  /** Sources that contributed at least one key, lowest precedence first. */
  sources: string[];
  /** Every RCCD in this folder is a provisioned provider. */
  rccdDir: string;
}

export interface PolicyPlatform {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  runner?: CommandRunner;
}

export const linuxPolicyDir = '/etc/keytalk-agent';

/**
 * Reads every policy source of this OS, lowest precedence first, and merges them key by key (a later source's key
 * replaces an earlier one's). `KEYTALK_AGENT_POLICY_DIR` replaces the OS sources with one folder laid out like the
 * Linux one, on every OS (tests, and an administrator trying a policy out).
 *   Linux:   /etc/keytalk-agent/policy.json, then policy.d/*.json in name order
 *   Windows: %ProgramData%\KeyTalk Agent\policy.json, then HKCU\…\Policies\KeyTalk\Agent, then HKLM (machine wins)
 *   macOS:   /Library/Managed Preferences/com.keytalk.agent.plist (what a configuration profile installs)
 */
export async function loadPolicy(on: PolicyPlatform): Promise<LoadedPolicy> {
  const runner = on.runner ?? processRunner;
  let raw: RawSource[];
  let rccdDir: string;
  const dir = on.env.KEYTALK_AGENT_POLICY_DIR;
  if (dir) {
    raw = await readPolicyFolder(dir);
    rccdDir = path.join(dir, 'rccd');
  } else if (on.platform === 'win32') {
    const base = path.join(on.env.ProgramData ?? on.env.PROGRAMDATA ?? 'C:\\ProgramData', 'KeyTalk Agent');
    raw = [];
    const file = await readJsonSource(path.join(base, 'policy.json'));
    if (file) raw.push(file);
    for (const key of [...windowsPolicyKeys].reverse()) {
      const reg = await readRegistrySource(runner, key);
      if (reg) raw.push(reg);
    }
    rccdDir = path.join(base, 'rccd');
  } else if (on.platform === 'darwin') {
    const plist = await readPlistSource(runner);
    raw = plist ? [plist] : [];
    rccdDir = '/Library/Application Support/KeyTalk Agent/rccd';
  } else {
    raw = await readPolicyFolder(linuxPolicyDir);
    rccdDir = path.join(linuxPolicyDir, 'rccd');
  }
  return mergeSources(raw, rccdDir);
}

export function mergeSources(raw: RawSource[], rccdDir: string): LoadedPolicy {
  const policy: Policy = {};
  const warnings: string[] = [];
  const warningTexts: CoreText[] = [];
  const sources: string[] = [];
  for (const s of raw) {
    if (s.problem !== undefined) {
      warnings.push(`${s.source} ${s.problem}`);
      warningTexts.push(coreText('policy.unreadable', warnings.at(-1)!, { source: s.source, problem: s.problem }));
      continue;
    }
    const v = validatePolicy(s.raw, s.source);
    warnings.push(...v.warnings);
    warningTexts.push(...(v.texts ?? []));
    if (Object.keys(v.policy).length) sources.push(s.source);
    Object.assign(policy, v.policy);
  }
  return { policy, warnings, ...(warningTexts.length ? { warningTexts } : {}), sources, rccdDir };
}

let cached: { key: string; value: Promise<LoadedPolicy> } | undefined;

/**
 * The policy of this process, read once (a reader that spawns `reg`/`plutil` should not run at every settings read).
 * Re-read when the policy folder variable changes, or after `forgetPolicy()` (a policy change noticed by a watcher).
 */
export function currentPolicy(env: Record<string, string | undefined> = process.env): Promise<LoadedPolicy> {
  const key = `${process.platform}|${env.KEYTALK_AGENT_POLICY_DIR ?? ''}`;
  if (cached?.key !== key) cached = { key, value: loadPolicy({ platform: process.platform, env }) };
  return cached.value;
}

export function forgetPolicy(): void {
  cached = undefined;
}
