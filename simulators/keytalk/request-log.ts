import { createWriteStream, type WriteStream } from 'node:fs';

/** Form/query fields whose values never reach the log. */
const SECRET_FIELDS = new Set([
  'passwd',
  'pin',
  'otp',
  'otp/mfa',
  'response',
  'responses',
  'old-password',
  'new-password',
  'kerberos-ticket',
  'certificates',
  'tpm-evidence',
  'auth-password',
]);

export interface LogEntry {
  time: string;
  method: string;
  path: string;
  api: string;
  version?: string;
  action?: string;
  fields: Record<string, string>;
  status: number;
  session?: string;
  fault?: string;
  durationMs: number;
  error?: string;
}

export function redact(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_FIELDS.has(k.toLowerCase())) out[k] = '[redacted]';
    else out[k] = v.length > 200 ? `${v.slice(0, 200)}…(${v.length} chars)` : v;
  }
  return out;
}

/** Append-only JSONL request log; the last entries are also kept in memory for the control endpoint. */
export class RequestLog {
  private readonly stream: WriteStream;
  private readonly recent: LogEntry[] = [];

  constructor(readonly file: string) {
    this.stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
  }

  write(entry: LogEntry): void {
    this.recent.push(entry);
    if (this.recent.length > 5000) this.recent.splice(0, 1000);
    this.stream.write(`${JSON.stringify(entry)}\n`);
  }

  entries(): LogEntry[] {
    return [...this.recent];
  }

  clear(): void {
    this.recent.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}
