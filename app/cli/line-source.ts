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
    let first = true;
    rl.on('line', (line) => {
      // A password file saved by Notepad starts with a UTF-8 byte order mark; sent along, the password is rejected
      // and costs the user a strike on the server.
      const l = first ? line.replace(/^\uFEFF/, '') : line;
      first = false;
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
 * Questions on a terminal through one readline interface for the whole flow (a new interface per question
 * would lose what the user typed ahead). Secrets are read without echo: output is muted while the user types,
 * so a password never appears on screen or in the scrollback.
 */
export class TtyAsker {
  private rl?: readline.Interface;
  private muted = false;
  /** Lines typed ahead of their question (or pasted at once) wait here instead of being lost. */
  private readonly typedAhead: string[] = [];
  private waiting?: { resolve: (l: string) => void; reject: (e: Error) => void };

  constructor(
    private readonly input: Readable,
    private readonly output: NodeJS.WritableStream,
  ) {}

  private open(): readline.Interface {
    if (this.rl) return this.rl;
    const rl = readline.createInterface({ input: this.input, output: this.output, terminal: true });
    const internal = rl as unknown as { _writeToOutput: (s: string) => void };
    const original = internal._writeToOutput.bind(rl);
    internal._writeToOutput = (s: string) => {
      if (!this.muted) original(s);
      else if (s.includes('\n') || s.includes('\r')) original('\n');
    };
    rl.on('line', (line) => {
      const w = this.waiting;
      this.waiting = undefined;
      this.muted = false;
      if (w) w.resolve(line);
      else this.typedAhead.push(line);
    });
    const cancel = () => {
      const w = this.waiting;
      this.waiting = undefined;
      w?.reject(new Error('cancelled'));
    };
    rl.on('SIGINT', () => {
      cancel();
      this.close();
    });
    rl.on('close', cancel);
    this.rl = rl;
    return rl;
  }

  ask(question: string, secret: boolean): Promise<string> {
    const rl = this.open();
    const ahead = this.typedAhead.shift();
    if (ahead !== undefined) {
      this.output.write(`${question}${secret ? '' : ahead}\n`);
      return Promise.resolve(ahead);
    }
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.muted = false;
      rl.setPrompt(question);
      rl.prompt();
      this.muted = secret;
    });
  }

  close(): void {
    this.rl?.close();
    this.rl = undefined;
  }
}

/** One question on a terminal (secrets without echo); for a series of questions use one TtyAsker. */
export async function askTty(input: Readable, output: NodeJS.WritableStream, question: string, secret: boolean): Promise<string> {
  const asker = new TtyAsker(input, output);
  try {
    return await asker.ask(question, secret);
  } finally {
    asker.close();
  }
}
