// A JSON reader that keeps what JSON.parse throws away and the Stream Reactor JSON converters need:
// integers stay exact (bigint, json4s JInt -> INT64), "1.0" stays a double (JDouble -> FLOAT64), and
// object members keep their order. Throws SyntaxError with the offset on malformed input.

export type JsonNode =
  | { t: 'null' }
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: bigint }
  | { t: 'double'; v: number }
  | { t: 'string'; v: string }
  | { t: 'array'; v: JsonNode[] }
  | { t: 'object'; v: Array<[string, JsonNode]> };

export function parseJsonTree(text: string): JsonNode {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const bad = (what: string): never => {
    throw new SyntaxError(`invalid JSON at offset ${i}: ${what}`);
  };
  const value = (): JsonNode => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const members: Array<[string, JsonNode]> = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { t: 'object', v: members };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') bad('expected a member name');
        const k = str();
        ws();
        if (text[i] !== ':') bad("expected ':'");
        i++;
        members.push([k, value()]);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return { t: 'object', v: members };
        } else bad("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { t: 'array', v: items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return { t: 'array', v: items };
        } else bad("expected ',' or ']'");
      }
    }
    if (c === '"') return { t: 'string', v: str() };
    if (text.startsWith('true', i)) {
      i += 4;
      return { t: 'bool', v: true };
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return { t: 'bool', v: false };
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return { t: 'null' };
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return bad('expected a value');
    i += m[0].length;
    if (m[2] === undefined && m[3] === undefined) return { t: 'int', v: BigInt(m[0]) };
    return { t: 'double', v: Number(m[0]) };
  };
  const str = (): string => {
    const start = i;
    i++;
    let escaped = false;
    while (i < text.length) {
      const ch = text[i];
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') break;
      i++;
    }
    if (i >= text.length) bad('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const v = value();
  ws();
  if (i !== text.length) bad('trailing characters');
  return v;
}

/** Plain JS value of a node (ints as bigint), for JsonPassThrough's WITHKEY lookups. */
export function lookupPath(node: JsonNode, path: string[]): JsonNode | undefined {
  let n: JsonNode | undefined = node;
  for (const p of path) {
    if (n?.t !== 'object') return undefined;
    n = n.v.find(([k]) => k === p)?.[1];
  }
  return n;
}
