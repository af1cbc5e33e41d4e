// A registry's 409 packs everything into one message: the verdict, each problem found, the old
// version and its whole schema (Confluent's format: `…, details: [{errorType:'…', description:'…',
// additionalInfo:'…'}, {oldSchemaVersion: 1}, {oldSchema: '…'}, {compatibility: 'BACKWARD'}]`).
// This pulls out what a person needs first: the reasons, the old version and the level.

export interface CompatProblem {
  /** One line per problem found ("The field 'Mandatory' … has no default value …"). */
  reasons: string[];
  oldVersion: number | null;
  level: string | null;
  /** The verdict before "details", e.g. 'Schema being registered is incompatible with …'. */
  summary: string;
}

/** Null when the message is not a compatibility report (then show it as it is). */
export function parseCompatError(message: string): CompatProblem | null {
  const at = message.indexOf(', details: [');
  if (at < 0 || !/incompatible/i.test(message)) return null;
  const details = message.slice(at);
  const reasons: string[] = [];
  // description:'…' runs up to the next `', additionalInfo:` or `'}`; quotes inside are not escaped.
  const re = /description:'(.*?)'(?:, additionalInfo:|\})/gs;
  for (let m = re.exec(details); m; m = re.exec(details)) reasons.push(m[1] as string);
  const version = /\{oldSchemaVersion: (\d+)\}/.exec(details);
  const level = /compatibility: '([A-Z_]+)'/.exec(details);
  return {
    summary: message.slice(0, at),
    reasons,
    oldVersion: version ? Number(version[1]) : null,
    level: level ? (level[1] as string) : null,
  };
}
