import { createHash } from 'node:crypto';
import { COMPONENTS, ID_RANGES, PREDEFINED_VALUE, type HwsigPlatform } from './components';

/** A probe per component ID; it returns the component's value, or undefined/'' / throws when unavailable. */
export type HwsigProbes = Partial<Record<number, () => string | undefined>>;

/** Probes that may need to run OS tools (Windows, macOS): same contract, asynchronous. */
export type AsyncHwsigProbes = Partial<Record<number, () => string | undefined | Promise<string | undefined>>>;

export interface ParsedFormula {
  /** Component IDs in order, repeats kept; 0 stands for the predefined value. */
  ids: number[];
  /** False when any entry was dropped or replaced (worth a log line, never an error). */
  clean: boolean;
}

/**
 * Parse a server's hwsig_formula for one platform. Entries are trimmed integers; 0 is kept; IDs inside the
 * platform's range that name no component become 0; anything else (other platforms' IDs, text, negatives) is
 * dropped. An empty result becomes [0], so a broken formula still yields a stable signature.
 */
export function parseHwsigFormula(formula: string, platform: HwsigPlatform): ParsedFormula {
  const [lo, hi] = ID_RANGES[platform];
  const known = new Set(COMPONENTS[platform].map((c) => c.id));
  const ids: number[] = [];
  let clean = true;
  for (const raw of formula.split(',')) {
    const tok = raw.trim();
    if (!/^[-+]?\d+$/.test(tok)) {
      clean = false;
      continue;
    }
    const id = Number(tok);
    if (id === 0) ids.push(0);
    else if (id >= lo && id <= hi) {
      ids.push(known.has(id) ? id : 0);
      if (!known.has(id)) clean = false;
    } else clean = false;
  }
  if (ids.length === 0) {
    ids.push(0);
    clean = false;
  }
  return { ids, clean };
}

/** The value each ID contributes, probing each component at most once per computation. */
export function hwsigComponentValues(
  formula: string,
  probes: HwsigProbes,
  platform: HwsigPlatform,
): Array<{ id: number; value: string }> {
  const cache = new Map<number, string>();
  const fallback = new Map(COMPONENTS[platform].map((c) => [c.id, c.fallback]));
  return parseHwsigFormula(formula, platform).ids.map((id) => {
    if (id === 0) return { id, value: PREDEFINED_VALUE };
    let value = cache.get(id);
    if (value === undefined) {
      try {
        value = probes[id]?.()?.trim();
      } catch {
        value = undefined;
      }
      if (!value) value = fallback.get(id) ?? PREDEFINED_VALUE;
      cache.set(id, value);
    }
    return { id, value };
  });
}

/**
 * The hardware signature for `formula`: "CS-" + SHA-256 (hex) of the concatenated component values.
 * Lower-case hex by default, as KeyTalk's C++ desktop client writes it (see README.md for why).
 */
export function computeHwsig(
  formula: string,
  probes: HwsigProbes,
  platform: HwsigPlatform,
  opts: { upperCase?: boolean } = {},
): string {
  const joined = hwsigComponentValues(formula, probes, platform)
    .map((c) => c.value)
    .join('');
  const hex = createHash('sha256').update(joined, 'utf8').digest('hex');
  return `CS-${opts.upperCase ? hex.toUpperCase() : hex}`;
}

/**
 * computeHwsig for asynchronous probes: each component the formula names is probed once (in formula order,
 * one at a time so OS tools are not started in parallel), then the values are hashed exactly as computeHwsig does.
 */
export async function computeHwsigAsync(
  formula: string,
  probes: AsyncHwsigProbes,
  platform: HwsigPlatform,
  opts: { upperCase?: boolean } = {},
): Promise<string> {
  const resolved = new Map<number, string | undefined>();
  for (const id of parseHwsigFormula(formula, platform).ids) {
    if (id === 0 || resolved.has(id)) continue;
    try {
      resolved.set(id, await probes[id]?.());
    } catch {
      resolved.set(id, undefined);
    }
  }
  const sync: HwsigProbes = {};
  for (const [id, value] of resolved) sync[id] = () => value;
  return computeHwsig(formula, sync, platform, opts);
}
