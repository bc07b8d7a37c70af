import readline from 'node:readline';
import type { Readable } from 'node:stream';

/** Lines of a non-interactive stdin, read on demand (password first, then an OTP or challenge answer). */
export interface LineSource {
  next(): Promise<string | undefined>;
  close(): void;
}

export function stdinLines(input: Readable): LineSource {
  let rl: readline.Interface | undefined;
  const buffered: string[] = [];
  const waiting: ((l: string | undefined) => void)[] = [];
  let ended = false;
  const start = () => {
    if (rl) return;
    rl = readline.createInterface({ input, terminal: false, crlfDelay: Infinity });
    rl.on('line', (l) => {
      const w = waiting.shift();
      if (w) w(l);
      else buffered.push(l);
    });
    rl.on('close', () => {
      ended = true;
      for (const w of waiting.splice(0)) w(undefined);
    });
  };
  return {
    next() {
      start();
      if (buffered.length) return Promise.resolve(buffered.shift());
      if (ended) return Promise.resolve(undefined);
      return new Promise((resolve) => waiting.push(resolve));
    },
    close() {
      rl?.close();
    },
  };
}

/**
 * Ask one question on a terminal. Secrets are read without echo: readline's output is muted while the user
 * types, so the password never appears on screen or in terminal scrollback.
 */
export function askTty(input: Readable, output: NodeJS.WritableStream, question: string, secret: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input, output, terminal: true });
    const internal = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
    let muted = false;
    const original = internal._writeToOutput.bind(rl);
    internal._writeToOutput = (s: string) => {
      if (!muted) original(s);
      else if (s.includes('\n') || s.includes('\r')) original('\n');
    };
    rl.on('SIGINT', () => {
      rl.close();
      reject(new Error('cancelled'));
    });
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
    muted = secret;
  });
}
