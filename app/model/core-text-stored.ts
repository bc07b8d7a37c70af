// zod/mini, the tree-shakeable build: the idle daemon loads only the few validators it uses (issue 7's < 60 MB).
import * as z from 'zod/mini';

/**
 * A coded text (app/model/core-text.ts) as a state file keeps it (schedule.json's lastErrorText and reasonText,
 * scanner.json's last scans' errorText): one level of nesting, as the core uses (a store's reason inside
 * store.cannot-take). Readers wrap it in z.catch, so a value that does not fit is dropped and the English shown
 * instead, never the whole file refused.
 */
const Param = z.union([z.string(), z.number()]);
const NestedText = z.object({ code: z.string(), params: z.optional(z.record(z.string(), Param)), message: z.string() });
const params = z.optional(z.record(z.string(), z.union([Param, NestedText])));

/** Without its English (the record keeps that in its own field, e.g. lastError). */
export const StoredText = z.object({ code: z.string(), params });
/** With its English sentence. */
export const StoredCoreText = z.object({ code: z.string(), params, message: z.string() });
