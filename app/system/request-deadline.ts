import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Hard time limits for one HTTP(S) exchange. Node's own `timeout` is an idle timer that restarts with every
 * byte, so a server that sends one byte every few seconds holds a request open forever. Two timers here:
 *  - connect: TCP + TLS must be up within `connectMs` (a black-holed address fails fast);
 *  - total: the whole exchange, reply body included, must finish within `totalMs`, however the bytes trickle.
 * On expiry the request is destroyed and `onExpire` says which limit was hit; the caller words the error.
 */
export interface RequestDeadlines {
  connectMs: number;
  totalMs: number;
}

/** Connect limit used when a caller gives only a total: 10 s, never more than the total. */
export function deadlinesFor(totalMs: number, connectMs?: number): RequestDeadlines {
  return { totalMs, connectMs: Math.min(connectMs ?? 10_000, totalMs) };
}

export function armRequestDeadlines(
  req: ClientRequest,
  limits: RequestDeadlines,
  onExpire: (phase: 'connect' | 'total', ms: number) => void,
): () => void {
  let connectTimer: NodeJS.Timeout | undefined;
  const expire = (phase: 'connect' | 'total', ms: number) => {
    clear();
    onExpire(phase, ms);
    req.destroy();
  };
  const totalTimer = setTimeout(() => expire('total', limits.totalMs), limits.totalMs);
  const clear = () => {
    clearTimeout(totalTimer);
    if (connectTimer) clearTimeout(connectTimer);
  };
  req.once('socket', (socket: Socket) => {
    // A kept-alive socket is already connected; a new one is "connecting" until TCP is up, then TLS follows.
    const tlsPending = 'encrypted' in socket && !(socket as Socket & { authorized?: boolean }).authorized;
    if (!socket.connecting && !tlsPending) return;
    connectTimer = setTimeout(() => expire('connect', limits.connectMs), limits.connectMs);
    const ready = () => {
      if (connectTimer) clearTimeout(connectTimer);
    };
    socket.once(tlsPending ? 'secureConnect' : 'connect', ready);
    socket.once('close', ready);
  });
  req.once('close', clear);
  return clear;
}
