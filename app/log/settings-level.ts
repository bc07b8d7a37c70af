import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LogLevel } from './logger';

const LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/**
 * The log level the user chose in Settings (<home>/state/settings.json `logLevel`), as a function for
 * createLogger: read synchronously (a logger cannot wait), re-read when the file changes (checked at most once a
 * second), so the core, the daemon and the CLI obey a change without a restart. Anything unreadable is `info`.
 */
export function settingsLogLevel(home: string, fallback: LogLevel = 'info'): () => LogLevel {
  const file = path.join(home, 'state', 'settings.json');
  let level = fallback;
  let seenMtime = -1;
  let checkedAt = 0;
  return () => {
    const now = Date.now();
    if (now - checkedAt < 1000) return level;
    checkedAt = now;
    try {
      const mtime = statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
      if (mtime === seenMtime) return level;
      seenMtime = mtime;
      const chosen = mtime ? (JSON.parse(readFileSync(file, 'utf8')) as { logLevel?: unknown } | null)?.logLevel : undefined;
      level = LEVELS.includes(chosen as LogLevel) ? (chosen as LogLevel) : fallback;
    } catch {
      level = fallback;
    }
    return level;
  };
}
