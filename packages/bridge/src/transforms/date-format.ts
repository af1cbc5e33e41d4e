// The part of Java's SimpleDateFormat that TimestampRouter and TimestampConverter patterns use, in
// UTC as those transforms set it: y, M, d, H, h, m, s, S, a, E (short names), X/Z (always UTC),
// 'quoted' text and '' for a quote. Other letters are rejected so a pattern never silently misformats.
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

type Token = { lit: string } | { f: string; n: number };

const compiled = new Map<string, Token[]>();

function tokens(pattern: string): Token[] {
  let t = compiled.get(pattern);
  if (t) return t;
  t = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i] as string;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        t.push({ lit: "'" });
        i += 2;
        continue;
      }
      if (end < 0) throw new Error(`Unterminated quote in date pattern ${pattern}`);
      t.push({ lit: pattern.slice(i + 1, end) });
      i = end + 1;
    } else if (/[a-zA-Z]/.test(c)) {
      let n = 1;
      while (pattern[i + n] === c) n++;
      if (!'yMdHhmsSaEXZ'.includes(c)) throw new Error(`Illegal pattern character '${c}'`);
      t.push({ f: c, n });
      i += n;
    } else {
      t.push({ lit: c });
      i++;
    }
  }
  compiled.set(pattern, t);
  return t;
}

/** Throws when Seaway cannot format with this pattern. */
export function checkPattern(pattern: string): void {
  tokens(pattern);
}

const pad = (v: number, n: number) => String(v).padStart(n, '0');

export function formatDate(ms: number, pattern: string): string {
  const d = new Date(ms);
  let out = '';
  for (const t of tokens(pattern)) {
    if ('lit' in t) {
      out += t.lit;
      continue;
    }
    switch (t.f) {
      case 'y':
        out += t.n === 2 ? pad(d.getUTCFullYear() % 100, 2) : pad(d.getUTCFullYear(), t.n);
        break;
      case 'M':
        out += t.n >= 3 ? (MONTHS[d.getUTCMonth()] as string) : pad(d.getUTCMonth() + 1, t.n);
        break;
      case 'd':
        out += pad(d.getUTCDate(), t.n);
        break;
      case 'H':
        out += pad(d.getUTCHours(), t.n);
        break;
      case 'h':
        out += pad(d.getUTCHours() % 12 || 12, t.n);
        break;
      case 'm':
        out += pad(d.getUTCMinutes(), t.n);
        break;
      case 's':
        out += pad(d.getUTCSeconds(), t.n);
        break;
      case 'S':
        out += pad(d.getUTCMilliseconds(), t.n);
        break;
      case 'a':
        out += d.getUTCHours() < 12 ? 'AM' : 'PM';
        break;
      case 'E':
        out += DAYS[d.getUTCDay()] as string;
        break;
      default:
        out += t.f === 'X' ? 'Z' : '+0000';
    }
  }
  return out;
}

/** Parse text written in `pattern` (numeric fields, UTC); throws when it does not match. */
export function parseDate(text: string, pattern: string): number {
  let re = '^';
  const order: string[] = [];
  for (const t of tokens(pattern)) {
    if ('lit' in t) re += t.lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (t.f === 'X' || t.f === 'Z') re += '(?:Z|[+-]00:?00)';
    else if (t.f === 'a') {
      re += '(AM|PM)';
      order.push('a');
    } else if (t.f === 'E') re += '[A-Za-z]{3}';
    else if (t.f === 'M' && t.n >= 3) {
      re += `(${MONTHS.join('|')})`;
      order.push('Mname');
    } else {
      re += t.n > 1 && t.f !== 'y' ? `(\\d{${t.n}})` : '(\\d+)';
      order.push(t.f);
    }
  }
  const m = new RegExp(`${re}$`).exec(text);
  if (!m) throw new Error(`Unparseable date: "${text}"`);
  const f: Record<string, number> = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0 };
  let pm = false;
  order.forEach((k, i) => {
    const v = m[i + 1] as string;
    if (k === 'a') pm = v === 'PM';
    else if (k === 'Mname') f.M = MONTHS.indexOf(v) + 1;
    else if (k === 'h') f.H = Number(v) % 12;
    else f[k] = Number(v);
  });
  if (pm) f.H = (f.H as number) + 12;
  return Date.UTC(f.y as number, (f.M as number) - 1, f.d, f.H, f.m, f.s, f.S);
}
