// Frames for the fuzz tool: random bytes, valid seed frames per protocol, and mutations of them
// (flipped bytes, truncation, a rewritten length, duplicated tails). Seeded, so a run can be repeated.

export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0 || 1;
  }
  /** xorshift32 */
  next(): number {
    let x = this.#s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#s = x >>> 0;
    return this.#s / 0x1_0000_0000;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

const str16 = (s: string) => {
  const b = Buffer.from(s);
  const l = Buffer.alloc(2);
  l.writeUInt16BE(b.length);
  return Buffer.concat([l, b]);
};

/** Kafka: ApiVersions v3 and Metadata v1 requests with a 4-byte size prefix. */
export function kafkaSeeds(): Buffer[] {
  const frame = (apiKey: number, version: number, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeInt16BE(apiKey, 0);
    head.writeInt16BE(version, 2);
    head.writeInt32BE(7, 4);
    const client = str16('fuzz');
    const tagged = version >= 3 && apiKey === 18 ? Buffer.from([0]) : Buffer.alloc(0);
    const payload = Buffer.concat([head, client, tagged, body]);
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length);
    return Buffer.concat([size, payload]);
  };
  return [
    frame(18, 3, Buffer.from([5, 0x66, 0x75, 0x7a, 0x7a, 2, 0x31, 0])), // ApiVersions v3: name, version, tags
    frame(3, 1, Buffer.from([0xff, 0xff, 0xff, 0xff])), // Metadata v1: all topics
  ];
}

const mqttFrame = (first: number, body: Buffer) => {
  const len: number[] = [];
  let n = body.length;
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    len.push(byte);
  } while (n > 0);
  return Buffer.concat([Buffer.from([first, ...len]), body]);
};

/** MQTT 3.1.1: CONNECT, then a QoS 1 PUBLISH and a SUBSCRIBE. */
export function mqttSeeds(clientId: string): Buffer[] {
  const connect = mqttFrame(
    0x10,
    Buffer.concat([Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 30]), str16(clientId)]),
  );
  const publish = mqttFrame(0x32, Buffer.concat([str16('fuzz/t'), Buffer.from([0, 1]), Buffer.from('payload')]));
  const subscribe = mqttFrame(0x82, Buffer.concat([Buffer.from([0, 2]), str16('fuzz/#'), Buffer.from([1])]));
  return [connect, publish, subscribe];
}

export function mqttConnect(clientId: string): Buffer {
  return mqttSeeds(clientId)[0] as Buffer;
}

export function mqttPublishQos1(topic: string, id: number, payload: string): Buffer {
  const mid = Buffer.alloc(2);
  mid.writeUInt16BE(id);
  return mqttFrame(0x32, Buffer.concat([str16(topic), mid, Buffer.from(payload)]));
}

/** HTTP/1.1 requests against the lab's REST APIs. */
export function httpSeeds(host: string): Buffer[] {
  const body = '{"name":"fuzz","config":{"connector.class":"x"}}';
  return [
    Buffer.from(`GET /api/health HTTP/1.1\r\nHost: ${host}\r\n\r\n`),
    Buffer.from(
      `POST /connectors HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    ),
    Buffer.from(
      `POST /subjects/fuzz-value/versions HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"schema":"x"`,
    ),
  ];
}

/** One mutated copy of a seed (or plain random bytes). */
export function mutate(rng: Rng, seeds: Buffer[]): Buffer {
  const kind = rng.int(6);
  if (kind === 0 || seeds.length === 0) return rng.bytes(1 + rng.int(512));
  const seed = Buffer.from(seeds[rng.int(seeds.length)] as Buffer);
  switch (kind) {
    case 1: {
      const flips = 1 + rng.int(4);
      for (let i = 0; i < flips; i++) seed[rng.int(seed.length)] = rng.int(256);
      return seed;
    }
    case 2:
      return seed.subarray(0, rng.int(seed.length));
    case 3: {
      // a rewritten length field (Kafka size prefix / MQTT remaining length / HTTP content-length)
      const b = Buffer.from(seed);
      if (b.length >= 4) b.writeInt32BE([0x7fffffff, -1, 0, 1 + rng.int(1 << 20)][rng.int(4)] as number, rng.int(2));
      return b;
    }
    case 4:
      return Buffer.concat([seed, rng.bytes(rng.int(64))]);
    default:
      return Buffer.concat([seed, seed.subarray(rng.int(seed.length))]);
  }
}

/** A header that declares the largest body the protocol can express, then nothing. */
export function hugeDeclared(kind: 'kafka' | 'mqtt' | 'http', host: string): Buffer {
  if (kind === 'kafka') return Buffer.from([0x7f, 0xff, 0xff, 0xff]);
  if (kind === 'mqtt') return Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]);
  return Buffer.from(
    `POST /api/topics HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 9999999999\r\n\r\n{`,
  );
}
