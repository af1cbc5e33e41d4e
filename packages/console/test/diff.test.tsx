import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { diffLines, prettySchema, sideBySide } from '../src/diff/line-diff.ts';
import { SchemaDiff } from '../src/pages/SchemasPage.tsx';

afterEach(cleanup);

describe('diffLines', () => {
  test('identical inputs are all "same"', () => {
    expect(diffLines(['a', 'b'], ['a', 'b']).map((l) => l.op)).toEqual(['same', 'same']);
  });

  test('an inserted line is one add between unchanged lines', () => {
    const d = diffLines(['a', 'c'], ['a', 'b', 'c']);
    expect(d.map((l) => `${l.op}:${l.left ?? l.right}`)).toEqual(['same:a', 'add:b', 'same:c']);
    expect(d[1]).toMatchObject({ leftNo: null, rightNo: 2 });
  });

  test('a changed line is a delete and an add, paired side by side', () => {
    const rows = sideBySide(diffLines(['a', 'x', 'c'], ['a', 'y', 'c']));
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual({ left: { no: 2, text: 'x', op: 'del' }, right: { no: 2, text: 'y', op: 'add' } });
  });

  test('schemas are compared pretty-printed, so whitespace alone is no change', () => {
    const a = prettySchema('{"type":"record","name":"R","fields":[]}');
    const b = prettySchema('{ "type": "record",\n "name": "R", "fields": [ ] }');
    expect(diffLines(a, b).every((l) => l.op === 'same')).toBe(true);
  });
});

describe('SchemaDiff', () => {
  test('shows removed and added fields on their sides and counts changes', () => {
    const v1 = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }] });
    const v2 = JSON.stringify({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'long' },
        { name: 'b', type: ['null', 'string'], default: null },
      ],
    });
    const { container, getByText } = render(<SchemaDiff left={v1} right={v2} />);
    const dels = [...container.querySelectorAll('.d-del')].map((e) => e.textContent);
    const adds = [...container.querySelectorAll('.d-add')].map((e) => e.textContent);
    expect(dels.some((t) => t?.includes('"int"'))).toBe(true);
    expect(adds.some((t) => t?.includes('"long"'))).toBe(true);
    expect(adds.some((t) => t?.includes('"b"'))).toBe(true);
    expect(getByText(/changed line/)).toBeTruthy();
  });

  test('equal versions say there is no difference', () => {
    const v = '{"type":"string"}';
    const { getByText } = render(<SchemaDiff left={v} right={v} />);
    expect(getByText('No differences.')).toBeTruthy();
  });
});
