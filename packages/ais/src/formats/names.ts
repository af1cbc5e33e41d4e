// The generator's payload format names, apart from the encoders so the usage text can name them
// without loading Avro.
export const FORMATS = ['avro', 'fdd', 'confluent', 'json', 'nmea'] as const;
export type FormatName = (typeof FORMATS)[number];

export function isFormat(s: string): s is FormatName {
  return (FORMATS as readonly string[]).includes(s);
}
