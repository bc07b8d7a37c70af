/**
 * The rules for what a user types when adding an Online CA provider: name, service URL, pinned fingerprint and
 * renewal percentage. Pure functions without Node imports, so the IPC contract (loaded by the renderer too) and the
 * provider store apply exactly the same rules, and the UI form can check as the user types.
 */

// Same character set and length as the RCCD provider folders (app/rccd providerFolderName), so the folder name is
// the provider name unchanged and both kinds share one namespace under providers/.
export const PROVIDER_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,79}$/;

export function isAllowedProviderName(name: string): boolean {
  return PROVIDER_NAME.test(name) && !name.includes('..') && !name.endsWith(' ') && !name.endsWith('.');
}

export function checkProviderName(name: string): string {
  if (!isAllowedProviderName(name)) {
    throw new Error(
      `Provider name ${JSON.stringify(name)} is not allowed; use 1-80 letters, digits, spaces, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  return name;
}

/** "SHA256:ab:cd…", "AB CD …" or plain hex → 64 upper-case hex digits; undefined when it is not a SHA-256. */
export function parseSha256(fp: string): string | undefined {
  const hex = fp
    .trim()
    .replace(/^sha-?256[:=\s]*/i, '')
    .replace(/[\s:]/g, '')
    .toUpperCase();
  return /^[0-9A-F]{64}$/.test(hex) ? hex : undefined;
}

export function normalizeSha256(fp: string): string {
  const hex = parseSha256(fp);
  if (!hex) throw new Error(`Pinned fingerprint "${fp}" is not a SHA-256 fingerprint; expected 64 hex digits (colons allowed)`);
  return hex;
}

export type HttpsUrlProblem = 'not-a-url' | 'not-https' | 'has-credentials';

/** Why `url` cannot be an Online CA service URL, or undefined when it can. */
export function httpsUrlProblem(url: string): HttpsUrlProblem | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not-a-url';
  }
  if (u.protocol !== 'https:') return 'not-https';
  if (u.username || u.password) return 'has-credentials';
  return undefined;
}

export function checkHttpsUrl(url: string, what: string): URL {
  const problem = httpsUrlProblem(url);
  if (problem === 'not-a-url') throw new Error(`${what} "${url}" is not a URL; expected e.g. https://ca.example.org/onlineca/`);
  if (problem === 'not-https')
    throw new Error(`${what} "${url}" must start with https:// (the Online CA service runs over HTTPS only)`);
  if (problem === 'has-credentials') {
    throw new Error(`${what} must not carry a user name or password; you will be asked for them when enrolling`);
  }
  return new URL(url);
}

export const RENEW_PERCENT_MIN = 1;
export const RENEW_PERCENT_MAX = 99;

export function isAllowedRenewPercent(n: number): boolean {
  return Number.isFinite(n) && n >= RENEW_PERCENT_MIN && n <= RENEW_PERCENT_MAX;
}
