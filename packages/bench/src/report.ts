// The report: report.md with tables and SVG charts next to results.json, and the plain-text
// summary table main.ts prints. Reads only the BenchResults object.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults } from './runner.ts';
import type { RunResult } from './scenarios/types.ts';
import { barChart, lineChart, type Series } from './svg.ts';

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const label = (r: RunResult) =>
  (r.peer === 'mosquitto' ? 'mosquitto' : `${r.peer} (${r.target})`) + (r.params.client ? ` · ${r.params.client}` : '');

function usageCell(r: RunResult): string {
  return r.usage
    .map((u) => `${u.name} ${u.cpuPercent}% ${r.cpuUsPerMsg[u.name] ?? '-'}µs/msg ${u.rssMaxMB} MB`)
    .join('<br>');
}

function paramsCell(r: RunResult): string {
  return Object.entries(r.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

function runTable(runs: RunResult[]): string {
  const head =
    '| peer | params | msg/s | MB/s | p50 ms | p99 ms | max ms | CPU, CPU per msg, RSS max (per process) | missing | dup | load1 |\n' +
    '|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|\n';
  return (
    head +
    runs
      .map(
        (r) =>
          `| ${label(r)} | ${paramsCell(r)} | ${r.msgPerSec} | ${r.mbPerSec} | ${r.latencyMs?.p50 ?? '-'} | ${r.latencyMs?.p99 ?? '-'} | ${r.latencyMs?.max ?? '-'} | ${usageCell(r)} | ${r.verify?.missing ?? '-'} | ${r.verify?.duplicated ?? '-'} | ${r.load1 ?? '-'} |`,
      )
      .join('\n') +
    '\n'
  );
}

const LOAD_PROCS = /^(generator|direct-producer|mosquitto_sub)/;

/** CPU µs per message of the data path (broker, bridge, Kafka) and of the load (generator, subscriber). */
export function cpuSplit(r: RunResult): { path: number; load: number } {
  let path = 0;
  let load = 0;
  for (const [name, us] of Object.entries(r.cpuUsPerMsg)) {
    if (LOAD_PROCS.test(name)) load += us;
    else path += us;
  }
  return { path, load };
}

/** Median msg/s and latencies of the seed scenario per peer label, in a stable order. */
export function seedByPeer(runs: RunResult[]) {
  const seed = runs.filter((r) => r.scenario === 'seed');
  const labels = [...new Set(seed.map(label))];
  return labels.map((l) => {
    const rs = seed.filter((r) => label(r) === l);
    const r2 = (x: number | null) => Math.round((x ?? 0) * 100) / 100;
    return {
      label: l,
      runs: rs.length,
      msgPerSec: Math.round(median(rs.map((r) => r.msgPerSec)) ?? 0),
      min: Math.min(...rs.map((r) => r.msgPerSec)),
      max: Math.max(...rs.map((r) => r.msgPerSec)),
      p50: r2(median(rs.map((r) => r.latencyMs?.p50 ?? 0))),
      p99: r2(median(rs.map((r) => r.latencyMs?.p99 ?? 0))),
      // Runs without sampled processes (the Java tool under its node wrapper) show "-".
      pathUs: rs.some((r) => r.usage.length) ? r2(median(rs.map((r) => cpuSplit(r).path))) : null,
      loadUs: rs.some((r) => r.usage.length) ? r2(median(rs.map((r) => cpuSplit(r).load))) : null,
    };
  });
}

function sweepChart(runs: RunResult[], key: string, title: string): { throughput: string; latency: string } | null {
  if (runs.length === 0) return null;
  const xs = [...new Set(runs.map((r) => String(r.params[key])))];
  const peers = [...new Set(runs.map(label))];
  const pick = (peer: string, x: string) => runs.find((r) => label(r) === peer && String(r.params[key]) === x);
  const tput: Series[] = peers.map((p) => ({ name: p, values: xs.map((x) => pick(p, x)?.msgPerSec ?? null) }));
  const lat: Series[] = peers.flatMap((p) => [
    { name: `${p} p50`, values: xs.map((x) => pick(p, x)?.latencyMs?.p50 ?? null) },
    { name: `${p} p99`, values: xs.map((x) => pick(p, x)?.latencyMs?.p99 ?? null) },
  ]);
  return {
    throughput: lineChart(`${title}: throughput`, 'msg/s', key, xs, tput),
    latency: lineChart(`${title}: PUBACK latency`, 'ms', key, xs, lat),
  };
}

export function summaryTable(res: BenchResults): string {
  const rows = res.runs.map((r) => [
    r.scenario,
    label(r),
    paramsCell(r),
    String(r.msgPerSec),
    String(r.mbPerSec),
    String(r.latencyMs?.p50 ?? '-'),
    String(r.latencyMs?.p99 ?? '-'),
    r.usage.map((u) => `${u.name}:${u.cpuPercent}%/${u.rssMaxMB}MB`).join(' '),
    String(r.verify?.missing ?? '-'),
    String(r.verify?.duplicated ?? '-'),
  ]);
  const head = ['scenario', 'peer', 'params', 'msg/s', 'MB/s', 'p50ms', 'p99ms', 'cpu/rss', 'miss', 'dup'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  const ratios = Object.entries(res.ratios).map(([k, v]) => `  ${k} = ${v ?? 'n/a'}`);
  return [line(head), ...rows.map(line), '', 'ratios (medians of the seed scenario):', ...ratios].join('\n');
}

export function writeReport(dir: string, res: BenchResults): void {
  const md: string[] = [];
  md.push('# Seaway benchmark', '');
  md.push(
    `Run ${res.startedAt} → ${res.finishedAt}, \`${res.command}\`, ${res.machine.cpus} × ${res.machine.model}, Node ${res.machine.node}.`,
    `Load average (1 min) at start ${res.machine.load1Start}, at end ${res.machine.load1End}; each run records its own in the load1 column (this machine is shared, so high values mean noisy figures).`,
    '',
  );
  const seed = seedByPeer(res.runs);
  if (seed.length) {
    md.push('## Seed scenario and peers', '');
    md.push(
      `${res.options.messages} messages, ${res.options.workers} connections, ${res.options.inflight} in flight per connection, QoS 1, ` +
        `made by each load client in turn (${(res.options.load ?? ['generator']).join(', ')}): paho (Eclipse Paho Go) and mqtt.js are clients we did not write and publish ` +
        'unique 100-byte payloads (BytesConverter); our generator publishes AIS Avro (AvroConverter, seed schema). ' +
        'Seaway: load → lab MQTT → connector → Kafka, PUBACK after the Kafka ack. ' +
        'Mosquitto: the same load with one QoS 1 subscriber (mosquitto_sub), no Kafka. ' +
        'Direct: the same payloads produced with kafkajs (batches of 1000, 4 in flight, acks=all); its latency is per batch.',
      '',
    );
    md.push(
      '| peer | runs | median msg/s | min–max | p50 ms | p99 ms | CPU µs/msg, data path | CPU µs/msg, load side |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const s of seed) {
      md.push(
        `| ${s.label} | ${s.runs} | ${s.msgPerSec} | ${s.min}–${s.max} | ${s.p50} | ${s.p99} | ${s.pathUs ?? '-'} | ${s.loadUs ?? '-'} |`,
      );
    }
    md.push(
      '',
      'CPU per message is the least noisy figure on a shared machine: throughput is bounded by the CPU a ' +
        'process gets divided by what it spends per message. Data path = broker, bridge and Kafka processes; ' +
        'load side = generator or producer, and the Mosquitto subscriber. CPU and CPU % count from the moment ' +
        'every generator has connected: its start-up and payload preparation are not charged to the messages ' +
        "(the direct producer's are).",
    );
    md.push('', '**Ratios** (medians):', '');
    for (const [k, v] of Object.entries(res.ratios)) md.push(`- ${k}: ${v ?? 'n/a'}`);
    md.push('', '![peers](peers.svg)', '', '![latency](latency.svg)', '', '![cpu](cpu.svg)', '');
    writeFileSync(
      join(dir, 'cpu.svg'),
      barChart(
        'Seed scenario: CPU µs per message (median)',
        'µs/msg',
        seed.map((s) => s.label),
        [
          { name: 'data path', values: seed.map((s) => s.pathUs) },
          { name: 'load side', values: seed.map((s) => s.loadUs) },
        ],
      ),
    );
    writeFileSync(
      join(dir, 'peers.svg'),
      barChart(
        'Seed scenario: throughput by peer (median)',
        'msg/s',
        seed.map((s) => s.label),
        [{ name: 'msg/s', values: seed.map((s) => s.msgPerSec) }],
      ),
    );
    writeFileSync(
      join(dir, 'latency.svg'),
      barChart(
        'Seed scenario: latency percentiles (median of runs)',
        'ms',
        seed.map((s) => s.label),
        [
          { name: 'p50', values: seed.map((s) => s.p50) },
          { name: 'p99', values: seed.map((s) => s.p99) },
        ],
      ),
    );
    md.push('### Every run', '', runTable(res.runs.filter((r) => r.scenario === 'seed')));
  }
  if (res.footprint.length) {
    md.push('## Footprint', '');
    md.push(
      '| Kafka | Kafka start ms | lab start → healthy ms | idle RSS MB | RSS max under load MB |',
      '|---|---:|---:|---|---|',
    );
    const kv = (o: Record<string, number>) => {
      const e = Object.entries(o);
      const total = Math.round(e.reduce((a, [, v]) => a + v, 0) * 10) / 10;
      return `${e.map(([k, v]) => `${k} ${v}`).join(', ')}${e.length > 1 ? ` (total ${total})` : ''}`;
    };
    for (const f of res.footprint) {
      md.push(`| ${f.kafka} | ${f.kafkaStartMs} | ${f.labHealthyMs} | ${kv(f.idleRssMB)} | ${kv(f.loadRssMaxMB)} |`);
    }
    md.push('');
  }
  const sweeps: [string, string, string][] = [
    ['sweep-workers', 'workers', 'Workers'],
    ['sweep-inflight', 'inflight', 'In flight per worker'],
    ['sweep-partitions', 'partitions', 'Partitions'],
    ['sweep-tasks', 'tasks', 'Bridge tasks'],
    ['sweep-payload', 'format', 'Payload format'],
    ['sweep-replication', 'replication', 'Replication (3-broker Apache Kafka)'],
    ['sweep-converter', 'converter', 'Converter (AvroConverter vs BytesConverter, same payloads)'],
  ];
  for (const [scenario, key, title] of sweeps) {
    const runs = res.runs.filter((r) => r.scenario === scenario);
    const charts = sweepChart(runs, key, title);
    if (!charts) continue;
    md.push(`## ${title}`, '');
    writeFileSync(join(dir, `${key}.svg`), charts.throughput);
    writeFileSync(join(dir, `${key}-latency.svg`), charts.latency);
    md.push(`![${key}](${key}.svg)`, '', `![${key} latency](${key}-latency.svg)`, '', runTable(runs));
  }
  const prof = res.runs.filter((r) => r.scenario === 'profile');
  if (res.profile) {
    const p = res.profile;
    md.push('## Where the lab spends its time (node --cpu-prof, seed scenario)', '');
    if (prof.length) md.push(`Profiled run (profiler on, so slower): ${prof[0]?.msgPerSec} msg/s.`, '');
    md.push(`Profile ${p.totalMs} ms, busy ${p.busyMs} ms (${p.file}).`, '');
    md.push(
      'Self time by package, and the same with node core and native time (socket writes, Buffer copies) charged to the package frame that called it:',
      '',
      '| package | self ms | % of busy | package (callers charged) | ms | % of busy |',
      '|---|---:|---:|---|---:|---:|',
    );
    for (let i = 0; i < 15; i++) {
      const b = p.byPackage[i];
      const c = p.byCallerPackage[i];
      if (!b && !c) break;
      md.push(
        `| ${b?.package ?? ''} | ${b?.ms ?? ''} | ${b?.percentOfBusy ?? ''} | ${c?.package ?? ''} | ${c?.ms ?? ''} | ${c?.percentOfBusy ?? ''} |`,
      );
    }
    md.push('', '| function | package | where | self ms | % of busy |', '|---|---|---|---:|---:|');
    for (const f of p.topFunctions) md.push(`| ${f.fn} | ${f.package} | ${f.where} | ${f.ms} | ${f.percentOfBusy} |`);
    md.push('');
  }
  if (res.errors.length) {
    md.push('## Errors', '');
    for (const e of res.errors) md.push(`- ${e.step}: ${e.message.replace(/\n/g, ' ')}`);
    md.push('');
  }
  writeFileSync(join(dir, 'report.md'), `${md.join('\n')}\n`);
}
