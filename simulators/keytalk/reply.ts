/** What a handler answers; the server applies faults and logging before writing it. */
export interface Reply {
  status: number;
  json?: unknown;
  raw?: Buffer | string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Session id for the request log. */
  session?: string;
}

export const ok = (json: unknown, headers?: Record<string, string>): Reply => ({
  status: 200,
  json,
  ...(headers ? { headers } : {}),
});

/** RCDP error reply (section 2.4.2): HTTP 200 with status "error" and a numeric code. */
export const rcdpError = (code: number, description?: string): Reply => ({
  status: 200,
  json: { status: 'error', code, ...(description !== undefined ? { description } : {}) },
});

/** A request the protocol does not allow (bad parameters, wrong order, wrong method): HTTP 4xx with status "error". */
export const badRequest = (description: string, status = 400): Reply => ({ status, json: { status: 'error', description } });

export const ERR = {
  resolvedIpInvalid: 1001,
  digestInvalid: 1002,
  timeOutOfSync: 1003,
  maxLicensedUsers: 1004,
  passwordExpired: 1005,
  incompatibleVersion: 1006,
  tpmEkCertNotIssuedByEkCa: 1007,
  tpmEkCertMismatch: 1008,
  invalidSeat: 1009,
} as const;
