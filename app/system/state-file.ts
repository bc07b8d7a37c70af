import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as z from 'zod/mini';
import { describeZodIssue } from './describe-zod-issue';
import { quarantineFile } from './quarantine-file';

/**
 * The one reader for the agent's persisted JSON state (schedule, enrollments, messages, users, pending approvals,
 * scanner and disclaimer state, MFA settings, …). A file that is empty, truncated, not JSON or of the wrong shape
 * is moved aside (quarantine-file.ts), reported, and read as `fallback`, so the caller rebuilds what it can and
 * the agent keeps running: a damaged informational file must never block enrollment, and a damaged schedule must
 * never crash-loop the daemon. Only errors the user must fix on the system (permissions, I/O) are thrown.
 */

export interface StateDamage {
  file: string;
  /** Where the damaged copy is kept (absent when another process moved it first). */
  movedTo?: string;
  /** What was wrong, in words ("not valid JSON", "jobs.0.id: expected string"). */
  problem: string;
}

const listeners = new Set<(d: StateDamage) => void>();

/** Hear about every damaged state file this process moves aside (the agent turns it into a warning event; the daemon logs it). */
export function onStateDamaged(listener: (d: StateDamage) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** onStateDamaged for files under one agent home only (several agents may share a process in tests and tools). */
export function onStateDamagedIn(home: string, listener: (d: StateDamage) => void): () => void {
  const root = path.resolve(home) + path.sep;
  return onStateDamaged((d) => {
    if (path.resolve(d.file).startsWith(root)) listener(d);
  });
}

/** The user-facing sentence for one damaged file. */
export function describeDamage(d: StateDamage): string {
  const name = path.basename(d.file);
  return d.movedTo
    ? `${name} was damaged (${d.problem}); it was moved aside to ${d.movedTo} and rebuilt`
    : `${name} was damaged (${d.problem}) and rebuilt`;
}

/** Read, parse and validate; a damaged file is quarantined and `fallback` returned. */
export async function readStateFile<T>(file: string, schema: z.ZodMiniType<T>, fallback: T): Promise<T> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw err;
  }
  const checked = check(text, schema);
  if ('value' in checked) return checked.value;
  await reportDamage(file, checked.problem);
  return fallback;
}

/** Move a damaged file aside and tell the listeners; for readers with their own format (provider.json). */
export async function reportDamage(file: string, problem: string): Promise<StateDamage> {
  const damage: StateDamage = { file, problem, movedTo: await quarantineFile(file) };
  for (const l of listeners) {
    try {
      l(damage);
    } catch {
      // A listener's failure must not turn a repaired file into a failed read.
    }
  }
  return damage;
}

function check<T>(text: string, schema: z.ZodMiniType<T>): { value: T } | { problem: string } {
  if (text.trim() === '') return { problem: 'empty' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: 'not valid JSON, perhaps truncated' };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { value: parsed.data } : { problem: describeZodIssue(parsed.error.issues[0]) };
}
