// A small reader of the top-level Dockerfile, enough to replay its build without Docker: stages,
// ENV, WORKDIR, RUN, COPY (with --from), USER, VOLUME, EXPOSE, HEALTHCHECK and CMD.
export type Instruction =
  | { op: 'FROM'; image: string; stage: string | null }
  | { op: 'ENV'; vars: Record<string, string> }
  | { op: 'WORKDIR'; path: string }
  | { op: 'RUN'; command: string }
  | { op: 'COPY'; from: string | null; src: string; dest: string }
  | { op: 'USER'; user: string }
  | { op: 'VOLUME'; paths: string[] }
  | { op: 'EXPOSE'; ports: number[] }
  | { op: 'HEALTHCHECK'; cmd: string[] }
  | { op: 'CMD'; cmd: string[] };

function logicalLines(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (cur === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) cur += `${line.slice(0, -1).trim()} `;
    else {
      out.push((cur + line).trim());
      cur = '';
    }
  }
  if (cur) out.push(cur.trim());
  return out;
}

function parseEnv(rest: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const m of rest.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
    const v = m[2]!;
    vars[m[1]!] = v.startsWith('"') ? JSON.parse(v) : v;
  }
  return vars;
}

export function parseDockerfile(text: string): Instruction[] {
  return logicalLines(text).map((line): Instruction => {
    const [op, ...words] = line.split(/\s+/);
    const rest = line.slice(op!.length).trim();
    switch (op!.toUpperCase()) {
      case 'FROM':
        return { op: 'FROM', image: words[0]!, stage: words[1]?.toUpperCase() === 'AS' ? words[2]! : null };
      case 'ENV':
        return { op: 'ENV', vars: parseEnv(rest) };
      case 'WORKDIR':
        return { op: 'WORKDIR', path: rest };
      case 'RUN':
        return { op: 'RUN', command: rest };
      case 'COPY': {
        const flags = words.filter((w) => w.startsWith('--'));
        const args = words.filter((w) => !w.startsWith('--'));
        const from = flags.find((f) => f.startsWith('--from='))?.slice(7) ?? null;
        return { op: 'COPY', from, src: args[0]!, dest: args[1]! };
      }
      case 'USER':
        return { op: 'USER', user: rest };
      case 'VOLUME':
        return { op: 'VOLUME', paths: rest.startsWith('[') ? JSON.parse(rest) : words };
      case 'EXPOSE':
        return { op: 'EXPOSE', ports: words.map((w) => Number.parseInt(w, 10)) };
      case 'HEALTHCHECK': {
        const i = rest.indexOf('CMD ');
        return { op: 'HEALTHCHECK', cmd: JSON.parse(rest.slice(i + 4)) };
      }
      case 'CMD':
        return { op: 'CMD', cmd: JSON.parse(rest) };
      default:
        throw new Error(
          `Dockerfile instruction ${op} is not understood by the replay test: keep the Dockerfile to the documented subset`,
        );
    }
  });
}
