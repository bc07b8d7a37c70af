import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { describeZodIssue } from './describe-zod-issue';

const firstIssue = (schema: z.ZodMiniType, value: unknown) => {
  const r = schema.safeParse(value);
  if (r.success) throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return r.error.issues[0];
};

describe('describeZodIssue', () => {
  it('says where and what was expected, from the issue fields (zod/mini has no English messages)', () => {
    const s = z.object({
      id: z.string(),
      kind: z.enum(['a', 'b']),
      name: z.string().check(z.minLength(2)),
      tags: z.array(z.string()).check(z.maxLength(1)),
      count: z.number().check(z.gt(0)),
    });
    const ok = { id: 'x', kind: 'a', name: 'nm', tags: [], count: 1 };
    expect(describeZodIssue(firstIssue(s, { ...ok, id: 3 }))).toBe('id: expected string');
    expect(describeZodIssue(firstIssue(s, { ...ok, kind: 'c' }))).toBe('kind: expected "a" or "b"');
    expect(describeZodIssue(firstIssue(s, { ...ok, name: 'n' }))).toBe('name: expected at least 2 characters');
    expect(describeZodIssue(firstIssue(s, { ...ok, tags: ['1', '2'] }))).toBe('tags: expected at most 1 item');
    expect(describeZodIssue(firstIssue(s, { ...ok, count: 0 }))).toBe('count: expected a number more than 0');
    expect(describeZodIssue(firstIssue(s, 'text'), '(reply)')).toBe('(reply): expected object');
    expect(describeZodIssue(undefined)).toBe('unreadable');
  });

  it("keeps a refine's own message and follows a union into its first alternative", () => {
    const refined = z
      .object({ on: z.boolean(), v: z.optional(z.string()) })
      .check(z.refine((r) => !r.on || r.v !== undefined, { message: '"v" must be present when "on" is true' }));
    expect(describeZodIssue(firstIssue(refined, { on: true }), '(reply)')).toBe('(reply): "v" must be present when "on" is true');
    const union = z.object({
      a: z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), why: z.string() })]),
    });
    expect(describeZodIssue(firstIssue(union, { a: { ok: 'maybe' } }))).toBe('a.ok: expected true');
  });
});
