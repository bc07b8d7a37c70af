type Json = Record<string, unknown>;

function parse(text: string | undefined): Json {
  if (!text) return {};
  const v = JSON.parse(text) as unknown;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

const isSection = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Another process's sign-ins survive this one's write of the MSAL token cache. MSAL reads the file before an access
 * (`base`), works in memory — for a sign-in that is seconds of browser and network — and then would write its whole
 * memory (`mine`) back, dropping whatever another agent process on the same home wrote meanwhile (`onDisk`). So only
 * what this process changed goes onto the file's current content: per section (Account, IdToken, AccessToken,
 * RefreshToken, AppMetadata: maps keyed by MSAL's cache keys) an entry this process added or changed is written, one
 * it removed (sign-out) is removed, and every other entry stays as the file has it. The same entry changed by both
 * (a refreshed token) takes this process's value: the newest write wins, as without a second process.
 */
export function mergeTokenCache(onDisk: string | undefined, base: string | undefined, mine: string): string {
  const disk = parse(onDisk);
  const before = parse(base);
  const now = parse(mine);
  const out: Json = { ...disk };
  for (const name of new Set([...Object.keys(before), ...Object.keys(now)])) {
    const [d, b, m] = [disk[name], before[name], now[name]];
    if (!isSection(m) || !isSection(b ?? {}) || !isSection(d ?? {})) {
      // Not a map of entries (nothing MSAL writes today): this process's value, if it still has one.
      if (m !== undefined) out[name] = m;
      else if (b !== undefined) delete out[name];
      continue;
    }
    const was = (b ?? {}) as Json;
    const section: Json = { ...((d ?? {}) as Json) };
    for (const key of Object.keys(was)) if (!(key in m)) delete section[key];
    for (const [key, value] of Object.entries(m))
      if (!(key in was) || JSON.stringify(was[key]) !== JSON.stringify(value)) section[key] = value;
    out[name] = section;
  }
  return JSON.stringify(out);
}
