// KCQL for the MQTT source, parsed the way Stream Reactor's ANTLR grammar reads it:
//
//   INSERT INTO <topic | `$` | `any name` | 'any name'> SELECT * | f1 [AS a], f2.sub FROM <mqtt filter>
//     [WITHCONVERTER=`class` | class] [WITHKEY(f1, f2.sub)] [KEYDELIMITER='x'] [WITHREGEX=`re`]
//     [PROPERTIES('k'='v', ...)]
//
// Several statements are separated by ';' (a ';' inside backticks or quotes does not split). Keywords
// are case-insensitive. Bare topic names use Stream Reactor's TOPICNAME characters
// (letters, digits, _ - + / { } : and '.'); anything else (#, $, spaces, $share/…) needs backticks or
// single quotes, exactly as in Stream Reactor. The optional clauses must come in the grammar's order.
// A parse error is a BridgeError SEAWAY_KCQL_PARSE naming the statement, the character position
// (0-based, in the whole config string) and what was expected.
import { BridgeError, BridgeErrorCodes } from '../errors.ts';

export interface KcqlStatement {
  /** The statement's text, trimmed. */
  text: string;
  /** Kafka topic, or '$' for "derive from the MQTT topic". */
  target: string;
  /** MQTT topic filter as written (may carry $share/group/). */
  source: string;
  /** Selected fields; ['*'] for SELECT *. */
  fields: string[];
  /** Converter class from WITHCONVERTER, or undefined (Bytes by default). */
  converter: string | undefined;
  /** WITHKEY paths, each split on '.'. */
  withKeys: string[];
  /** KEYDELIMITER, '.' by default as in Stream Reactor. */
  keyDelimiter: string;
  /** WITHREGEX pattern, or undefined. */
  withRegex: string | undefined;
  properties: Record<string, string>;
}

export interface KcqlParseDetails {
  statement: number;
  position: number;
  expected: string;
  found: string;
}

type TokKind = 'word' | 'backtick' | 'string' | 'punct' | 'eof';
interface Tok {
  kind: TokKind;
  value: string;
  pos: number;
}

const BARE = /[A-Za-z0-9_\-+/{}:.@]/;

function tokenize(text: string, base: number, stmt: number): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '`' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) fail(stmt, base + i, `a closing ${c}`, 'end of statement');
      toks.push({ kind: c === '`' ? 'backtick' : 'string', value: text.slice(i + 1, end), pos: base + i });
      i = end + 1;
      continue;
    }
    if ('=(),*'.includes(c)) {
      toks.push({ kind: 'punct', value: c, pos: base + i });
      i++;
      continue;
    }
    if (BARE.test(c)) {
      let j = i;
      while (j < text.length && BARE.test(text[j] as string)) j++;
      toks.push({ kind: 'word', value: text.slice(i, j), pos: base + i });
      i = j;
      continue;
    }
    const hint = c === '#' || c === '$' ? ` (wrap names with ${c} in backticks, e.g. \`/ais/#\`)` : '';
    fail(stmt, base + i, `a name, keyword or punctuation${hint}`, `'${c}'`);
  }
  toks.push({ kind: 'eof', value: '', pos: base + text.length });
  return toks;
}

function fail(statement: number, position: number, expected: string, found: string): never {
  const details: KcqlParseDetails = { statement, position, expected, found };
  throw new BridgeError(
    BridgeErrorCodes.KCQL_PARSE,
    `KCQL parse error in statement ${statement + 1} at position ${position}: expected ${expected} but found ${found}`,
    details,
  );
}

function describe(t: Tok): string {
  if (t.kind === 'eof') return 'end of statement';
  if (t.kind === 'backtick') return `\`${t.value}\``;
  if (t.kind === 'string') return `'${t.value}'`;
  return `'${t.value}'`;
}

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly stmt: number,
  ) {}

  peek(): Tok {
    return this.toks[this.i] as Tok;
  }
  next(): Tok {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  isKeyword(k: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.value.toUpperCase() === k;
  }
  keyword(k: string): void {
    const t = this.peek();
    if (!this.isKeyword(k)) fail(this.stmt, t.pos, k, describe(t));
    this.i++;
  }
  punct(p: string, what = `'${p}'`): void {
    const t = this.peek();
    if (t.kind !== 'punct' || t.value !== p) fail(this.stmt, t.pos, what, describe(t));
    this.i++;
  }
  /** A topic-like name: a bare word, a `backticked` or 'quoted' name. */
  name(what: string): string {
    const t = this.peek();
    if ((t.kind === 'word' || t.kind === 'backtick' || t.kind === 'string') && t.value.length > 0) {
      this.i++;
      return t.value;
    }
    return fail(this.stmt, t.pos, what, describe(t));
  }
}

