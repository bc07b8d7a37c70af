/** RCDP protocol versions and the behaviour that depends on them (both KeyTalk API documents). */

export type Version = [number, number, number];

export function parseVersion(v: string): Version | null {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) throw new Error(`cannot compare versions "${a}" and "${b}"`);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

export const atLeast = (v: string, min: string): boolean => compareVersions(v, min) >= 0;

/** Version features, named after the change-log rows that introduced them. */
export const FEATURES = {
  outOfBand: '2.1.0',
  csr: '2.2.0',
  tpmVscFlag: '2.2.0',
  /** POST for authentication/change-password, Kerberos, LOCKED iso DELAY. */
  post: '2.3.0',
  kerberos: '2.3.0',
  lockedStatus: '2.3.0',
  /** GET cert (server-generated) is the 2.3.2 document's form; the 2.8.3 one uses POST. */
  getCertUntil: '2.4.0',
  csrSan: '2.4.0',
  p12v2: '2.7.0',
  tpmAttestation: '2.7.2',
  storeCerts: '2.7.4',
  mfa: '2.7.5',
  versionless: '2.7.6',
  smbCerts: '2.7.7',
  invalidSeatError: '2.7.7',
  certScraping: '2.7.8',
  smbOutOfBand: '2.7.9',
  seatByUserId: '2.8.0',
  seatHwsig: '2.8.1',
  csrOus: '2.8.0',
  givenNameSurname: '2.8.2',
  sanDomains: '2.8.3',
} as const;

export const has = (version: string, feature: keyof typeof FEATURES): boolean =>
  feature === 'getCertUntil' ? compareVersions(version, FEATURES.getCertUntil) < 0 : atLeast(version, FEATURES[feature]);

/** Credential-type name of the one-time password for this version. */
export const otpName = (version: string): string => (has(version, 'mfa') ? 'OTP/MFA' : 'OTP');

/** Public API feature versions (section 3.1 of the 2.8.3 document). */
export const PUBLIC_FEATURES = {
  unattendedPopup: '1.6.6',
  keepAlive: '1.6.7',
  tpmAttested: '1.6.8',
  aliveInterval: '1.6.9',
} as const;
