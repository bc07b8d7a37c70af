import type { IncomingMessage } from 'node:http';

/**
 * The request-body reader both simulators use. Bounded: a client cannot make a simulator buffer without limit.
 * What a too-large body is answered with is the simulator's call (the KeyTalk simulator says 413; the Online CA
 * protocol answers every bad request with 405), so the caller supplies the error, status included.
 */
export interface BodyLimit {
  maxBytes: number;
  /** The error to reject with once the body passes maxBytes, e.g. `(m) => new HttpError(413, m)`. */
  tooLarge: (message: string) => Error;
}

export function readBody(req: IncomingMessage, limit: BodyLimit): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= limit.maxBytes) {
        chunks.push(c);
        return;
      }
      // Stop keeping the body but let the rest of it flow away unread, so the caller's error status still
      // reaches the client (destroying the request would close the socket before any reply).
      req.off('data', onData);
      chunks.length = 0;
      req.resume();
      reject(limit.tooLarge(`request body larger than ${limit.maxBytes} bytes`));
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
