import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandRunner } from '../system/command-runner';
import { unsafePolicyPath } from './policy-permissions';
import { policyKeySchemas } from './schema';

/** One policy source's raw keys (not yet validated), or a problem reading it. Absent sources return nothing. */
export interface RawSource {
  source: string;
  raw?: unknown;
  problem?: string;
}

/**
 * policy.json then policy.d/*.json in name order (later files override earlier keys), as on Linux. A folder or file
 * another local user could write is reported and ignored (policy-permissions.ts).
 */
export async function readPolicyFolder(dir: string): Promise<RawSource[]> {
  const unsafeDir = await unsafePolicyPath(dir);
  if (unsafeDir) return [{ source: dir, problem: unsafeDir }];
  const out: RawSource[] = [];
  const files = [path.join(dir, 'policy.json')];
  const dropIn = path.join(dir, 'policy.d');
  const unsafeDropIn = await unsafePolicyPath(dropIn);
  if (unsafeDropIn) out.push({ source: dropIn, problem: unsafeDropIn });
  else {
    try {
      const names = (await readdir(dropIn)).filter((n) => n.endsWith('.json')).sort();
      files.push(...names.map((n) => path.join(dropIn, n)));
    } catch {
      // No policy.d: only policy.json.
    }
  }
  for (const file of files) {
    const unsafe = await unsafePolicyPath(file);
    const read = unsafe ? { source: file, problem: unsafe } : await readJsonSource(file);
    if (read) out.push(read);
  }
  return out;
}

export async function readJsonSource(file: string): Promise<RawSource | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { source: file, problem: `cannot be read (${(err as Error).message}); ignored` };
  }
  try {
    // A UTF-8 byte-order mark is what Windows PowerShell 5.1's Set-Content -Encoding UTF8 (and older Notepad) writes:
    // not part of the JSON, so not a reason to ignore the administrator's policy.
    return { source: file, raw: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
  } catch (err) {
    return { source: file, problem: `is not valid JSON (${(err as Error).message}); ignored` };
  }
}

export const windowsPolicyKeys = ['HKLM\\SOFTWARE\\Policies\\KeyTalk\\Agent', 'HKCU\\SOFTWARE\\Policies\\KeyTalk\\Agent'];

/**
 * `reg query KEY /s` for one policy hive. A missing key is "no policy" (reg exits 1 with "unable to find").
 * Values: REG_DWORD → boolean for boolean keys, number otherwise; REG_MULTI_SZ (shown with \0 separators) → list;
 * REG_SZ → string, or JSON for keys whose value is not a string (autoEnroll's list of objects, a list as one string).
 */
export async function readRegistrySource(runner: CommandRunner, key: string): Promise<RawSource | undefined> {
  const r = await runner.run({ command: 'reg', args: ['query', key, '/s'], timeoutMs: 15_000 });
  if (r.code !== 0) {
    if (/unable to find/i.test(r.stderr + r.stdout)) return undefined;
    return { source: key, problem: `reg query failed (${(r.stderr || r.stdout).trim()}); ignored` };
  }
  const raw: Record<string, unknown> = {};
  for (const line of r.stdout.split(/\r?\n/)) {
    const m = /^ {4}(\S+) {4}(REG_SZ|REG_EXPAND_SZ|REG_DWORD|REG_QWORD|REG_MULTI_SZ) {4}(.*)$/.exec(line);
    if (!m) continue;
    const [, name, type, data] = m as unknown as [string, string, string, string];
    raw[name] = registryValue(name, type, data);
  }
  return { source: key, raw };
}

function registryValue(name: string, type: string, data: string): unknown {
  const schema = (policyKeySchemas as Record<string, { safeParse(v: unknown): { success: boolean } }>)[name];
  if (type === 'REG_DWORD' || type === 'REG_QWORD') {
    const n = Number.parseInt(data, 16);
    // Boolean policy keys are DWORD 0/1 in the ADMX; a number key keeps the number.
    if (schema?.safeParse(n).success) return n;
    return n === 1 ? true : n === 0 ? false : n;
  }
  if (type === 'REG_MULTI_SZ')
    // One item per line; a line holding a JSON object is an object item (providers' {server, uid, sha256}).
    return data
      .split('\\0')
      .filter((s) => s !== '')
      .map((item) => (/^\s*\{/.test(item) ? parseJsonOr(item) : item));
  // A key whose value is not a plain string (a list of objects such as autoEnroll, or a list given as one
  // string) is carried as JSON text in a REG_SZ (the ADMX's text element): parse it when the raw string is not
  // itself a valid value. Left as a string when it is not JSON, so validation names the key and what it expected.
  if (schema && !schema.safeParse(data).success && /^\s*[[{]/.test(data)) {
    return parseJsonOr(data);
  }
  return data;
}

/** The parsed JSON, or the text itself when it is not JSON (validation then names the key and what it expected). */
function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export const macPolicyPlist = '/Library/Managed Preferences/com.keytalk.agent.plist';

/** The managed-preferences plist as JSON through the OS's own converter (the plist may be binary). */
export async function readPlistSource(runner: CommandRunner, file = macPolicyPlist): Promise<RawSource | undefined> {
  const r = await runner.run({ command: 'plutil', args: ['-convert', 'json', '-o', '-', file], timeoutMs: 15_000 });
  if (r.code !== 0) {
    if (/does not exist|no such file|not readable/i.test(r.stderr + r.stdout)) return undefined;
    return { source: file, problem: `plutil could not read it (${(r.stderr || r.stdout).trim()}); ignored` };
  }
  try {
    const raw = JSON.parse(r.stdout) as Record<string, unknown>;
    // A configuration profile adds its own bookkeeping keys to the managed plist; they are not policy.
    for (const k of Object.keys(raw)) if (k.startsWith('PayloadUUID') || k === 'PayloadVersion') delete raw[k];
    return { source: file, raw };
  } catch (err) {
    return { source: file, problem: `plutil output is not JSON (${(err as Error).message}); ignored` };
  }
}
