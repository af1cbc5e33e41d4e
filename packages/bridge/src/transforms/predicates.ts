// Predicates as Kafka Connect ships them (TopicNameMatches, HasHeaderKey, RecordIsTombstone) and
// the Filter transform, which drops every record it is applied to: used with a predicate (and
// .negate) it keeps or drops records by topic, header or tombstone.
import { javaRegex } from './routing.ts';
import { type Cfg, field, type PluginDef, type Predicate } from './types.ts';

const P = 'org.apache.kafka.connect.transforms.predicates.';

function topicNameMatches(cfg: Cfg): Predicate {
  const re = javaRegex(cfg.get('pattern') as string, 'pattern');
  return { test: (r) => re.test(r.topic) };
}

function hasHeaderKey(cfg: Cfg): Predicate {
  const name = cfg.get('name') as string;
  return { test: (r) => Object.hasOwn(r.headers, name) };
}

export const PREDICATES: PluginDef[] = [
  {
    className: `${P}TopicNameMatches`,
    kind: 'predicate',
    config: [
      field('pattern', 'STRING', undefined, 'MEDIUM', 'Java regular expression the whole topic name must match.'),
    ],
    create: topicNameMatches,
  },
  {
    className: `${P}HasHeaderKey`,
    kind: 'predicate',
    config: [field('name', 'STRING', undefined, 'MEDIUM', 'The header name.')],
    create: hasHeaderKey,
  },
  {
    className: `${P}RecordIsTombstone`,
    kind: 'predicate',
    config: [],
    create: () => ({ test: (r) => (r.value.kind === 'raw' ? r.value.bytes === null : r.value.value === null) }),
  },
  {
    className: 'org.apache.kafka.connect.transforms.Filter',
    kind: 'transformation',
    config: [],
    create: () => ({ apply: () => null }),
  },
];
