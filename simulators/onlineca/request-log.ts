import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface RequestLogEntry {
  time: string;
  method: string;
  path: string;
  status: number;
  user?: string;
  fault?: string;
  detail?: string;
  ms: number;
}

/**
 * JSON Lines log of every request (`<stateDir>/requests.jsonl`), kept in memory too so tests and the control
 * endpoint can read it. Appended synchronously: the log is for after-the-fact inspection and must survive a kill.
 */
export class RequestLog {
  readonly entries: RequestLogEntry[] = [];
  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
  }
  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }
}
