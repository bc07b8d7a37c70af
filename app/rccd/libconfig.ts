/**
 * A small reader for libconfig text (https://hyperrealm.github.io/libconfig/), the format of KeyTalk's user.ini,
 * master.ini and index.conf. Only what those files use and the grammar allows: settings `name = value;` or
 * `name : value`, groups `{ }`, arrays `[ ]`, lists `( )`, strings with escapes and adjacent-string
 * concatenation, integers (decimal, hex, L suffix), floats, booleans, and #, // and block comments.
 * `@include` is refused: an RCCD must not pull in files from outside itself.
 */

export type LibconfigValue = string | number | boolean | LibconfigValue[] | LibconfigGroup;
export interface LibconfigGroup {
  [name: string]: LibconfigValue;
}

export class LibconfigError extends Error {
  constructor(message: string, line: number, source?: string) {
    super(`${source ? `${source}: ` : ''}libconfig syntax error on line ${line}: ${message}`);
    this.name = 'LibconfigError';
  }
}

const MAX_DEPTH = 32;

export function parseLibconfig(text: string, source?: string): LibconfigGroup {
  let pos = 0;
  let line = 1;
  const fail = (msg: string): never => {
    throw new LibconfigError(msg, line, source);
  };

  function skip(): void {
    for (;;) {
      const c = text[pos];
      if (c === '\n') {
        line++;
        pos++;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\ufeff') {
        pos++;
      } else if (c === '#' || (c === '/' && text[pos + 1] === '/')) {
        while (pos < text.length && text[pos] !== '\n') pos++;
      } else if (c === '/' && text[pos + 1] === '*') {
        const end = text.indexOf('*/', pos + 2);
        if (end < 0) fail('unterminated /* comment');
        for (let i = pos; i < end; i++) if (text[i] === '\n') line++;
        pos = end + 2;
      } else {
        return;
      }
    }
  }

  function name(): string {
    const m = /^[A-Za-z*][-A-Za-z0-9_*]*/.exec(text.slice(pos, pos + 256));
    if (!m) return fail(`expected a setting name, found ${JSON.stringify(text.slice(pos, pos + 12))}`);
    pos += m[0].length;
    return m[0];
  }

  function stringLiteral(): string {
    let out = '';
    // Adjacent literals ("a" "b") concatenate, as in C.
    while (text[pos] === '"') {
      pos++;
      for (;;) {
        if (pos >= text.length) fail('unterminated string');
        const c = text[pos++]!;
        if (c === '"') break;
        if (c === '\n') line++;
        if (c !== '\\') {
          out += c;
          continue;
        }
        const e = text[pos++];
        if (e === 'n') out += '\n';
        else if (e === 't') out += '\t';
        else if (e === 'r') out += '\r';
        else if (e === 'f') out += '\f';
        else if (e === '\\') out += '\\';
        else if (e === '"') out += '"';
        else if (e === 'x') {
          const hex = text.slice(pos, pos + 2);
          if (!/^[0-9A-Fa-f]{2}$/.test(hex)) fail('bad \\x escape in string');
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 2;
        } else fail(`unknown escape \\${e ?? ''} in string`);
      }
      skip();
    }
    return out;
  }

  function scalarOrAggregate(depth: number): LibconfigValue {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skip();
    const c = text[pos];
    if (c === '"') return stringLiteral();
    if (c === '{') {
      pos++;
      const g = settings(depth + 1, '}');
      pos++;
      return g;
    }
    if (c === '[' || c === '(') {
      const close = c === '[' ? ']' : ')';
      pos++;
      const items: LibconfigValue[] = [];
      skip();
      while (text[pos] !== close) {
        items.push(scalarOrAggregate(depth + 1));
        skip();
        if (text[pos] === ',') {
          pos++;
          skip();
        } else if (text[pos] !== close) fail(`expected "," or "${close}"`);
      }
      pos++;
      return items;
    }
    const m = /^[^\s;,\])}]+/.exec(text.slice(pos, pos + 128));
    if (!m) return fail('expected a value');
    pos += m[0].length;
    const word = m[0];
    if (/^true$/i.test(word)) return true;
    if (/^false$/i.test(word)) return false;
    if (/^[-+]?0[xX][0-9A-Fa-f]+L{0,2}$/.test(word)) return Number.parseInt(word.replace(/L+$/, ''), 16);
    if (/^[-+]?\d+L{0,2}$/.test(word)) return Number.parseInt(word.replace(/L+$/, ''), 10);
    if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(word)) return Number.parseFloat(word);
    return fail(`unexpected value ${JSON.stringify(word)} (strings must be in double quotes)`);
  }

  function settings(depth: number, terminator: '}' | ''): LibconfigGroup {
    const group: LibconfigGroup = Object.create(null) as LibconfigGroup;
    for (;;) {
      skip();
      if (terminator === '' ? pos >= text.length : text[pos] === terminator) return group;
      if (pos >= text.length) fail(`missing "${terminator}"`);
      if (text[pos] === '@') fail('@include and other directives are not allowed in RCCD configuration');
      const key = name();
      skip();
      if (text[pos] !== '=' && text[pos] !== ':') fail(`expected "=" or ":" after ${key}`);
      pos++;
      const value = scalarOrAggregate(depth);
      if (key in group) fail(`duplicate setting ${key}`);
      group[key] = value;
      skip();
      if (text[pos] === ';' || text[pos] === ',') pos++;
    }
  }

  return settings(0, '');
}
