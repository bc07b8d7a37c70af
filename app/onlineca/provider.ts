import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { homeLayout } from '../config/home';
import { withText } from '../model/core-text';
import type { ProviderSummary } from '../ipc/contract';
import { DEFAULT_CERT_VALID_PERCENT } from '../scheduler/renewal-rule';
import { readJsonFile, writeJsonAtomic } from '../system/atomic-write';
import {
  checkHttpsUrl,
  checkProviderName,
  isAllowedRenewPercent,
  normalizeSha256,
  PROVIDER_NAME,
} from '../model/onlineca-input-rules';
import { ONLINECA_SERVICE } from './service-name';

export { checkProviderName, normalizeSha256 };

/**
 * An Online CA provider lives beside the KeyTalk (RCCD) providers as <home>/providers/<name>/provider.json with
 * kind 'onlineca', plus the trust root folder it bootstrapped (<home>/providers/<name>/trustroots/).
 */

export { ONLINECA_SERVICE };

export const OnlineCaTrust = z.object({
  /** How the roots were accepted: the user confirmed the fingerprints, or they matched the configured pin. */
  method: z.enum(['tofu', 'pin']),
  /** SHA-256 of every CA certificate in the stored trust roots (upper-case hex). */
  fingerprints: z.array(z.string()),
  acceptedAt: z.string(),
  format: z.enum(['documented', 'lines']),
});
export type OnlineCaTrust = z.infer<typeof OnlineCaTrust>;

export const OnlineCaProviderRecord = z.object({
  kind: z.literal('onlineca'),
  name: z.string(),
  /** Service base URL as the user gave it, e.g. https://ca.example.org/onlineca/ */
  url: z.string(),
  trustRootsUrl: z.string(),
  certificateUrl: z.string(),
  /** SHA-256 of a CA certificate the server's chain must go through (from configuration); replaces the TOFU prompt. */
  pinnedFingerprint: z.string().optional(),
  /** Renew when less than this percentage of the lifetime remains (like RCCD CertValidPercent). */
  renewPercent: z.number().min(1).max(99).optional(),
  trust: OnlineCaTrust.optional(),
  /** Last user name that enrolled (pre-fills the prompt; the password is never stored here). */
  username: z.string().optional(),
  addedAt: z.string(),
});
export type OnlineCaProviderRecord = z.infer<typeof OnlineCaProviderRecord>;

export interface AddOnlineCaOptions {
  pinnedFingerprint?: string;
  renewPercent?: number;
  /** Override the paths derived from the base URL (trustroots/, certificate/). */
  trustRootsUrl?: string;
  certificateUrl?: string;
}

export function providerDir(home: string, name: string): string {
  return path.join(homeLayout(home).providers, checkProviderName(name));
}

export function trustRootsDir(home: string, name: string): string {
  return path.join(providerDir(home, name), 'trustroots');
}

const recordFile = (home: string, name: string): string => path.join(providerDir(home, name), 'provider.json');

export async function addOnlineCaProvider(
  home: string,
  name: string,
  url: string,
  options: AddOnlineCaOptions = {},
): Promise<OnlineCaProviderRecord> {
  checkProviderName(name);
  const base = checkHttpsUrl(url, 'Online CA URL');
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const file = recordFile(home, name);
  const existing = await readJsonFile<{ kind?: string } | null>(file, null);
  if (existing) {
    const kind = existing.kind === 'onlineca' ? 'An Online CA' : 'A KeyTalk';
    throw withText(
      new Error(`${kind} provider named "${name}" already exists; choose another name or remove that provider first`),
      'provider.exists',
      { name },
    );
  }
  if (options.renewPercent !== undefined && !isAllowedRenewPercent(options.renewPercent)) {
    throw new Error(`Renewal percentage ${options.renewPercent} must be between 1 and 99`);
  }
  const record: OnlineCaProviderRecord = {
    kind: 'onlineca',
    name,
    url: base.toString(),
    trustRootsUrl: checkHttpsUrl(options.trustRootsUrl ?? new URL('trustroots/', base).toString(), 'Trust roots URL').toString(),
    certificateUrl: checkHttpsUrl(
      options.certificateUrl ?? new URL('certificate/', base).toString(),
      'Certificate URL',
    ).toString(),
    ...(options.pinnedFingerprint ? { pinnedFingerprint: normalizeSha256(options.pinnedFingerprint) } : {}),
    ...(options.renewPercent !== undefined ? { renewPercent: options.renewPercent } : {}),
    addedAt: new Date().toISOString(),
  };
  await writeJsonAtomic(file, record);
  return record;
}

export async function loadOnlineCaProvider(home: string, name: string): Promise<OnlineCaProviderRecord> {
  const file = recordFile(home, name);
  const raw = await readJsonFile<unknown>(file, undefined);
  if (raw === undefined) throw new Error(`No provider named "${name}"; add it with: keytalk-agent onlineca add ${name} URL`);
  const parsed = OnlineCaProviderRecord.safeParse(raw);
  if (!parsed.success) {
    const kind = (raw as { kind?: unknown }).kind;
    if (kind !== 'onlineca') throw new Error(`Provider "${name}" is a ${String(kind ?? 'KeyTalk')} provider, not an Online CA`);
    throw new Error(
      `${file} is damaged (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}); remove and re-add the provider`,
    );
  }
  return parsed.data;
}

export async function saveOnlineCaProvider(home: string, record: OnlineCaProviderRecord): Promise<void> {
  await writeJsonAtomic(recordFile(home, record.name), OnlineCaProviderRecord.parse(record));
}

/** Every Online CA provider under <home>/providers (KeyTalk providers in the same folder are skipped). */
export async function listOnlineCaProviders(home: string): Promise<OnlineCaProviderRecord[]> {
  let names: string[];
  try {
    names = await fs.readdir(homeLayout(home).providers);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: OnlineCaProviderRecord[] = [];
  for (const n of names.sort()) {
    if (!PROVIDER_NAME.test(n)) continue;
    const raw = await readJsonFile<{ kind?: string } | null>(
      path.join(homeLayout(home).providers, n, 'provider.json'),
      null,
    ).catch(() => null);
    if (raw?.kind !== 'onlineca') continue;
    const parsed = OnlineCaProviderRecord.safeParse(raw);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

export async function removeOnlineCaProvider(home: string, name: string): Promise<void> {
  await loadOnlineCaProvider(home, name);
  // Rename first so a half-deleted folder is never mistaken for a configured provider.
  const trash = path.join(homeLayout(home).providers, `.removed-${randomBytes(6).toString('hex')}`);
  await fs.rename(providerDir(home, name), trash);
  await fs.rm(trash, { recursive: true, force: true });
}

/** The IPC ProviderSummary for the tray UI's provider list. */
export function onlineCaProviderSummary(record: OnlineCaProviderRecord): ProviderSummary {
  return {
    name: record.name,
    kind: 'onlineca',
    server: record.url,
    services: [{ name: ONLINECA_SERVICE, certValidPercent: record.renewPercent ?? DEFAULT_CERT_VALID_PERCENT }],
  };
}
