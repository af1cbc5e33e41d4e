import { describe, expect, test } from 'vitest';
import { shortestFloat32 } from '../src/decode/avro.ts';
import { parseCompatError } from '../src/pages/schema-errors.ts';

describe('a refused registration', () => {
  test('puts the reasons, old version and level first', () => {
    const msg =
      'Schema being registered is incompatible with an earlier schema for subject "ships-value", details: [' +
      "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'Mandatory' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'Mandatory'}, " +
      '{oldSchemaVersion: 3}, {oldSchema: \'{"type":"record","name":"S","fields":[]}\'}, {compatibility: \'BACKWARD\'}]';
    const p = parseCompatError(msg);
    expect(p?.reasons).toEqual([
      "The field 'Mandatory' at path '/fields/1' in the new schema has no default value and is missing in the old schema",
    ]);
    expect(p?.oldVersion).toBe(3);
    expect(p?.level).toBe('BACKWARD');
  });

  test('leaves other errors alone', () => {
    expect(parseCompatError('Invalid schema: unknown type "objekt"')).toBeNull();
  });
});

describe('Avro floats', () => {
  test('show the decimal that was written, not the double it widens to', () => {
    expect(shortestFloat32(Math.fround(11.1))).toBe(11.1);
    expect(shortestFloat32(Math.fround(0.3))).toBe(0.3);
    expect(shortestFloat32(Math.fround(123456.7))).toBe(123456.7);
    expect(shortestFloat32(Number.NaN)).toBeNaN();
    // every result reads back as the same float
    for (const x of [1e-7, 3.4e38, -2.5, 51.95312])
      expect(Math.fround(shortestFloat32(Math.fround(x)))).toBe(Math.fround(x));
  });
});
