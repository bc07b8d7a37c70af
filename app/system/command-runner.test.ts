import { describe, expect, it } from 'vitest';
import { processRunner, RecordingRunner, runChecked, type ToolFailure } from './command-runner';

const explainAs = (seen: ToolFailure[]) => (f: ToolFailure) => (seen.push(f), new Error(`explained: ${f.firstLine}`));

describe('runChecked', () => {
  it('turns a tool that cannot start into the caller’s error', async () => {
    const err = await runChecked(
      processRunner,
      { command: '/nonexistent/tool', args: [] },
      { cannotStart: (m) => new Error(`missing: ${m}`), explain: () => new Error('not this') },
    ).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^missing: cannot run \/nonexistent\/tool/);
  });

  it('explains a non-zero exit with stderr first and its first non-empty line; returns a success untouched', async () => {
    const seen: ToolFailure[] = [];
    const checks = { cannotStart: () => new Error('x'), explain: explainAs(seen) };
    const failing = new RecordingRunner(() => ({ code: 3, stdout: 'out line\n', stderr: '\n  Access is denied.\r\nmore\n' }));
    await expect(runChecked(failing, { command: 't', args: [] }, checks)).rejects.toThrow('explained: Access is denied.');
    expect(seen).toEqual([{ code: 3, text: 'Access is denied.\r\nmore\n\nout line', firstLine: 'Access is denied.' }]);
    const ok = { code: 0, stdout: 'fine', stderr: 'warning' };
    expect(await runChecked(new RecordingRunner(() => ok), { command: 't', args: [] }, checks)).toEqual(ok);
  });

  it('lets the caller decide what counts as failed (exit 0 with an error on stderr; an accepted exit 1)', async () => {
    const seen: ToolFailure[] = [];
    const quietFailure = new RecordingRunner(() => ({ code: 0, stdout: '', stderr: 'import failed: bad MAC' }));
    const failed = (r: { code: number; stderr: string }) => r.code !== 0 || /failed/.test(r.stderr);
    await expect(
      runChecked(
        quietFailure,
        { command: 't', args: [] },
        { cannotStart: () => new Error('x'), failed, explain: explainAs(seen) },
      ),
    ).rejects.toThrow('explained: import failed: bad MAC');
    const exit1 = { code: 1, stdout: 'version 3', stderr: '' };
    const accepted = await runChecked(
      new RecordingRunner(() => exit1),
      { command: 't', args: [] },
      { cannotStart: () => new Error('x'), failed: (r) => ![0, 1].includes(r.code), explain: explainAs(seen) },
    );
    expect(accepted).toEqual(exit1);
    expect(seen).toHaveLength(1);
  });
});
