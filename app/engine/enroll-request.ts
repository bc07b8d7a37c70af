import type { Credentials, SeatIdentity } from './authenticate';
import type { CertFormat, CertOptions } from './certificate';

/**
 * What a front-end (tray UI, CLI, scheduler) asks for, whatever the provider's kind. The format, CSR, cert-option,
 * seat and previous-certificate fields are KeyTalk's (RCDP); other kinds ignore what they have no use for.
 */
export interface EnrollRequest {
  provider: string;
  service: string;
  format?: CertFormat;
  csr?: boolean;
  outOfBand?: boolean;
  /** Values known up front (CLI flags/env, scheduler's remembered credentials). */
  credentials?: Credentials;
  /** Ask the front-end for CN / given name + surname / extra SANs (cert-options prompt), or give them. */
  certOptions?: CertOptions | 'ask';
  /** Renewal with the seat certificate's key (seat authentication, RCDP ≥ 2.8.0). */
  seat?: SeatIdentity;
  /** The certificate being renewed: its CN gives retired-computer-name when the machine was renamed. */
  previousCertPem?: string;
  /** Scheduler/daemon: never prompt; fail with code needs-input instead. */
  unattended?: boolean;
  /** Stores to write to (ids from the configured stores); default all configured stores. */
  storeIds?: string[];
  /**
   * Renewal: the SHA-256 fingerprint of the certificate this one replaces. Written into the new enrollment record
   * with it, so a switch-over a crash interrupted is found and finished on restart instead of renewing again.
   */
  replaces?: string;
}
