/**
 * Every error code by which Node reports that a peer's certificate failed verification (OpenSSL's X509_V_ERR_*
 * names as Node spells them, plus Node's own host-name checks). One list for every HTTPS client in the agent,
 * so a refused certificate is always explained as a TLS problem (exit 6), never as "could not be reached".
 * Kept free of imports: the RCDP client, the Public API client and the Online CA client all load it.
 */
export const TLS_VERIFY_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  // Node's fallback for an X509_V_ERR it has no name for.
  'UNSPECIFIED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_CERT_ALTNAME_FORMAT',
  'EPROTO',
]);

/** True for a certificate-verification or TLS-handshake failure (looks at `code` and one level of `cause`). */
export function isTlsFailure(err: unknown): boolean {
  for (let e = err, i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (TLS_VERIFY_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')))
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
