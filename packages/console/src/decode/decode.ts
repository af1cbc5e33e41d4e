// How the message browser shows bytes: Confluent-framed Avro through the registry -> JSON; JSON;
// UTF-8 text; hex as the fallback. The result is data (strings and plain values) that the page
// renders as text nodes, never as HTML.
import { type AvroSchema, avroBytes, decodeAvro } from './avro.ts';
import { toHex } from './base64.ts';

export type DecodedKind = 'null' | 'avro' | 'json' | 'text' | 'hex';

export interface Decoded {
  kind: DecodedKind;
  /** What to show as text (pretty JSON for avro/json). */
  text: string;
  /** The parsed value for avro/json (for the JSON tree). */
  value?: unknown;
  schemaId?: number;
  /** Why a richer decoding was not used (e.g. "schema 7 unavailable"). */
  note?: string;
}

/** Schema lookup result: the parsed schema, undefined while unknown, or an Error when it failed. */
export type SchemaLookup = (id: number) => AvroSchema | Error | undefined;

/** The schema id of a Confluent-framed payload (magic byte 0 + 4-byte big-endian id), else null. */
export function confluentSchemaId(b: Uint8Array | null): number | null {
  if (!b || b.length < 5 || b[0] !== 0) return null;
  return ((b[1]! << 24) >>> 0) + (b[2]! << 16) + (b[3]! << 8) + b[4]!;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Control characters other than tab, newline and carriage return say "binary".
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const BIG_INT = /(^|[^\d.eE+-])-?\d{16,}(?![\d.eE])/;

export function decodeBytes(b: Uint8Array | null, schemaFor: SchemaLookup = () => undefined): Decoded {
  if (b === null) return { kind: 'null', text: 'null' };
  let note: string | undefined;
  const id = confluentSchemaId(b);
  if (id !== null) {
    const schema = schemaFor(id);
    if (schema instanceof Error) note = `schema ${id}: ${schema.message}`;
    else if (schema === undefined) note = `schema ${id} not loaded from the registry`;
    else {
      try {
        // A plain "bytes" schema (the converter passed the payload through): show what is inside.
        if (schema === 'bytes' || (typeof schema === 'object' && !Array.isArray(schema) && schema.type === 'bytes')) {
          const inner = avroBytes(b.subarray(5));
          const d = decodeBytes(inner);
          return {
            ...d,
            schemaId: id,
            note: d.note ? `Avro bytes, schema ${id}; ${d.note}` : `Avro bytes, schema ${id}`,
          };
        }
        const value = decodeAvro(schema, b.subarray(5));
        return { kind: 'avro', text: JSON.stringify(value, null, 2), value, schemaId: id };
      } catch (e) {
        note = `schema ${id} did not decode these bytes: ${(e as Error).message}`;
      }
    }
  }
  let text: string | null = null;
  try {
    text = utf8.decode(b);
  } catch {
    text = null;
  }
  if (text !== null && !CONTROL.test(text)) {
    const t = text.trim();
    if (t.startsWith('{') || t.startsWith('[') || t.startsWith('"')) {
      try {
        const value: unknown = JSON.parse(t);
        // Integers beyond 2^53 lose digits in JavaScript: then the raw text is the faithful view.
        if (BIG_INT.test(t)) {
          const why = 'numbers with more than 15 digits are rounded in the tree; "raw" shows them exactly';
          return { kind: 'json', text: t, value, note: note ? `${note}; ${why}` : why };
        }
        return { kind: 'json', text: JSON.stringify(value, null, 2), value, note };
      } catch {
        // not JSON after all: show as text
      }
    }
    return { kind: 'text', text, note };
  }
  return { kind: 'hex', text: toHex(b), note, schemaId: id ?? undefined };
}
