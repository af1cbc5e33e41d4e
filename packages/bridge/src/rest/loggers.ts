// Log levels that /admin/loggers reads and changes (Kafka Connect's LoggingResource, KIP-495 and
// KIP-976). Each component registers a named logger: anything with a settable pino-style `level`
// ('silent' | 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'), i.e. a pino Logger, or a
// `levelled()` wrapper around a plain line writer. Names are hierarchical like Log4j's: setting
// `seaway.bridge` sets every logger named `seaway.bridge.*`; `root` sets all of them. A level set
// on a name nobody registered yet is kept and applied to loggers registered under it later, as
// Log4j keeps a configured logger. Levels go over the wire as Log4j names (OFF … TRACE).

/** What a registered logger must offer: pino's Logger does. */
export interface LevelSettable {
  level: string;
}

const TO_PINO: Record<string, string> = {
  OFF: 'silent',
  FATAL: 'fatal',
  ERROR: 'error',
  WARN: 'warn',
  INFO: 'info',
  DEBUG: 'debug',
  TRACE: 'trace',
  ALL: 'trace',
};
const FROM_PINO: Record<string, string> = {
  silent: 'OFF',
  fatal: 'FATAL',
  error: 'ERROR',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBUG',
  trace: 'TRACE',
};
const RANK: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

/** A Log4j level name (any case) as pino's, or undefined when it is not a level. */
export function pinoLevel(log4j: string): string | undefined {
  return TO_PINO[log4j.toUpperCase()];
}

/** A line logger with a pino-style settable level (what the bridge's components log through). */
export class Levelled implements LevelSettable {
  level = 'info';
  constructor(private readonly write: (line: string) => void) {}
  enabled(level: 'trace' | 'debug' | 'info' | 'warn' | 'error'): boolean {
    return (RANK[level] as number) >= (RANK[this.level] ?? 30);
  }
  debug(line: string): void {
    if (this.enabled('debug')) this.write(line);
  }
  info(line: string): void {
    if (this.enabled('info')) this.write(line);
  }
  warn(line: string): void {
    if (this.enabled('warn')) this.write(line);
  }
  error(line: string): void {
    if (this.enabled('error')) this.write(line);
  }
}

interface Entry {
  logger: LevelSettable | null;
  /** Level of a placeholder (a name set before anyone registered it). */
  level: string;
  lastModified: number | null;
}

export class LogLevels {
  private readonly entries = new Map<string, Entry>();
  private rootLevel = 'info';
  private rootModified: number | null = null;

  /** Register a component's logger under a dotted name; a level set earlier on it or a parent applies. */
  register(name: string, logger: LevelSettable): void {
    const prior = this.entries.get(name);
    let from: Entry | undefined = prior && prior.lastModified !== null ? prior : undefined;
    if (!from) {
      let best = -1;
      for (const [n, e] of this.entries) {
        if (e.lastModified !== null && name.startsWith(`${n}.`) && n.length > best) {
          best = n.length;
          from = e;
        }
      }
    }
    if (from) logger.level = from.level;
    else if (this.rootModified !== null) logger.level = this.rootLevel;
    this.entries.set(name, { logger, level: logger.level, lastModified: prior?.lastModified ?? null });
  }

  /** A Levelled writer registered under `name`. */
  levelled(name: string, write: (line: string) => void): Levelled {
    const l = new Levelled(write);
    this.register(name, l);
    return l;
  }

  /** GET /admin/loggers: every logger with its Log4j level and last modification (ms), sorted; root last. */
  list(): Record<string, { level: string; last_modified: number | null }> {
    const out: Record<string, { level: string; last_modified: number | null }> = {};
    for (const name of [...this.entries.keys()].sort())
      out[name] = this.get(name) as { level: string; last_modified: number | null };
    out.root = { level: FROM_PINO[this.rootLevel] ?? 'INFO', last_modified: this.rootModified };
    return out;
  }

  get(name: string): { level: string; last_modified: number | null } | undefined {
    if (name === 'root') return { level: FROM_PINO[this.rootLevel] ?? 'INFO', last_modified: this.rootModified };
    const e = this.entries.get(name);
    if (!e) return undefined;
    const level = e.logger?.level ?? e.level;
    return { level: FROM_PINO[level] ?? level.toUpperCase(), last_modified: e.lastModified };
  }

  /**
   * Set `name` and every logger below it to a pino level; returns the names whose level changed
   * (sorted), as Connect's Loggers.setLevel does. A name nobody registered becomes a placeholder.
   */
  set(name: string, level: string, now = Date.now()): string[] {
    const changed: string[] = [];
    const apply = (n: string, e: Entry) => {
      const before = e.logger?.level ?? e.level;
      if (e.logger) e.logger.level = level;
      e.level = level;
      e.lastModified = now;
      if (before !== level) changed.push(n);
    };
    if (name === 'root') {
      this.rootLevel = level;
      this.rootModified = now;
      for (const [n, e] of this.entries) apply(n, e);
      return changed.sort();
    }
    if (!this.entries.has(name)) {
      this.entries.set(name, { logger: null, level: 'info', lastModified: null });
    }
    for (const [n, e] of this.entries) if (n === name || n.startsWith(`${name}.`)) apply(n, e);
    return changed.sort();
  }
}
