import { describe, expect, it } from 'vitest';
import { commands } from './index';

describe('lazy command registry', () => {
  it('every entry loads the command it is named for, with usage and options', async () => {
    const names = commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of commands) {
      const cmd = await entry.load();
      expect(cmd.name).toBe(entry.name);
      expect(cmd.usage.length).toBeGreaterThan(0);
      expect(typeof cmd.run).toBe('function');
    }
  });
});
