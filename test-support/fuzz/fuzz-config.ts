/**
 * Shared settings for the property-based (fast-check) fuzz suites, `*.fuzz.test.ts` beside the modules they fuzz.
 * In `npm test` each property runs a small, seeded number of cases (the whole fuzz suite stays well under 20 s);
 * `npm run fuzz` multiplies every count by FUZZ_MULTIPLIER (default there: 50) and FUZZ_SEED picks another seed.
 * A failure prints fast-check's seed and shrunk counter-example: add it to the suite's regression cases.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

const MULTIPLIER = Math.max(1, Number(process.env.FUZZ_MULTIPLIER ?? 1) || 1);
const SEED = Number(process.env.FUZZ_SEED ?? 22);

/** fast-check parameters: seeded, `runs` cases (× FUZZ_MULTIPLIER), no per-run timeout games. */
export function fuzzParams(runs: number): fc.Parameters<unknown> {
  return { numRuns: runs * MULTIPLIER, seed: SEED, endOnFailure: true };
}

/** Time limit for a fuzz test: generous for `npm run fuzz`, not for the normal run. */
export function fuzzTimeout(normalMs = 20_000): number {
  return normalMs * MULTIPLIER;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * The property every parser must hold: it returns a value or throws one of its own typed errors with a message.
 * A raw TypeError/RangeError (a crash on input the code did not expect) or an error without words fails.
 */
export function expectReturnsOrTypedError<T>(fn: () => T, ...types: ErrorClass[]): T | undefined {
  try {
    return fn();
  } catch (err) {
    checkTyped(err, types);
    return undefined;
  }
}

export async function expectResolvesOrTypedError<T>(fn: () => Promise<T>, ...types: ErrorClass[]): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    checkTyped(err, types);
    return undefined;
  }
}

function checkTyped(err: unknown, types: ErrorClass[]): void {
  const ok = types.some((t) => err instanceof t);
  if (!ok) {
    const e = err as Error;
    expect.fail(`expected one of ${types.map((t) => t.name).join(', ')}, got ${e?.name}: ${e?.message}\n${e?.stack ?? ''}`);
  }
  expect((err as Error).message.trim().length).toBeGreaterThan(10);
}
