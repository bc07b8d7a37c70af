import type { CertificateSummary } from '../../app/ipc/contract';

/** One attribute of an RFC 4514 / OpenSSL-style DN ("emailAddress=a@b, CN=Alice, O=Acme"), unescaped. */
export function dnAttribute(dn: string, name: string): string | undefined {
  const parts = dn.split(/(?<!\\)[,/+]/);
  for (const p of parts) {
    const i = p.indexOf('=');
    if (i > 0 && p.slice(0, i).trim().toLowerCase() === name.toLowerCase())
      return p
        .slice(i + 1)
        .trim()
        .replace(/\\(.)/g, '$1');
  }
  return undefined;
}

/** The name a person recognises: the common name, else the e-mail address, else the DN as it is. */
export function certName(cert: Pick<CertificateSummary, 'subject'>): string {
  return (
    dnAttribute(cert.subject, 'CN') ?? dnAttribute(cert.subject, 'emailAddress') ?? dnAttribute(cert.subject, 'E') ?? cert.subject
  );
}

export type ExpiryLevel = 'ok' | 'renew' | 'soon' | 'expired';

/**
 * Whole days until the certificate expires, and how worried to look: past its renewal moment (the margin the
 * server set) it is "renew", within 7 days "soon", past the end "expired".
 */
export function expiry(
  cert: Pick<CertificateSummary, 'notAfter' | 'renewAt'>,
  now = Date.now(),
): { days: number; level: ExpiryLevel } {
  const end = Date.parse(cert.notAfter);
  // Whole days on either side of the end: expired 2 days and 1 minute ago is "2 days ago", not 3.
  if (!(end > now)) return { days: -Math.floor((now - end) / 86_400_000) || 0, level: 'expired' };
  const days = Math.floor((end - now) / 86_400_000);
  if (days < 7) return { days, level: 'soon' };
  const renewAt = cert.renewAt ? Date.parse(cert.renewAt) : NaN;
  return { days, level: renewAt <= now ? 'renew' : 'ok' };
}
