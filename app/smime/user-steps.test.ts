import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageStore } from '../engine/state';
import { publishUserSteps } from './user-steps';

let home: string;
beforeAll(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-steps-'));
});
afterAll(() => fs.rm(home, { recursive: true, force: true }));

describe('steps for the user after an S/MIME enrollment', () => {
  it('become unread messages of the provider, once', async () => {
    const step = 'Outlook: profile "Outlook" has security settings of your own (Mine), which the agent does not change; choose …';
    const reports = [
      { applied: ['Outlook S/MIME'], failed: [], notes: [step], userSteps: [step] },
      { applied: [], failed: [], notes: [] },
      { applied: [], failed: [], notes: [], userSteps: [step] },
    ];
    const now = new Date('2026-11-25T12:00:00Z');
    expect(await publishUserSteps(home, 'Mailco', reports, now)).toBe(1);
    expect(await publishUserSteps(home, 'Mailco', reports, now)).toBe(0);
    expect(await messageStore.list(home)).toEqual([
      expect.objectContaining({ provider: 'Mailco', text: `KeyTalk Agent: ${step}`, utc: now.toISOString(), read: false }),
    ]);
    expect(await publishUserSteps(home, 'Mailco', [{ applied: [], failed: [], notes: ['fine'] }])).toBe(0);
  });
});
