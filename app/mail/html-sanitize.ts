/**
 * Allow-list HTML sanitiser for disclaimer signatures from the server's zip (untrusted: a compromised or
 * misconfigured server must not put script into every mail the user sends). Tags and attributes are rebuilt
 * from what was parsed, so the output is well-formed; everything not on the lists is dropped. Elements whose
 * content is code (script, style, iframe, object, …) are dropped with their content.
 */
const ALLOWED_TAGS = new Set([
  'a',
  'b',
  'big',
  'blockquote',
  'br',
  'center',
  'div',
  'em',
  'font',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'li',
  'ol',
  'p',
  'pre',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'u',
  'ul',
]);
const VOID_TAGS = new Set(['br', 'hr', 'img']);
const DROP_WITH_CONTENT = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'noscript',
  'noembed',
  'template',
  'svg',
  'math',
  'textarea',
  'select',
  'xmp',
  'title',
  'head',
]);
const ALLOWED_ATTRS = new Set([
  'align',
  'alt',
  'bgcolor',
  'border',
  'cellpadding',
  'cellspacing',
  'color',
  'colspan',
  'dir',
  'face',
  'height',
  'href',
  'lang',
  'rowspan',
  'size',
  'src',
  'style',
  'title',
  'valign',
  'width',
]);

export interface SanitizeOptions {
  /** Relative image names that exist in the same zip (may be referenced by src). */
  localImages?: ReadonlySet<string>;
}

export function sanitizeHtml(html: string, opts: SanitizeOptions = {}): string {
  let out = '';
  let i = 0;
  const n = html.length;
  const lower = html.toLowerCase();
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out += escapeText(html.slice(i));
      break;
    }
    out += escapeText(html.slice(i, lt));
    i = lt;
    if (html.startsWith('<!--', i)) {
      const endC = html.indexOf('-->', i + 4);
      i = endC < 0 ? n : endC + 3;
      continue;
    }
    if (html[i + 1] === '!' || html[i + 1] === '?') {
      const gt = html.indexOf('>', i);
      i = gt < 0 ? n : gt + 1;
      continue;
    }
    const closing = html[i + 1] === '/';
    const nameMatch = /^[a-zA-Z][a-zA-Z0-9:-]*/.exec(html.slice(i + (closing ? 2 : 1), i + 40));
    if (!nameMatch) {
      out += '&lt;';
      i += 1;
      continue;
    }
    const name = nameMatch[0].toLowerCase();
    const tagEnd = findTagEnd(html, i);
    const inner = html.slice(i + (closing ? 2 : 1) + nameMatch[0].length, tagEnd < 0 ? n : tagEnd);
    i = tagEnd < 0 ? n : tagEnd + 1;
    if (closing) {
      if (ALLOWED_TAGS.has(name) && !VOID_TAGS.has(name)) out += `</${name}>`;
      continue;
    }
    if (DROP_WITH_CONTENT.has(name)) {
      const close = lower.indexOf(`</${name}`, i);
      if (close < 0) i = n;
      else {
        const gt = html.indexOf('>', close);
        i = gt < 0 ? n : gt + 1;
      }
      continue;
    }
    if (!ALLOWED_TAGS.has(name)) continue;
    out += `<${name}${cleanAttributes(name, inner, opts)}>`;
  }
  return out;
}

function findTagEnd(s: string, from: number): number {
  let quote: string | undefined;
  for (let j = from + 1; j < s.length; j++) {
    const c = s[j]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j;
  }
  return -1;
}

function cleanAttributes(tag: string, inner: string, opts: SanitizeOptions): string {
  let out = '';
  const re = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  const seen = new Set<string>();
  for (const m of inner.matchAll(re)) {
    const name = m[1]!.toLowerCase();
    if (!ALLOWED_ATTRS.has(name) || seen.has(name)) continue; // on* handlers and everything else unknown
    const value = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
    let safe: string | undefined = value;
    if (name === 'href') safe = tag === 'a' ? safeUrl(value, ['http:', 'https:', 'mailto:', 'tel:']) : undefined;
    else if (name === 'src') safe = tag === 'img' ? safeImageSrc(value, opts) : undefined;
    else if (name === 'style') safe = safeStyle(value);
    if (safe === undefined) continue;
    seen.add(name);
    out += ` ${name}="${escapeAttr(safe)}"`;
  }
  return out;
}

/** Scheme check after removing what browsers ignore (controls, whitespace), so "jav&#x09;ascript:" is caught. */
function schemeOf(url: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const compact = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  const m = /^([a-z][a-z0-9+.-]*):/.exec(compact);
  return m ? `${m[1]}:` : undefined;
}

function safeUrl(url: string, schemes: string[]): string | undefined {
  const scheme = schemeOf(url);
  if (scheme === undefined) return undefined; // relative links lead nowhere in a mail
  return schemes.includes(scheme) ? url.trim() : undefined;
}

function safeImageSrc(src: string, opts: SanitizeOptions): string | undefined {
  const scheme = schemeOf(src);
  if (scheme === undefined) {
    const name = src.trim().replace(/\\/g, '/');
    return opts.localImages?.has(name) ? name : undefined;
  }
  if (scheme === 'https:' || scheme === 'cid:') return src.trim();
  if (scheme === 'data:' && /^data:image\/(png|jpeg|gif);base64,[a-z0-9+/=\s]+$/i.test(src.trim())) return src.trim();
  return undefined;
}

/**
 * A style attribute survives only when, read as CSS reads it, it can neither run code nor fetch anything.
 * CSS escapes (`u\72l(`, `e\78pression(`) and comments (`expr` + comment + `ession(`) hide those words from a plain
 * match, and no real signature needs either: a value containing a backslash or a comment is dropped whole.
 * The remaining check also catches the URL-fetching functions that take a bare string (image-set("…")).
 */
function safeStyle(style: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u0008\u000b\u000e-\u001f\u007f]|\/\*/.test(style)) return undefined;
  const s = style.toLowerCase();
  if (
    /expression\s*\(|url\s*\(|image-set\s*\(|image\s*\(|cross-fade\s*\(|element\s*\(|src\s*\(|javascript:|behaviou?r\s*:|-moz-binding|@import/.test(
      s,
    )
  )
    return undefined;
  return style;
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (all, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    const named: Record<string, string> = {
      amp: '&',
      lt: '<',
      gt: '>',
      quot: '"',
      apos: "'",
      nbsp: '\u00a0',
      tab: '\t',
      newline: '\n',
      colon: ':',
    };
    return named[e.toLowerCase()] ?? all;
  });
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text between tags: keep entities as they are, neutralise a stray ">" so nothing reassembles into a tag. */
function escapeText(s: string): string {
  return s.replace(/>/g, '&gt;');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