const CLAUSES = ['WITHCONVERTER', 'WITHKEY', 'KEYDELIMITER', 'WITHREGEX', 'PROPERTIES'] as const;

function parseOne(text: string, base: number, stmt: number): KcqlStatement {
  const p = new Parser(tokenize(text, base, stmt), stmt);
  p.keyword('INSERT');
  p.keyword('INTO');
  const target = p.name('a Kafka topic name (or `$`)');
  p.keyword('SELECT');
  const fields: string[] = [];
  if (p.peek().kind === 'punct' && p.peek().value === '*') {
    p.next();
    fields.push('*');
  } else {
    for (;;) {
      if (p.isKeyword('FROM')) fail(stmt, p.peek().pos, "'*' or a field name", "'FROM'");
      let f = p.name("'*' or a field name");
      if (p.isKeyword('AS')) {
        p.next();
        f = `${f} AS ${p.name('an alias')}`;
      }
      fields.push(f);
      if (p.peek().kind === 'punct' && p.peek().value === ',') p.next();
      else break;
    }
  }
  p.keyword('FROM');
  const source = p.name('an MQTT topic filter (use backticks for # and $share/…)');
  const st: KcqlStatement = {
    text: text.trim(),
    target,
    source,
    fields,
    converter: undefined,
    withKeys: [],
    keyDelimiter: '.',
    withRegex: undefined,
    properties: {},
  };
  let clause = 0; // index into CLAUSES of the next clause allowed
  for (;;) {
    const t = p.peek();
    if (t.kind === 'eof') break;
    const kw = t.kind === 'word' ? t.value.toUpperCase() : '';
    const at = CLAUSES.indexOf(kw as (typeof CLAUSES)[number]);
    if (at < clause) {
      const allowed = CLAUSES.slice(clause).join(', ');
      fail(
        stmt,
        t.pos,
        allowed ? `one of ${allowed} or the end of the statement` : 'the end of the statement',
        describe(t),
      );
    }
    p.next();
    clause = at + 1;
    switch (kw) {
      case 'WITHCONVERTER':
        p.punct('=');
        st.converter = p.name('a converter class name');
        break;
      case 'WITHKEY':
        p.punct('(');
        for (;;) {
          st.withKeys.push(p.name('a key field path'));
          if (p.peek().kind === 'punct' && p.peek().value === ',') p.next();
          else break;
        }
        p.punct(')', "',' or ')'");
        break;
      case 'KEYDELIMITER': {
        p.punct('=');
        const d = p.peek();
        if (d.kind !== 'string' || d.value.length !== 1)
          fail(stmt, d.pos, "a one-character delimiter in quotes, e.g. '-'", describe(d));
        p.next();
        st.keyDelimiter = d.value;
        break;
      }
      case 'WITHREGEX': {
        p.punct('=');
        const pos = p.peek().pos;
        const re = p.name('a regular expression in backticks');
        try {
          new RegExp(re);
        } catch (e) {
          fail(
            stmt,
            pos,
            'a valid regular expression',
            `${describe({ kind: 'backtick', value: re, pos })} (${(e as Error).message})`,
          );
        }
        st.withRegex = re;
        break;
      }
      case 'PROPERTIES':
        p.punct('(');
        if (!(p.peek().kind === 'punct' && p.peek().value === ')')) {
          for (;;) {
            const k = p.name('a property name');
            p.punct('=');
            st.properties[k] = p.name('a property value');
            if (p.peek().kind === 'punct' && p.peek().value === ',') p.next();
            else break;
          }
        }
        p.punct(')', "',' or ')'");
        break;
    }
  }
  return st;
}

/** Split a KCQL config value on ';' outside backticks and quotes; returns [text, offset] pairs. */
export function splitStatements(kcql: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  let start = 0;
  let quote: string | null = null;
  for (let i = 0; i < kcql.length; i++) {
    const c = kcql[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '`' || c === "'") quote = c;
    else if (c === ';') {
      out.push([kcql.slice(start, i), start]);
      start = i + 1;
    }
  }
  out.push([kcql.slice(start), start]);
  return out.filter(([t]) => t.trim().length > 0);
}

/** Parse one or more ';'-separated statements. Throws BridgeError SEAWAY_KCQL_PARSE. */
export function parseKcql(kcql: string): KcqlStatement[] {
  const parts = splitStatements(kcql);
  if (parts.length === 0) fail(0, 0, 'INSERT', 'an empty KCQL string');
  return parts.map(([text, offset], i) => parseOne(text, offset, i));
}
