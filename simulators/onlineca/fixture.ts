import { promises as fs } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';

/**
 * What a simulator fixture may contain. Faults live here too so a scenario can be started broken from the
 * command line; the control endpoint changes them at run time.
 */

export const TrustRootsFormat = z.enum(['documented', 'lines']);
export type TrustRootsFormat = z.infer<typeof TrustRootsFormat>;

// busy503: HTTP 503 with "Retry-After: 120" (an overloaded front end; the service document is silent on it).
export const CertificateFault = z.enum(['none', 'error500', 'busy503', 'reject-csr', 'malformed', 'unchained', 'wrong-key']);
export type CertificateFault = z.infer<typeof CertificateFault>;

export const TrustRootsFault = z.enum(['none', 'error500', 'path-separator', 'duplicate', 'non-base64', 'oversize']);
export type TrustRootsFault = z.infer<typeof TrustRootsFault>;

export const Faults = z
  .object({
    /** Added before every reply (trust roots and certificates). */
    latencyMs: z.number().int().min(0).max(120_000).default(0),
    certificate: CertificateFault.default('none'),
    trustRoots: TrustRootsFault.default('none'),
  })
  .strict();
export type Faults = z.infer<typeof Faults>;

export const User = z
  .object({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(256),
    /** Lifetime of certificates issued to this user; falls back to the fixture's default. */
    lifetimeSeconds: z.number().int().min(1).optional(),
  })
  .strict();
export type User = z.infer<typeof User>;

export const Fixture = z
  .object({
    /** Sent in WWW-Authenticate: Basic realm="...". */
    realm: z.string().min(1).max(200).default('Online CA'),
    /** Organisation name in the CA subjects. */
    caName: z.string().min(1).max(64).default('Simulated Online CA'),
    trustRootsFormat: TrustRootsFormat.default('lines'),
    defaultLifetimeSeconds: z.number().int().min(1).default(86_400),
    users: z.array(User).default([]),
    faults: Faults.default({ latencyMs: 0, certificate: 'none', trustRoots: 'none' }),
  })
  .strict();
export type Fixture = z.infer<typeof Fixture>;

export function parseFixture(value: unknown, source = 'fixture'): Fixture {
  const result = Fixture.safeParse(value ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${source} is not a valid Online CA fixture: ${issues}`);
  }
  const seen = new Set<string>();
  for (const u of result.data.users) {
    if (seen.has(u.username)) throw new Error(`${source}: user "${u.username}" is listed twice; keep one entry per user`);
    seen.add(u.username);
  }
  return result.data;
}

/** A fixture is a YAML file path or an already-parsed object (tests build them inline). */
export async function loadFixture(fixture: string | unknown): Promise<Fixture> {
  if (typeof fixture !== 'string') return parseFixture(fixture);
  const text = await fs.readFile(fixture, 'utf8');
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (err) {
    throw new Error(`${fixture} is not valid YAML: ${(err as Error).message}`);
  }
  return parseFixture(raw, fixture);
}
