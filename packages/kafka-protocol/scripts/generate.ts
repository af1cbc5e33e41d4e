/**
 * Regenerates src/messages/definitions.generated.ts from Kafka's message JSON.
 * Usage: node --import tsx scripts/generate.ts [messageDir]
 * messageDir defaults to ../../../shared/kafka-protocol/message relative to this package.
 */

import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDefinitions } from './generate-definitions.ts';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const messageDir = resolve(process.argv[2] ?? resolve(packageDir, '../../../shared/kafka-protocol/message'));
const target = resolve(packageDir, 'src/messages/definitions.generated.ts');

writeFileSync(target, generateDefinitions(messageDir));
console.log(`wrote ${target} from ${messageDir}`);
