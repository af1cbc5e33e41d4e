/**
 * Regenerates src/messages/definitions.generated.ts and src/messages/types.generated.ts from
 * Kafka's message JSON.
 * Usage (in packages/kafka-protocol): node --import tsx scripts/generate.ts [messageDir]
 * messageDir defaults to ../../../shared/kafka-protocol/message relative to this package.
 */

import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDefinitions, loadDefinitions } from './generate-definitions.ts';
import { generateTypes } from './generate-types.ts';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const messageDir = resolve(process.argv[2] ?? resolve(packageDir, '../../../shared/kafka-protocol/message'));
const loaded = loadDefinitions(messageDir);

for (const [file, text] of [
  ['src/messages/definitions.generated.ts', generateDefinitions(loaded)],
  ['src/messages/types.generated.ts', generateTypes(loaded)],
] as const) {
  writeFileSync(resolve(packageDir, file), text);
  console.log(`wrote ${file} from ${messageDir}`);
}
