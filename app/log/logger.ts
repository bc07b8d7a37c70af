import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Structured logging: one JSON object per line, so support can grep and parse logs. Never log secrets. */
export interface Logger {
  error(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LogSink {
  write(line: string): void;
}

/** Field names whose values are replaced before anything is written, as a last line of defence. */
const SECRET_KEYS = /pass(word|wd)?|pin|otp|secret|token|cookie|key|response/i;

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_KEYS.test(k) && typeof v === 'string' ? '[redacted]' : v;
  return out;
}

export function createLogger(sink: LogSink, level: LogLevel = 'info', base: Record<string, unknown> = {}): Logger {
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[lvl] > RANK[level]) return;
    sink.write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...base, ...redact(fields ?? {}) }));
  };
  return {
    error: (m, f) => emit('error', m, f),
    warn: (m, f) => emit('warn', m, f),
    info: (m, f) => emit('info', m, f),
    debug: (m, f) => emit('debug', m, f),
    child: (fields) => createLogger(sink, level, { ...base, ...fields }),
  };
}

/** Appends to <dir>/agent.log; synchronous so a crash does not lose the line that explains it. */
export function fileSink(dir: string, name = 'agent.log'): LogSink {
  let ready = false;
  return {
    write(line) {
      try {
        if (!ready) {
          mkdirSync(dir, { recursive: true, mode: 0o700 });
          ready = true;
        }
        appendFileSync(path.join(dir, name), `${line}\n`, { mode: 0o600 });
      } catch {
        // Logging must never break enrollment (read-only home, full disk).
      }
    },
  };
}

export const nullLogger: Logger = createLogger({ write: () => {} }, 'error');

/** Collects lines in memory (tests). */
export function memorySink(): LogSink & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (l) => lines.push(l) };
}
