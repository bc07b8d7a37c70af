import { escapeHtml } from './html-sanitize';

/**
 * Put the disclaimer into a signature the user already has, keeping their own text and replacing only the
 * disclaimer we added before. HTML carries comment markers; plain text carries invisible-separator lines
 * (U+2063), which mail clients do not show and users do not type.
 */
export const HTML_BEGIN = '<!--keytalk-disclaimer:begin-->';
export const HTML_END = '<!--keytalk-disclaimer:end-->';
export const TEXT_MARK = '\u2063';

export function stripHtmlDisclaimer(html: string): string {
  let out = html;
  for (;;) {
    const b = out.indexOf(HTML_BEGIN);
    if (b < 0) return out;
    const e = out.indexOf(HTML_END, b);
    out = e < 0 ? out.slice(0, b) : out.slice(0, b) + out.slice(e + HTML_END.length);
  }
}

/** disclaimer undefined: remove ours. */
export function mergeHtmlSignature(existing: string, disclaimerHtml: string | undefined): string {
  const own = stripHtmlDisclaimer(existing).replace(/(\s|<br\s*\/?>)+$/i, '');
  if (disclaimerHtml === undefined) return own;
  const block = `${HTML_BEGIN}<div class="keytalk-disclaimer">${disclaimerHtml}</div>${HTML_END}`;
  // Whole documents (Outlook .htm): insert before </body>.
  const close = own.search(/<\/body>/i);
  if (close >= 0) return `${own.slice(0, close)}${block}${own.slice(close)}`;
  return own ? `${own}<br>${block}` : block;
}

export function stripTextDisclaimer(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let inside = false;
  for (const l of lines) {
    if (l.replace(/\r$/, '') === TEXT_MARK) {
      inside = !inside;
      continue;
    }
    if (!inside) out.push(l);
  }
  return out.join('\n');
}

export function mergeTextSignature(existing: string, disclaimerText: string | undefined): string {
  const own = stripTextDisclaimer(existing).replace(/\s+$/, '');
  if (disclaimerText === undefined) return own ? `${own}\n` : '';
  const block = `${TEXT_MARK}\n${disclaimerText.replace(/\s+$/, '')}\n${TEXT_MARK}\n`;
  return own ? `${own}\n\n${block}` : block;
}

/** A plain-text signature as HTML, for identities whose signature becomes HTML when the disclaimer is HTML. */
export function textToHtml(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, '<br>');
}

/** The disclaimer as HTML: the zip's HTML, else its text. */
export function disclaimerAsHtml(d: { html?: string; text?: string }): string | undefined {
  return d.html ?? (d.text !== undefined ? textToHtml(d.text) : undefined);
}

/** The disclaimer as text: the zip's text, else the HTML's text. */
export function disclaimerAsText(d: { html?: string; text?: string }): string | undefined {
  if (d.text !== undefined) return d.text;
  if (d.html === undefined) return undefined;
  return d.html
    .replace(/<br\s*\/?>|<\/p>|<\/div>|<\/tr>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
