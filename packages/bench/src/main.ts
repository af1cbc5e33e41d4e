// `pnpm bench [-- flags]`: parses the flags, runs the benchmark and prints the summary table.
// Exit code 1 when a step failed or a run lost or duplicated records; speed never fails it.
import { compare, comparisonText, findBaseline, recordBaseline } from './compare.ts';
import { parseBenchArgs, USAGE } from './options.ts';
import { summaryTable } from './report.ts';
import { runBench } from './runner.ts';

const argv = process.argv.slice(2);
let brokers: string | undefined;
const rest: string[] = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--brokers') brokers = argv[++i];
  else if (argv[i]?.startsWith('--brokers=')) brokers = argv[i]?.slice('--brokers='.length);
  else rest.push(argv[i] as string);
}

let options: ReturnType<typeof parseBenchArgs>;
try {
  options = parseBenchArgs(rest);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
if (options.help) {
  console.log(`${USAGE}  --brokers HOST:PORT     use this Kafka instead of starting one (e.g. the test Kafka)\n`);
  process.exit(0);
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const { dir, results } = await runBench(
  { ...options, ...(brokers ? { brokers } : {}) },
  log,
  `pnpm bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
);
console.log(summaryTable(results));
const ref = findBaseline(dir, options.baseline);
console.log(
  `\nregression guard: ${ref ? comparisonText(compare(results.runs, ref)) : 'no earlier figures to compare with'}`,
);
if (options.record)
  console.log(`recorded ${recordBaseline(results.runs, results.command, results.machine.load1Start)}`);
console.log(`\nresults: ${dir}/results.json\nreport:  ${dir}/report.md`);
const lost = results.runs.some((r) => r.verify && (r.verify.missing > 0 || r.verify.duplicated > 0));
process.exit(results.errors.length > 0 || lost ? 1 : 0);
