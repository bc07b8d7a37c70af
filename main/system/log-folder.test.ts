import { describe, expect, it, vi } from 'vitest';
import { createMemoryCore } from '../../test-support/ipc/memory-core';
import { withLogFolder } from './log-folder';

describe('withLogFolder', () => {
  it('opens the core log folder with shell.openPath and reports it opened', async () => {
    const core = createMemoryCore('/home/u/.keytalk');
    const openPath = vi.fn(async () => '');
    const res = await withLogFolder(core.handlers, { openPath })['logs:open-folder']({});
    expect(openPath).toHaveBeenCalledWith('/home/u/.keytalk/logs');
    expect(res).toEqual({ path: '/home/u/.keytalk/logs', opened: true });
  });

  it('turns the shell error string into an error naming the folder', async () => {
    const core = createMemoryCore('/h');
    const handlers = withLogFolder(core.handlers, { openPath: async () => 'no such folder' });
    await expect(handlers['logs:open-folder']({})).rejects.toThrow('could not open the log folder /h/logs: no such folder');
  });
});
