import type * as z from 'zod/mini';

/**
 * One validation problem in words: where, and what was expected ("jobs.0.id: expected string").
 *
 * The daemon's modules validate with `zod/mini`, which carries no message locale (that is most of what keeps it
 * small): its issues say only "Invalid input" unless full zod happens to be loaded in the same process. So the
 * text is built here from the issue's structured fields, the same whichever zod flavour is loaded; a message a
 * schema spells out itself (a refine's) is kept as written. `root` names the value itself when the path is empty.
 */
export function describeZodIssue(issue: z.core.$ZodIssue | undefined, root = 'top level'): string {
  if (!issue) return 'unreadable';
  const where = issue.path.length ? issue.path.map(String).join('.') : root;
  switch (issue.code) {
    case 'invalid_type':
      return `${where}: expected ${issue.expected}`;
    case 'invalid_value':
      return `${where}: expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'too_small':
      return `${where}: expected ${bound(issue.origin, issue.inclusive ? 'at least' : 'more than', issue.minimum)}`;
    case 'too_big':
      return `${where}: expected ${bound(issue.origin, issue.inclusive ? 'at most' : 'less than', issue.maximum)}`;
    case 'invalid_union': {
      // Each alternative failed; the first alternative's first problem is usually the telling one.
      const first = issue.errors[0]?.[0];
      return first
        ? describeZodIssue({ ...first, path: [...issue.path, ...first.path] }, root)
        : `${where}: matches none of the expected forms`;
    }
    case 'custom':
      return issue.message && issue.message !== 'Invalid input' ? `${where}: ${issue.message}` : `${where}: invalid`;
    default:
      return `${where}: ${issue.code.replace(/_/g, ' ')}`;
  }
}

function bound(origin: string, relation: string, limit: number | bigint): string {
  if (origin === 'string') return `${relation} ${limit} character${limit === 1 ? '' : 's'}`;
  if (origin === 'array' || origin === 'set') return `${relation} ${limit} item${limit === 1 ? '' : 's'}`;
  return `a number ${relation} ${limit}`;
}
