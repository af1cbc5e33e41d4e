import { readFileSync } from 'node:fs';
import { cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { sharedData } from '../../../scripts/testing/needs.mjs';
import { type AvroSchema, decodeAvro, encodeAvro } from '../src/decode/avro.ts';
import { fromBase64, toBase64 } from '../src/decode/base64.ts';
import { confluentSchemaId, decodeBytes } from '../src/decode/decode.ts';
import type { DecodedMessage } from '../src/pages/MessageBrowser.tsx';
import { MessageRow } from '../src/pages/MessageRow.tsx';

afterEach(cleanup);

const enc = new TextEncoder();
const schema: AvroSchema = {
  type: 'record',
  name: 'Pos',
  namespace: 'ais',
  fields: [
    { name: 'mmsi', type: 'long' },
    { name: 'lat', type: 'double' },
    { name: 'name', type: ['null', 'string'] },
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'] } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'ok', type: 'boolean' },
  ],
};
const value = { mmsi: 244000000, lat: 51.95, name: 'Ever Given', kind: 'B', tags: ['x', 'y'], ok: true };

function framed(id: number, body: number[]): Uint8Array {
  return new Uint8Array([0, (id >>> 24) & 255, (id >>> 16) & 255, (id >>> 8) & 255, id & 255, ...body]);
}

describe('decodeBytes', () => {
  test('Confluent-framed Avro decodes to JSON through the schema of its id', () => {
    const bytes = framed(7, encodeAvro(schema, value));
    expect(confluentSchemaId(bytes)).toBe(7);
    const d = decodeBytes(bytes, (id) => (id === 7 ? schema : undefined));
    expect(d.kind).toBe('avro');
    expect(d.schemaId).toBe(7);
    expect(d.value).toEqual(value);
  });

  test('framed Avro whose schema is unavailable falls back to hex and says why', () => {
    const bytes = framed(9, encodeAvro(schema, value));
    const d = decodeBytes(bytes, () => new Error('not in the registry'));
    expect(d.kind).toBe('hex');
    expect(d.text.startsWith('00 00 00 00 09')).toBe(true);
    expect(d.note).toMatch(/schema 9: not in the registry/);
  });

  test('bytes that do not fit the schema are not shown as a wrong record', () => {
    const bytes = framed(7, [...encodeAvro(schema, value), 1, 2, 3]);
    const d = decodeBytes(bytes, () => schema);
    expect(d.kind).toBe('hex');
    expect(d.note).toMatch(/bytes left/);
  });

  test('an Avro "bytes" value shows its content, here JSON', () => {
    const json = enc.encode('{"MMSI":244000000}');
    const bytes = framed(2, [json.length * 2, ...json]);
    const d = decodeBytes(bytes, () => 'bytes');
    expect(d).toMatchObject({ kind: 'json', value: { MMSI: 244000000 }, schemaId: 2 });
  });

  test('JSON text becomes a value and pretty text', () => {
    const d = decodeBytes(enc.encode('{"a":[1,2],"b":"c"}'));
    expect(d.kind).toBe('json');
    expect(d.value).toEqual({ a: [1, 2], b: 'c' });
  });

  test('JSON with integers beyond 2^53 keeps the exact text and says so', () => {
    const d = decodeBytes(enc.encode('{"ts":1795619929812000123}'));
    expect(d.kind).toBe('json');
    expect(d.text).toBe('{"ts":1795619929812000123}');
    expect(d.note).toMatch(/rounded/);
    expect(decodeBytes(enc.encode('{"ts":1795619929812}')).note).toBeUndefined();
  });

  test('UTF-8 text that is not JSON stays text', () => {
    const d = decodeBytes(enc.encode('{not json} café'));
    expect(d).toMatchObject({ kind: 'text', text: '{not json} café' });
  });

  test('binary and invalid UTF-8 fall back to hex', () => {
    expect(decodeBytes(new Uint8Array([0xff, 0xfe, 0x00]))).toMatchObject({ kind: 'hex', text: 'ff fe 00' });
    expect(decodeBytes(new Uint8Array([1, 2, 3]))).toMatchObject({ kind: 'hex', text: '01 02 03' });
  });

  test('a null payload (tombstone) is shown as null', () => {
    expect(decodeBytes(null)).toMatchObject({ kind: 'null' });
  });

  test('longs beyond 2^53 keep every digit', () => {
    const bytes = new Uint8Array([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(decodeAvro('long', bytes)).toBe('9223372036854775807');
  });

  test('base64 round-trips bytes', () => {
    const b = new Uint8Array([0, 1, 2, 250, 255]);
    expect(Array.from(fromBase64(toBase64(b)))).toEqual(Array.from(b));
  });
});

describe('encodeAvro (produce by subject)', () => {
  test('maps, unions by value type and defaults round-trip', () => {
    const s: AvroSchema = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'm', type: { type: 'map', values: 'int' } },
        { name: 'u', type: ['null', 'long', 'string'] },
        { name: 'd', type: 'string', default: 'dflt' },
      ],
    };
    expect(decodeAvro(s, new Uint8Array(encodeAvro(s, { m: { a: 1, b: -2 }, u: 'x' })))).toEqual({
      m: { a: 1, b: -2 },
      u: 'x',
      d: 'dflt',
    });
  });

  test('a value that does not fit says which field', () => {
    const s: AvroSchema = { type: 'record', name: 'R', fields: [{ name: 'lat', type: 'double' }] };
    expect(() => encodeAvro(s, { lat: 'north' })).toThrow(/lat: expected a number/);
    expect(() => encodeAvro(s, {})).toThrow(/lat: missing and has no default/);
  });
});

