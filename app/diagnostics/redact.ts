/**
 * What a support bundle must never carry: passwords, PINs, one-time passwords, challenge responses, tokens,
 * cookies, private keys and PKCS#12 data. Redaction works on structure first (JSON keys), then on text patterns for
 * what a log line or a tool's output may hold; both are deliberately broad — a helpdesk loses a harmless value now
 * and then, never a secret. The bundle's own test greps every byte for known secrets.
 */

/** Field names whose string values are secrets (the logger's own list, plus the RCDP and HTTP spellings). */
const SECRET_NAME =
  /pass(word|wd|phrase)?|\bpin\b|^pin$|otp|secret|token|cookie|session|response|challenge|private|p12|pkcs12|pfx|credential|authorization|apikey|api-key|assertion|code_verifier|refresh/i;

const REDACTED = '[redacted]';

/** A key name that holds a secret; `keyLocations`, `sha256Fingerprint` and the like do not. */
export function isSecretName(name: string): boolean {
  if (SECRET_NAME.test(name)) return true;
  // "key" alone, or ending in key ("privateKey", "sessionKey", "key_pem"), but not "keyLocations" or "keyUsage".
  return /(^|[-_])key($|[-_]?(pem|der|data|b64|base64)$)|[a-z]Key$/i.test(name);
}

/** Deep copy of a JSON value with every secret-named string (or buffer-like) value replaced. */
export function redactValue(value: unknown, name = ''): unknown {
  if (typeof value === 'string') return name && isSecretName(name) ? REDACTED : redactText(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, name));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretName(k) && v !== null && typeof v !== 'boolean' && typeof v !== 'number' ? REDACTED : redactValue(v, k);
    }
    return out;
  }
  return value;
}

const PEM_PRIVATE = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g;
/** name=value in URLs, forms and log text, and "name": "value" in JSON text whose structure was not parsed. */
const PAIR_NAMES =
  'pass(?:word|wd|phrase)?|pin|otp|secret|token|access_token|refresh_token|id_token|cookie|keytalkcookie|session(?:id)?|response|responses|challenge-responses|code|code_verifier|client_secret|assertion|new-password|old-password';
const QUERY_PAIR = new RegExp(`\\b(${PAIR_NAMES})=([^&\\s"',;]+)`, 'gi');
const JSON_PAIR = new RegExp(`("(?:[\\w-]*(?:${PAIR_NAMES})[\\w-]*)"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
const HEADER = /\b(cookie|set-cookie|authorization|proxy-authorization)(\s*[:=]\s*)[^\r\n"]+/gi;
const BEARER = /\bbearer\s+[A-Za-z0-9._~+/=-]+/gi;
/** A JWT (header.payload.signature, base64url). */
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;
/** Long base64 runs: PKCS#12 files, encrypted keys, MSAL caches. Certificates in PEM are cut too; fingerprints stay. */
const LONG_BASE64 = /[A-Za-z0-9+/]{200,}={0,2}/g;

/** A password in a URL's user info ("https://user:secret@host"), as a hook's curl or a tool's error prints it. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"'<>]*):[^\s/@"'<>]+@/gi;

/** Text (a log file, a tool's output) with every secret-looking part replaced. */
export function redactText(text: string): string {
  return text
    .replace(PEM_PRIVATE, '[private key removed]')
    .replace(URL_USERINFO, (_m, head: string) => `${head}:${REDACTED}@`)
    .replace(JWT, '[token removed]')
    .replace(BEARER, 'Bearer [redacted]')
    .replace(HEADER, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`)
    .replace(JSON_PAIR, (_m, head: string) => `${head}"${REDACTED}"`)
    .replace(QUERY_PAIR, (_m, name: string) => `${name}=${REDACTED}`)
    .replace(LONG_BASE64, (m) => `[${Math.floor((m.length * 3) / 4)} bytes of base64 removed]`);
}

/** A log file: each JSON line redacted by structure (then text), any other line by text. */
export function redactLog(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (!line.startsWith('{')) return redactText(line);
      try {
        return JSON.stringify(redactValue(JSON.parse(line)));
      } catch {
        return redactText(line);
      }
    })
    .join('\n');
}
