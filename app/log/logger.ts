import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
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

function redact(fields: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields))
    out[k] = SECRET_KEYS.test(k) && typeof v === 'string' ? '[redacted]' : redactNested(v, depth + 1);
  return out;
}

/**
 * Secrets one level down are still secrets: a flow answer logged whole (`{ answer: { values: { PASSWD } } }`) is
 * redacted like a top-level field. Plain objects and arrays only (a Buffer or class instance is written as JSON
 * makes it), to a bounded depth, so a deep or circular value cannot stall or break the logger.
 */
function redactNested(v: unknown, depth: number): unknown {
  if (v === null || typeof v !== 'object') return v;
  // Cut here rather than let a circular value make JSON.stringify throw inside a log call.
  if (depth > 6) return '[nested too deep]';
  if (Array.isArray(v)) return v.map((item) => redactNested(item, depth + 1));
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return v;
  return redact(v as Record<string, unknown>, depth);
}

/** `level` may be a function: the Settings log level, read at each line, so a change applies without a restart. */
export function createLogger(
  sink: LogSink,
  level: LogLevel | (() => LogLevel) = 'info',
  base: Record<string, unknown> = {},
): Logger {
  const current = typeof level === 'function' ? level : () => level;
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[lvl] > (RANK[current()] ?? RANK.info)) return;
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

export interface RotationOptions {
  /** Rotate when the file would grow past this many bytes (default 1 MiB). */
  maxBytes?: number;
  /** Rotate a file whose first line is older than this (default 7 days). */
  maxAgeMs?: number;
  /** Rotated files kept: NAME.1 (newest) … NAME.<keep> (default 3). */
  keep?: number;
  now?: () => number;
}

/**
 * Appends to <dir>/<name>; synchronous so a crash does not lose the line that explains it. Rotated by size and
 * age (NAME → NAME.1 → … → NAME.<keep>, the oldest dropped), so a daemon that runs for months with short-lived
 * certificates keeps at most (keep + 1) × maxBytes of logs.
 */
export function fileSink(dir: string, name = 'agent.log', rotation: RotationOptions = {}): LogSink {
  const maxBytes = rotation.maxBytes ?? 1 << 20;
  const maxAgeMs = rotation.maxAgeMs ?? 7 * 24 * 3_600_000;
  const keep = rotation.keep ?? 3;
  const now = rotation.now ?? Date.now;
  const file = path.join(dir, name);
  let size = -1;
  let startedAt = 0;
  const rotate = () => {
    rmSync(`${file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    if (keep > 0) renameSync(file, `${file}.1`);
    else rmSync(file, { force: true });
    size = 0;
    startedAt = now();
  };
  return {
    write(line) {
      try {
        if (size < 0) {
          mkdirSync(dir, { recursive: true, mode: 0o700 });
          // Another process may share the file (tray app and daemon): start from what is on disk.
          const st = statSync(file, { throwIfNoEntry: false });
          size = st?.size ?? 0;
          startedAt = st ? Math.min(st.birthtimeMs || st.mtimeMs, st.mtimeMs) : now();
        }
        const text = `${line}\n`;
        const bytes = Buffer.byteLength(text);
        if (size > 0 && (size + bytes > maxBytes || now() - startedAt > maxAgeMs)) rotate();
        appendFileSync(file, text, { mode: 0o600 });
        size += bytes;
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
