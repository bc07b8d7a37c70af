/**
 * Typed RCDP failures. Each carries a stable `code` the engine maps to a FlowOutcome code and the CLI to an
 * exit code, and a message that names the action and says what to do.
 */

export type RcdpFailureCode = 'network' | 'server-error' | 'protocol' | 'tls' | 'incompatible-version' | 'time-out-of-sync';

export class RcdpError extends Error {
  constructor(
    readonly code: RcdpFailureCode,
    readonly action: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RcdpError';
  }
}

/** The server could not be reached, the connection broke, or it timed out. */
export class RcdpNetworkError extends RcdpError {
  /** A deadline expired: the server is up but stalled, so an immediate retry would only wait as long again. */
  readonly timedOut: boolean;
  constructor(action: string, message: string, options?: { cause?: unknown; timedOut?: boolean }) {
    super('network', action, message, options);
    this.name = 'RcdpNetworkError';
    this.timedOut = options?.timedOut ?? false;
  }
}

/** TLS verification failed: never retried, never bypassed. */
export class RcdpTlsError extends RcdpError {
  constructor(action: string, message: string, options?: { cause?: unknown }) {
    super('tls', action, message, options);
    this.name = 'RcdpTlsError';
  }
}

/** The reply was not what the protocol says (not JSON, wrong status, a field missing or of the wrong type). */
export class RcdpProtocolError extends RcdpError {
  constructor(action: string, message: string) {
    super('protocol', action, message);
    this.name = 'RcdpProtocolError';
  }
}

/** The server answered with HTTP 5xx or an unexpected HTTP status. */
export class RcdpHttpError extends RcdpError {
  constructor(
    action: string,
    readonly httpStatus: number,
    message: string,
    /** A 429/503's Retry-After (app/system/retry-after.ts): the scheduler waits at least this long. */
    readonly retryAfterMs?: number,
  ) {
    super('server-error', action, message);
    this.name = 'RcdpHttpError';
  }
}

/** Meanings of the server's numbered errors (spec 2.4.2), in words a user can act on. */
export const SERVER_ERROR_MEANINGS: Record<number, { name: string; meaning: string }> = {
  1001: {
    name: 'ErrResolvedIpInvalid',
    meaning:
      'none of the IP addresses this computer resolved for the service URIs match what the server resolved (check DNS or VPN)',
  },
  1002: {
    name: 'ErrDigestInvalid',
    meaning:
      "the digest of the service's executable on this computer does not match the one registered on the server (the program was changed or updated)",
  },
  1003: {
    name: 'ErrTimeOutOfSync',
    meaning:
      "this computer's clock differs too much from the server's; correct the system date, time and time zone (enable network time) and try again",
  },
  1004: {
    name: 'ErrMaxLicensedUsersReached',
    meaning: 'the server has reached its maximum number of licensed users; contact your administrator',
  },
  1005: {
    name: 'ErrPasswordExpired',
    meaning: 'your password has expired and cannot be changed from here; change it through your organisation and try again',
  },
  1006: {
    name: 'ErrIncompatibleProtocolVersion',
    meaning: 'the server does not support this protocol version',
  },
  1007: {
    name: 'ErrTpmEkCertNotIssuedByEkCa',
    meaning: 'the TPM endorsement certificate was not issued by the TPM endorsement CA configured on the server',
  },
  1008: {
    name: 'ErrTpmEkCertMismatchEkPubBlob',
    meaning: 'the TPM endorsement certificate and public blob do not belong together',
  },
  1009: {
    name: 'ErrInvalidSeat',
    meaning: 'the seat cannot be used for authentication: it does not exist, is archived, or has no valid certificate',
  },
};

/** The server replied {"status":"error","code":N}. */
export class RcdpServerError extends RcdpError {
  readonly errorName: string;
  constructor(
    action: string,
    readonly serverCode: number,
    readonly description?: string,
  ) {
    const known = SERVER_ERROR_MEANINGS[serverCode];
    let meaning = known?.meaning ?? 'the server reported an error it did not explain';
    if (serverCode === 1003 && description && /^-?\d+(\.\d+)?$/.test(description.trim())) {
      const seconds = Math.round(Number(description));
      meaning = `this computer's clock is ${Math.abs(seconds)} s ${seconds >= 0 ? 'ahead of' : 'behind'} the server's; correct the system date, time and time zone (enable network time) and try again`;
    }
    const detail = description && serverCode !== 1003 ? ` (server said: ${description})` : '';
    super(
      serverCode === 1006 ? 'incompatible-version' : serverCode === 1003 ? 'time-out-of-sync' : 'server-error',
      action,
      `KeyTalk server error ${serverCode}${known ? ` ${known.name}` : ''} during ${action}: ${meaning}${detail}`,
    );
    this.name = 'RcdpServerError';
    this.errorName = known?.name ?? `Error${serverCode}`;
  }
}
