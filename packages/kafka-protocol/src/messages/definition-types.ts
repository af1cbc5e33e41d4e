/**
 * Shape of the message definitions generated from Kafka's message JSON
 * (see scripts/generate.ts and definitions.generated.ts). The codec in src/codec interprets them.
 *
 * Field names are the JSON names with the first letter lower-cased ("TopicName" -> "topicName",
 * "ThrottleTimeMs" -> "throttleTimeMs"); nothing else changes.
 */

/** Inclusive [min, max]; max is VERSION_OPEN (0x7fff) for Kafka's "N+" ranges. */
export type VersionRange = readonly [min: number, max: number];

export const VERSION_OPEN = 0x7fff;

export type PrimitiveType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'uuid'
  | 'string'
  | 'bytes'
  | 'records';

export type DefaultValue = number | bigint | boolean | string | null;

export interface FieldDef {
  /** Property name in JS values (lower-camel of the JSON name). */
  readonly name: string;
  /** A primitive, 'struct', or 'array' (then see `items`). */
  readonly type: PrimitiveType | 'struct' | 'array';
  /** Element type of an array: a primitive or 'struct'. */
  readonly items?: PrimitiveType | 'struct';
  /** Kafka's struct type name, for structs and arrays of structs. */
  readonly struct?: string;
  readonly versions: VersionRange;
  readonly nullableVersions?: VersionRange;
  readonly taggedVersions?: VersionRange;
  readonly tag?: number;
  /** Parsed JSON default (int64 as bigint); absent means the type's zero value. */
  readonly default?: DefaultValue;
  readonly ignorable?: boolean;
  /** Field-level override of the message's flexible versions (only RequestHeader.ClientId: none). */
  readonly flexibleVersions?: VersionRange | null;
  /** Fields of a struct or of an array's struct elements, commonStructs resolved. */
  readonly fields?: readonly FieldDef[];
}

export interface MessageDef {
  readonly name: string;
  readonly kind: 'request' | 'response' | 'header';
  readonly validVersions: VersionRange;
  /** null when no version is flexible. */
  readonly flexibleVersions: VersionRange | null;
  readonly fields: readonly FieldDef[];
}

export interface ApiDef {
  readonly apiKey: number;
  /** Kafka's API name without the Request/Response suffix, e.g. "ApiVersions". */
  readonly name: string;
  /** Versions Seaway's broker advertises; always inside both messages' validVersions. */
  readonly advertised: VersionRange;
  readonly request: MessageDef;
  readonly response: MessageDef;
}

export function inRange(range: VersionRange | null | undefined, version: number): boolean {
  return range != null && version >= range[0] && version <= range[1];
}
