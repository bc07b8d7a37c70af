/**
 * The keep-alive interval arrives as "a value followed by a unit, e.g. 3600s, or an empty string if none is
 * configured" (spec 3.2.14/3.2.15). Only "s" appears in the spec; m/h/d are accepted because an admin-entered
 * value may use them, and a bare number is read as seconds. Returns seconds, or undefined for "not configured".
 */
export function parseIntervalSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/i.exec(trimmed);
  if (!m) {
    throw new Error(`keep-alive interval "${text}" is not a number followed by a unit (s, m, h or d), e.g. "3600s"`);
  }
  const value = Number(m[1]);
  const unit = (m[2] || 's').toLowerCase();
  const factor = unit === 's' ? 1 : unit === 'm' ? 60 : unit === 'h' ? 3600 : 86400;
  const seconds = value * factor;
  if (seconds <= 0) return undefined;
  return seconds;
}
