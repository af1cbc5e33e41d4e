// The franz-go test program (fixtures/go-client), built on first use into ~/.cache/seaway/bin by
// scripts/testing/needs.mjs goProgram (false, after a SKIPPED: line, without Go or the module proxy).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goProgram } from '../../../scripts/testing/needs.mjs';

export const goClient: string | false = goProgram(
  join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'go-client'),
  'seaway-go-client',
);
