import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyKeys, validatePolicy } from './schema';

/** Issue 20, admin templates in resources/policy: each covers exactly the schema's keys, and is itself valid. */
describe('admin templates', () => {
  it('the Linux policy.json example names every key once and validates without a warning', async () => {
    const raw = JSON.parse(await readFile(path.join(__dirname, '../../resources/policy/policy.json'), 'utf8')) as object;
    expect(Object.keys(raw).sort()).toEqual([...policyKeys].sort());
    expect(validatePolicy(raw, 'policy.json').warnings).toEqual([]);
  });
});
