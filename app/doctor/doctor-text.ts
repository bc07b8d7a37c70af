import { coreText, type CoreText, type CoreTextCode, type CoreTextValue } from '../model/core-text';

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
