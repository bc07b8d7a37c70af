export {
  createProviderAgent,
  providerOrigin,
  providerTrustAnchors,
  captureCertificateOnError,
  PEER_CERTIFICATE,
} from './provider-agent';
export type { ProviderAgentOptions } from './provider-agent';
export { explainTlsError, TlsTrustError } from './explain-tls-error';
export type { TlsProblem } from './explain-tls-error';
