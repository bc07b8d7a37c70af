import { z } from 'zod';
import type { CoreText as CoreTextType, CoreTextValue } from './core-text';

/** A coded core text as it crosses the contract (app/model/core-text.ts says what it is). */
const Value: z.ZodType<CoreTextValue> = z.lazy(() => z.union([z.string().max(4000), z.number(), CoreText]));
export const CoreText: z.ZodType<CoreTextType> = z.object({
  code: z.string().max(100),
  params: z.record(z.string().max(50), Value).optional(),
  message: z.string().max(8000),
});
export type CoreText = CoreTextType;
