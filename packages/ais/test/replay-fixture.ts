// Replay lines in fast-data-dev's ais.txt shape (`{"MMSI":n}<TAB>{record json}`), written by the
// package's own JSON encoder from made-up reports, so replay tests need no sample data beside the clone.
import { gzipSync } from 'node:zlib';
import { recordJson } from '../src/formats/encode.ts';
import { toRecord } from '../src/formats/record.ts';
import type { PositionReportA } from '../src/nmea/index.ts';

export function replayLines(n: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const m: PositionReportA = {
      type: ((i % 3) + 1) as 1 | 2 | 3,
      repeat: i % 4,
      mmsi: 219000000 + i * 7,
      status: i % 9,
      turn: (i % 255) - 127,
      speed: (i % 200) / 10,
      accuracy: i % 2 === 0,
      lon: 10 + (i % 1000) / 997,
      lat: 55 + (i % 500) / 499,
      course: ((i * 13) % 3600) / 10,
      heading: (i * 7) % 360,
      second: i % 60,
      maneuver: i % 3,
      raim: i % 5 === 0,
      radio: 1000 + i,
    };
    const ns = BigInt(Date.UTC(2024, 0, 1) + i * 1000) * 1_000_000n;
    lines.push(`{"MMSI":${m.mmsi}}\t${recordJson(toRecord(m, ns))}`);
  }
  return lines;
}

export function replayFileGz(n: number): Buffer {
  return gzipSync(`${replayLines(n).join('\n')}\n`);
}
