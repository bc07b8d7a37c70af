/**
 * RCDP protocol versions this agent speaks, newest first, and the features that depend on them.
 * The list holds the versions the two specs name (2.0.0–2.3.0 from the 2.3.2 document, 2.7.4–2.8.3 from the
 * 2.8.3 one); negotiation walks it downwards, and a server that proposes any other 2.x version we can
 * order is accepted too, with features gated by comparison rather than by list membership.
 */
export const SUPPORTED_VERSIONS = [
  '2.8.3',
  '2.8.2',
  '2.8.1',
  '2.8.0',
  '2.7.9',
  '2.7.8',
  '2.7.7',
  '2.7.6',
  '2.7.5',
  '2.7.4',
  '2.3.0',
  '2.2.0',
  '2.1.0',
  '2.0.0',
] as const;

export const NEWEST_VERSION = SUPPORTED_VERSIONS[0];
export const OLDEST_VERSION = '2.0.0';

const VERSION_RE = /^(\d+)\.(\d+)\.(\d+)$/;

export function parseVersion(v: string): [number, number, number] | undefined {
  const m = VERSION_RE.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Negative when a < b, 0 when equal, positive when a > b. Unparseable versions sort lowest. */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a) ?? [0, 0, 0];
  const pb = parseVersion(b) ?? [0, 0, 0];
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

export const atLeast = (version: string, min: string): boolean => compareVersions(version, min) >= 0;

/** True for versions this client can talk: 2.0.0 up to the newest it knows. */
export function isSpeakable(version: string): boolean {
  return parseVersion(version) !== undefined && atLeast(version, OLDEST_VERSION) && compareVersions(version, NEWEST_VERSION) <= 0;
}

/** Protocol differences the client and engine act on, derived from one negotiated version. */
export interface VersionFeatures {
  version: string;
  /** 2.3.0 moved authentication and change-password from GET to POST. */
  postAuthentication: boolean;
  /** Server-generated certificates: GET up to the 2.3.x series (the 2.3.2 document shows GET /rcdp/2.3.0/cert), POST in the 2.8.3 document. */
  postCert: boolean;
  /** out-of-band certificate download (2.1.0). */
  outOfBand: boolean;
  /** CSR signing and csr-requirements (2.2.0). */
  csr: boolean;
  /** LOCKED reported separately from DELAY (2.3.0); before that a lock looks like DELAY. */
  lockedStatus: boolean;
  /** Kerberos ticket parameter (2.3.0). */
  kerberos: boolean;
  /** The OTP credential's name: "OTP/MFA" as of 2.7.5, "OTP" before. */
  otpCredential: 'OTP/MFA' | 'OTP';
  /** mfa-settings in auth-requirements (2.7.5). */
  mfa: boolean;
  /** Paths without the version segment pick the server's newest version (2.7.6). */
  versionlessPaths: boolean;
  /**
   * Send include-chain=True with cert: the 2.3.2 document defines it for both cert requests ("Request the entire
   * certificate chain including subordinate and root CAs", default false); the 2.8.3 document has no such
   * parameter and returns the chain "when available". Where 2.3.x ends and 2.4.0 begins is an assumption
   * (app/rcdp/README.md); the engine completes a chain the reply lacks either way.
   */
  includeChainParam: boolean;
  /** P12v2 (AES) format: documented with the 2.7.x series; older servers only know P12 and PEM. */
  p12v2: boolean;
  /** Seat authentication with USERID + computer-name (2.8.0; HWSIG first when configured as of 2.8.1). */
  seatAuthentication: boolean;
  givenNameSurname: boolean;
  sanDomains: boolean;
}

export function featuresOf(version: string): VersionFeatures {
  return {
    version,
    postAuthentication: atLeast(version, '2.3.0'),
    postCert: atLeast(version, '2.4.0'),
    outOfBand: atLeast(version, '2.1.0'),
    csr: atLeast(version, '2.2.0'),
    lockedStatus: atLeast(version, '2.3.0'),
    kerberos: atLeast(version, '2.3.0'),
    otpCredential: atLeast(version, '2.7.5') ? 'OTP/MFA' : 'OTP',
    mfa: atLeast(version, '2.7.5'),
    versionlessPaths: atLeast(version, '2.7.6'),
    includeChainParam: !atLeast(version, '2.4.0'),
    p12v2: atLeast(version, '2.7.0'),
    seatAuthentication: atLeast(version, '2.8.0'),
    givenNameSurname: atLeast(version, '2.8.2'),
    sanDomains: atLeast(version, '2.8.3'),
  };
}
