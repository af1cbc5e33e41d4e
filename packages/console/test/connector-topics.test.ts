import { describe, expect, test } from 'vitest';
import { deadLetterTopic, kcqlTargets } from '../src/pages/ConnectorTopics.tsx';

describe('connector topics', () => {
  test('KCQL targets: bare, backticked and quoted names, several statements, each once', () => {
    expect(
      kcqlTargets(
        "INSERT INTO a SELECT * FROM `/x/#`; insert into `b c` SELECT * FROM y;INSERT INTO 'a' SELECT * FROM z",
      ),
    ).toEqual(['a', 'b c']);
    expect(kcqlTargets('INSERT INTO `$` SELECT * FROM `/devices/+`')).toEqual(['$']);
    expect(kcqlTargets(undefined)).toEqual([]);
  });
  test('dead-letter topic: the configured one, else <name>-dlq as the bridge does', () => {
    expect(deadLetterTopic('c1', {})).toBe('c1-dlq');
    expect(deadLetterTopic('c1', { 'errors.deadletterqueue.topic.name': 'dead' })).toBe('dead');
  });
});
