// Topic routing transforms as Kafka Connect ships them: RegexRouter (the whole topic must match the
// Java regex; the replacement may use $1 or ${name}) and TimestampRouter (topic.format with
// ${topic} and ${timestamp}, the record timestamp formatted in UTC with a SimpleDateFormat pattern).
import { checkPattern, formatDate } from './date-format.ts';
import { DataError } from './record.ts';
import { type Cfg, ConfigError, field, type PluginDef, type Transform } from './types.ts';

const T = 'org.apache.kafka.connect.transforms.';
/** Connect's placeholders (plain strings, not JS template literals). */
const TOPIC = ['$', '{topic}'].join('');
const TIMESTAMP = ['$', '{timestamp}'].join('');

/** A Java regex as a JS one that must match the whole input (Matcher.matches). */
export function javaRegex(source: string, key: string): RegExp {
  try {
    return new RegExp(`^(?:${source.replace(/\(\?<([a-zA-Z][a-zA-Z0-9]*)>/g, '(?<$1>')})$`);
  } catch (e) {
    throw new ConfigError(
      key,
      `Invalid value ${source} for configuration ${key}: Invalid regex: ${(e as Error).message}`,
    );
  }
}

function regexRouter(cfg: Cfg): Transform {
  const re = javaRegex(cfg.get('regex') as string, 'regex');
  const replacement = (cfg.get('replacement') as string).replace(/\$\{([a-zA-Z][a-zA-Z0-9]*)\}/g, '$<$1>');
  return {
    apply(r) {
      if (re.test(r.topic)) r.topic = r.topic.replace(re, replacement);
      return r;
    },
  };
}

function timestampRouter(cfg: Cfg): Transform {
  const topicFormat = cfg.get('topic.format') as string;
  const tsFormat = cfg.get('timestamp.format') as string;
  try {
    checkPattern(tsFormat);
  } catch (e) {
    throw new ConfigError(
      'timestamp.format',
      `Invalid value ${tsFormat} for configuration timestamp.format: ${(e as Error).message}`,
    );
  }
  return {
    apply(r) {
      if (r.timestamp === undefined) throw new DataError(`Timestamp missing on record: ${r.topic}`);
      r.topic = topicFormat.replace(TOPIC, r.topic).replace(TIMESTAMP, formatDate(r.timestamp, tsFormat));
      return r;
    },
  };
}

export const ROUTING_TRANSFORMS: PluginDef[] = [
  {
    className: `${T}RegexRouter`,
    kind: 'transformation',
    config: [
      field('regex', 'STRING', undefined, 'HIGH', 'Regular expression the whole topic must match.'),
      field(
        'replacement',
        'STRING',
        undefined,
        'HIGH',
        'Replacement topic ($1 or $<name> refer to groups; Java $-brace-name works too).',
      ),
    ],
    create: regexRouter,
  },
  {
    className: `${T}TimestampRouter`,
    kind: 'transformation',
    config: [
      field(
        'topic.format',
        'STRING',
        `${TOPIC}-${TIMESTAMP}`,
        'HIGH',
        `Topic name with ${TOPIC} and ${TIMESTAMP} placeholders.`,
      ),
      field('timestamp.format', 'STRING', 'yyyyMMdd', 'HIGH', `SimpleDateFormat pattern for ${TIMESTAMP} (UTC).`),
    ],
    create: timestampRouter,
  },
];
