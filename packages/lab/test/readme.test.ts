// The top-level README's tables (Ports, Environment, Commands) and its command examples agree with
// the CLI's own definitions (config.ts defaults, settings.ts, commands.ts), so they cannot drift.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { COMMANDS, command } from '../src/commands.ts';
import { CONFIG_KEYS, LabConfig } from '../src/config.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const defaults = LabConfig.parse({}) as Record<string, unknown>;

/** Rows (cells) of the first table under "## <heading>". */
function table(heading: string): string[][] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `README has no "## ${heading}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  const lines = readme.slice(start, end < 0 ? undefined : end).split('\n');
  const rows = lines
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
  assert.ok(rows.length > 2, `no table under ${heading}`);
  return rows.slice(2); // header and separator
}

const ticks = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

test('the Ports table gives each port setting its default', () => {
  const rows = table('Ports');
  for (const [port, , setting] of rows) {
    const [key] = ticks(setting!);
    assert.ok(key && CONFIG_KEYS.includes(key as never), `unknown setting ${setting}`);
    assert.equal(String(defaults[key]), port, `${key}: README says ${port}`);
  }
  const portKeys = CONFIG_KEYS.filter((k) => k.endsWith('_PORT'));
  assert.deepEqual(rows.map((r) => ticks(r[2]!)[0]).sort(), [...portKeys].sort());
});

test('the Environment table lists every setting with the default the CLI uses', () => {
  const seen = new Set<string>();
  for (const [vars, dflt] of table('Environment')) {
    const keys = ticks(vars!);
    for (const k of keys) {
      assert.ok(CONFIG_KEYS.includes(k as never), `README documents ${k}, which the lab does not read`);
      seen.add(k);
    }
    if (dflt === 'see Ports') {
      for (const k of keys) assert.ok(k.endsWith('_PORT'), `${k} is not a port`);
      continue;
    }
    const values = ticks(dflt!);
    if (values.length === keys.length) {
      for (const [i, k] of keys.entries())
        assert.equal(String(defaults[k]), values[i], `${k}: README default ${values[i]}`);
    } else if (dflt!.startsWith('off')) {
      for (const k of keys) assert.equal(defaults[k], false, `${k}: README says off`);
    } else if (dflt === 'unset') {
      for (const k of keys) assert.equal(defaults[k], undefined, `${k}: README says unset`);
    } else assert.fail(`cannot read the default "${dflt}" of ${keys.join(', ')}`);
  }
  assert.deepEqual([...seen].sort(), [...CONFIG_KEYS].sort(), 'every setting has a row');
});

test('the Commands table lists every command, and each example uses known commands and flags', () => {
  const listed = table('Commands').map((r) => ticks(r[0]!)[0]?.replace(/^seaway /, ''));
  assert.deepEqual(listed.sort(), COMMANDS.map((c) => c.name).sort());
  const examples = [...readme.matchAll(/seaway(?:\.mjs)? (start|kafka|ais-generator|help)\b([^\n`#]*)/g)];
  assert.ok(examples.length >= 3);
  for (const [, name, rest] of examples) {
    const spec = command(name!)!;
    const flags = spec.flags.map((f) => f.flag);
    for (const word of rest!.trim().split(/\s+/)) {
      if (!word.startsWith('-') || word === '--help' || word === '-h') continue;
      assert.ok(flags.includes(word.split('=')[0]!), `README example "seaway ${name}${rest}": ${word} is not a flag`);
    }
  }
});
