// The ais package's error catalogue: stable codes that tests and callers match on, messages that
// say what happened and what to do.
export const AIS_ERRORS = {
  SEAWAY_AIS_NMEA_SENTENCE: 'not an AIVDM/AIVDO sentence',
  SEAWAY_AIS_NMEA_CHECKSUM: 'NMEA checksum mismatch',
  SEAWAY_AIS_NMEA_ARMOR: 'character outside the AIS 6-bit armoring alphabet',
  SEAWAY_AIS_NMEA_LENGTH: 'AIS payload shorter than its message type needs',
  SEAWAY_AIS_NMEA_TYPE: 'AIS message type not supported by this codec',
  SEAWAY_AIS_SCHEMA_MISMATCH: 'the Avro schema does not fit the position report record',
  SEAWAY_AIS_SCHEMA_FILE: 'the Avro schema file cannot be read or parsed',
  SEAWAY_AIS_CONFIG: 'invalid generator option',
  SEAWAY_AIS_CONNECT: 'cannot reach the MQTT server',
  SEAWAY_AIS_MQTT_PROTOCOL: 'the MQTT server answered with something unexpected',
  SEAWAY_AIS_INPUT_FILE: 'the input file cannot be read or holds no usable records',
} as const;

export type AisErrorCode = keyof typeof AIS_ERRORS;

export class AisError extends Error {
  readonly code: AisErrorCode;
  constructor(code: AisErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = 'AisError';
    this.code = code;
  }
}
