import { RcdpServerError } from '../rcdp/errors';
import { coreText, withText } from '../model/core-text';
import type { AuthContext, AuthResult, SeatIdentity } from './auth-context';
import { FlowFailure } from './front-end';

/** Seat authentication (2.8.1): prove possession of the seat certificate's key. Returns undefined to fall back. */
export async function trySeatAuthentication(ctx: AuthContext, seat: SeatIdentity): Promise<AuthResult | undefined> {
  ctx.step('auth-requirements', coreText('step.seat', 'seat'));
  try {
    let reqs = await ctx.client.authRequirements({
      service: ctx.service,
      USERID: seat.userId,
      'computer-name': ctx.computerName,
    });
    if (reqs.hwsig_formula && !reqs['encrypted-challenge']) {
      if (!ctx.hwsig) return undefined;
      reqs = await ctx.client.authRequirements({ HWSIG: await ctx.hwsig(reqs.hwsig_formula) });
    }
    const challenge = reqs['encrypted-challenge'];
    if (!challenge) return undefined;
    const plain = await ctx.decryptSeatChallenge!(challenge, seat.keyPem, seat.certPem);
    const text = typeof plain === 'string' ? plain : plain.toString('utf8');
    ctx.step('authentication', coreText('step.seat', 'seat'));
    const reply = await ctx.client.authenticate({
      RESPONSE: `${Buffer.byteLength(text)}#${text}`,
      'caller-hw-description': ctx.callerHwDescription,
    });
    if (reply['auth-status'] === 'OK')
      return {
        userId: seat.userId,
        remember: false,
        credentials: { USERID: seat.userId },
        method: 'seat',
        kind: 'seat',
        computerName: ctx.computerName,
      };
    if (reply['auth-status'] === 'LOCKED')
      throw withText(new FlowFailure('locked', 'the seat is locked on the KeyTalk server'), 'auth.seat-locked');
    if (reply['auth-status'] === 'DELAY' && reply.delay) await ctx.wait(reply.delay, 'delay');
    return undefined;
  } catch (err) {
    // An unknown/archived seat (1009) falls back to template authentication with the user's credentials.
    if (err instanceof RcdpServerError && err.serverCode === 1009) return undefined;
    throw err;
  }
}
