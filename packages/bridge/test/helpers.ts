// Shared test helpers: the seed connector config with host and schema path swapped, the AIS schema
// from ../shared when present (else a copy of its shape), unique names.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const shared = join(here, '../../../../shared/data/fast-data-dev/classAPositionReportSchema.json');

export function aisSchemaPath(): string {
  if (existsSync(shared)) return shared;
  const dir = mkdtempSync(join(tmpdir(), 'seaway-bridge-'));
  const p = join(dir, 'classAPositionReport.avsc');
  writeFileSync(
    p,
    JSON.stringify({
      type: 'record',
      name: 'aisClassAPositionReport',
      namespace: 'com.lensesio.ais',
      doc: 'Schema for AIS Class A Position Reports.',
      fields: [
        { name: 'Type', type: 'int' },
        { name: 'MMSI', type: 'long' },
        { name: 'Speed', type: 'float' },
        { name: 'Longitude', type: 'double' },
        { name: 'Latitude', type: 'double' },
        { name: 'location', type: 'string' },
        { name: 'Timestamp', type: 'long' },
      ],
    }),
  );
  return p;
}

export function seedConfig(
  mqttHostPort: string,
  schemaPath = aisSchemaPath(),
): { name: string; config: Record<string, string> } {
  const seed = JSON.parse(readFileSync(join(here, 'fixtures/seed-connector.json'), 'utf8')) as {
    name: string;
    config: Record<string, string>;
  };
  seed.config['connect.mqtt.hosts'] = `tcp://${mqttHostPort}`;
  seed.config['connect.source.converter.avro.schemas'] = `/ais=${schemaPath}`;
  return seed;
}

export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}
