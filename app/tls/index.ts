export {
  createProviderAgent,
  providerOrigin,
  providerTrustAnchors,
  captureCertificateOnError,
  checkKeytalkServerIdentity,
  PEER_CERTIFICATE,
} from './provider-agent';
export type { ProviderAgentOptions } from './provider-agent';
export { explainTlsError, TlsTrustError } from './explain-tls-error';
export type { TlsProblem } from './explain-tls-error';
export { isTlsFailure, TLS_VERIFY_CODES } from './tls-codes';
