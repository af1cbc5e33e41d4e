// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of record batch v2.
//
// Slice-by-8: eight 256-entry tables let the loop consume 8 bytes per iteration with independent
// table lookups. Plain JS cannot reach SSE4.2's crc32 instruction, so this is the fastest portable
// form; see test/records-crc32c.test.ts for vectors and src/records/bench.ts for a throughput measure.

const POLY = 0x82f63b78;

const TABLES = buildTables();

function buildTables(): Uint32Array {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let s = 1; s < 8; s++) {
      c = (t[c & 0xff]! ^ (c >>> 8)) >>> 0;
      t[s * 256 + n] = c;
    }
  }
  return t;
}

/**
 * CRC-32C of `data[start, end)`. Pass a previous result as `crc` to continue a running checksum over
 * several pieces. Returns an unsigned 32-bit number.
 */
export function crc32c(data: Uint8Array, start = 0, end = data.length, crc = 0): number {
  const t = TABLES;
  let c = ~crc >>> 0;
  let i = start;
  // Align nothing: byte access through Uint8Array is as fast as DataView here and avoids endianness.
  const last8 = end - 8;
  while (i <= last8) {
    const lo = (c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
    c =
      t[1792 + (lo & 0xff)]! ^
      t[1536 + ((lo >>> 8) & 0xff)]! ^
      t[1280 + ((lo >>> 16) & 0xff)]! ^
      t[1024 + (lo >>> 24)]! ^
      t[768 + data[i + 4]!]! ^
      t[512 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
    i += 8;
  }
  while (i < end) {
    c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
    i++;
  }
  return ~c >>> 0;
}
