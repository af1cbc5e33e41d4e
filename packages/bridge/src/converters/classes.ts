// Converter class names the MQTT source accepts, under both of Stream Reactor's package prefixes
// (com.datamountaineer.* of 2017, io.lenses.* of today) plus the early com.datamountaineer mqtt package.
export type ConverterKind = 'bytes' | 'avro' | 'json-simple' | 'json-optnull' | 'json-passthrough' | 'json-evolution';

export const CONVERTER_PREFIXES = [
  'com.datamountaineer.streamreactor.connect.converters.source.',
  'io.lenses.streamreactor.connect.converters.source.',
  'com.datamountaineer.streamreactor.connect.mqtt.source.converters.',
] as const;

const SIMPLE_NAMES: Record<string, ConverterKind> = {
  BytesConverter: 'bytes',
  AvroConverter: 'avro',
  JsonSimpleConverter: 'json-simple',
  JsonOptNullConverter: 'json-optnull',
  JsonPassThroughConverter: 'json-passthrough',
  JsonConverterWithSchemaEvolution: 'json-evolution',
};

export const DEFAULT_CONVERTER = 'com.datamountaineer.streamreactor.connect.converters.source.BytesConverter';

/** The converter kind for a class name, or undefined when Seaway does not provide that class. */
export function converterKind(className: string): ConverterKind | undefined {
  for (const p of CONVERTER_PREFIXES) {
    if (className.startsWith(p)) return SIMPLE_NAMES[className.slice(p.length)];
  }
  return undefined;
}

export function knownConverterClasses(): string[] {
  return CONVERTER_PREFIXES.slice(0, 2).flatMap((p) => Object.keys(SIMPLE_NAMES).map((n) => p + n));
}
