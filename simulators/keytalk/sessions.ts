import { randomBytes } from 'node:crypto';
import type { TpmChallengeState } from './tpm-attestation';

/** Where a session is in the RCDP conversation (2.3: handshake → authentication → service provision). */
export type Phase = 'hello' | 'handshake' | 'auth' | 'authenticated' | 'ended';

export interface Session {
  id: string;
  version: string;
  phase: Phase;
  lastSeen: number;
  service?: string;
  userId?: string;
  computerName?: string;
  hwsig?: string;
  /** Auth progress for multi-step paths. */
  pendingOtp?: { code: string; issuedAt: number };
  waitingForOtp?: boolean;
  challengeStep?: number;
  passwordChallengeSent?: boolean;
  expiredPasswordUser?: string;
  seatChallenge?: string;
  seatStage?: 'need-hwsig' | 'challenge';
  /** 2.7.4: the secret the tpm-attestation challenge wraps and the AK name it was made for. */
  tpmChallenge?: TpmChallengeState;
  /** cert flows that span requests (submitted / pending approval / approver email), keyed by their cookie value. */
  pendingCert?: { cookie: string; polls: number; kind: 'submitted' | 'approval' | 'challenge'; params: Record<string, string> };
}

/** In-memory sessions keyed by keytalkcookie; idle ones expire. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly idleMs: number) {}

  create(version: string): Session {
    this.sweep();
    // 32 hex chars like the real server's cookie; the first 30 are the key/P12 password.
    const s: Session = { id: randomBytes(16).toString('hex'), version, phase: 'hello', lastSeen: Date.now() };
    this.sessions.set(s.id, s);
    return s;
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (Date.now() - s.lastSeen > this.idleMs) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastSeen = Date.now();
    return s;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    if (this.sessions.size < 1000) return;
    const now = Date.now();
    for (const [id, s] of this.sessions) if (now - s.lastSeen > this.idleMs) this.sessions.delete(id);
  }
}
