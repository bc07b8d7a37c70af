import { coreText, textOf, type CoreText, type CoreTextCode, type CoreTextValue } from '../model/core-text';

/** A doctor line's words: the English `summary` the CLI prints, and its coded twin the window translates. */
export interface Said {
  summary: string;
  summaryText?: CoreText;
}

/** `{ summary, summaryText }` for one detail line (codes `doctor.*` in app/model/core-text.ts). */
export const said = (code: CoreTextCode, summary: string, params?: Record<string, CoreTextValue>): Said => ({
  summary,
  summaryText: coreText(code, summary, params),
});

/** An error's words as a doctor line: its coded text when the code that threw coded it, else its English alone. */
export function saidOf(err: unknown): Said {
  const text = textOf(err);
  return { summary: err instanceof Error ? err.message : String(err), ...(text && { summaryText: text }) };
}
