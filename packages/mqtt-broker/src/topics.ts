// MQTT topic-filter helpers used by the ingest gate and ACLs: validation [MQTT-4.7.1-*], matching
// a topic name against a filter, and "does allowed filter A contain requested filter B" for
// subscribe ACLs. Filters are compiled once into level arrays; matching walks the topic without
// allocating.

export type CompiledFilter = readonly string[];

/** Null when `filter` is a valid MQTT topic filter, else the reason. */
export function filterProblem(filter: string): string | null {
  if (filter.length === 0) return 'a topic filter must not be empty [MQTT-4.7.3-1]';
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i] as string;
    if (l.includes('#') && (l !== '#' || i !== levels.length - 1)) {
      return "'#' must be a whole level and the last one [MQTT-4.7.1-2]";
    }
    if (l.includes('+') && l !== '+') return "'+' must occupy a whole level [MQTT-4.7.1-3]";
  }
  return null;
}

export function compileFilter(filter: string): CompiledFilter {
  return filter.split('/');
}

/** Does topic name `topic` match the compiled filter? [MQTT-4.7.2-1]: wildcards at the first level skip `$` topics. */
export function topicMatches(filter: CompiledFilter, topic: string): boolean {
  const first = filter[0];
  if (topic.charCodeAt(0) === 36 && (first === '#' || first === '+')) return false;
  let pos = 0;
  for (let i = 0; i < filter.length; i++) {
    const f = filter[i] as string;
    if (f === '#') return true; // also matches the parent level, "a/#" matches "a"
    if (pos > topic.length) return false;
    let end = topic.indexOf('/', pos);
    if (end === -1) end = topic.length;
    if (f !== '+') {
      if (end - pos !== f.length || !topic.startsWith(f, pos)) return false;
    }
    pos = end + 1;
  }
  return pos > topic.length;
}

/** Is every topic matched by `requested` also matched by `allowed`? (subscribe ACLs) */
export function filterCovers(allowed: CompiledFilter, requested: CompiledFilter): boolean {
  for (let i = 0; i < requested.length; i++) {
    const a = allowed[i];
    const r = requested[i] as string;
    if (a === undefined) return false;
    if (a === '#') return true;
    if (r === '#') return false;
    if (a === '+') continue;
    if (r === '+' || a !== r) return false;
  }
  // requested is exhausted: allowed must end here too, or continue with "#" (which also matches the parent)
  return allowed.length === requested.length || (allowed.length === requested.length + 1 && allowed.at(-1) === '#');
}
