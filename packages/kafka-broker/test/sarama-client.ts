// The sarama test program (fixtures/go-sarama, github.com/IBM/sarama v1.61.1 from the Go module proxy),
// built on first use into ~/.cache/seaway/bin by scripts/testing/needs.mjs goProgram (false, after a
// SKIPPED: line, without Go or the module proxy).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goProgram } from '../../../scripts/testing/needs.mjs';

export const saramaClient: string | false = goProgram(
  join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'go-sarama'),
  'seaway-go-sarama',
);