describe('the fast-data-dev AIS schema', () => {
  // ../shared sits beside the repo (absent in a user's clone: then one SKIPPED notice).
  const path = sharedData('data/fast-data-dev/classAPositionReportSchema.json');
  const text = path ? readFileSync(path, 'utf8') : null;
  test.skipIf(text === null)('a record encoded with it decodes back field by field', () => {
    const s = JSON.parse(text!) as { fields: { name: string; type: unknown }[] } & AvroSchema;
    const rec: Record<string, unknown> = {};
    for (const f of s.fields) {
      const t = Array.isArray(f.type) ? f.type.find((x) => x !== 'null') : f.type;
      rec[f.name] = t === 'string' ? 'x' : t === 'boolean' ? true : t === 'double' || t === 'float' ? 1.5 : 3;
    }
    const d = decodeBytes(framed(1, encodeAvro(s, rec)), () => s);
    expect(d.kind).toBe('avro');
    expect(d.value).toEqual(rec);
  });
});

describe('payload rendering', () => {
  const html = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
  const msg = (value: Uint8Array): DecodedMessage => ({
    m: {
      partition: 0,
      offset: '5',
      timestamp: 1_700_000_000_000,
      key: null,
      value: toBase64(value),
      headers: [],
      size: value.length,
    },
    key: decodeBytes(null),
    value: decodeBytes(value),
    headers: [{ key: 'h', value: decodeBytes(enc.encode('<b>bold</b>')) }],
  });

  test('HTML in a value or header is shown as text, never as elements', () => {
    const { container, getByRole } = render(
      <table>
        <tbody>
          <MessageRow d={msg(enc.encode(html))} />
        </tbody>
      </table>,
    );
    fireEvent.click(getByRole('button', { name: '5' }));
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.textContent).toContain('<script>alert(2)</script>');
    expect(container.textContent).toContain('<b>bold</b>');
  });

  test('HTML inside JSON strings stays text in the JSON tree', () => {
    const { container, getByRole } = render(
      <table>
        <tbody>
          <MessageRow d={msg(enc.encode(JSON.stringify({ note: html })))} />
        </tbody>
      </table>,
    );
    fireEvent.click(getByRole('button', { name: '5' }));
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('"note"');
    expect(container.textContent).toContain('onerror');
  });
});
