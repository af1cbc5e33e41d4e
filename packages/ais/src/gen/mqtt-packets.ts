// The few MQTT 3.1.1 packets the generator writes, encoded by hand so a PUBLISH can be built
// once and reused: fixed header + topic + packet id (patched in place) + payload. Parsing covers
// what a publisher receives: CONNACK, PUBACK, PUBREC, PUBCOMP, PINGRESP.
export const CONNACK = 2;
export const PUBACK = 4;
export const PUBREC = 5;
export const PUBCOMP = 7;
export const PINGRESP = 13;

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

function str(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  const out = Buffer.allocUnsafe(2 + b.length);
  out.writeUInt16BE(b.length, 0);
  b.copy(out, 2);
  return out;
}

export interface ConnectOptions {
  clientId: string;
  keepaliveSec: number;
  username?: string;
  password?: string;
  cleanSession?: boolean;
}

/** CONNECT, protocol name "MQTT", level 4 (3.1.1) [MQTT-3.1.2-1, 3.1.2-2]. */
export function connectPacket(o: ConnectOptions): Buffer {
  let flags = o.cleanSession === false ? 0 : 0x02;
  const parts = [str('MQTT'), Buffer.from([4, 0, 0, 0])];
  const payload = [str(o.clientId)];
  if (o.username !== undefined) {
    flags |= 0x80;
    payload.push(str(o.username));
  }
  if (o.password !== undefined) {
    flags |= 0x40;
    payload.push(str(o.password));
  }
  const vh = parts[1]!;
  vh[1] = flags;
  vh.writeUInt16BE(o.keepaliveSec, 2);
  const body = Buffer.concat([...parts, ...payload]);
  return Buffer.concat([Buffer.from([0x10, ...varint(body.length)]), body]);
}

export interface PublishPacket {
  buf: Buffer;
  /** Offset of the 2-byte packet identifier, or -1 for QoS 0. */
  pidOffset: number;
}

export function publishPacket(topic: string, payload: Buffer, qos: 0 | 1 | 2): PublishPacket {
  const t = Buffer.from(topic, 'utf8');
  const remaining = 2 + t.length + (qos > 0 ? 2 : 0) + payload.length;
  const head = [0x30 | (qos << 1), ...varint(remaining)];
  const buf = Buffer.allocUnsafe(head.length + remaining);
  let o = 0;
  for (const b of head) buf[o++] = b;
  buf.writeUInt16BE(t.length, o);
  o += 2;
  t.copy(buf, o);
  o += t.length;
  let pidOffset = -1;
  if (qos > 0) {
    pidOffset = o;
    buf.writeUInt16BE(1, o);
    o += 2;
  }
  payload.copy(buf, o);
  return { buf, pidOffset };
}

export function pubrelPacket(pid: number): Buffer {
  return Buffer.from([0x62, 2, pid >> 8, pid & 0xff]);
}

export const PINGREQ_PACKET = Buffer.from([0xc0, 0]);
export const DISCONNECT_PACKET = Buffer.from([0xe0, 0]);

/**
 * Incremental parser for packets from the server. Calls onPacket(type, flags, body) per packet;
 * body is a view into the received chunk (or a joined leftover), valid during the call only.
 */
export class PacketReader {
  private pending: Buffer | null = null;

  constructor(private readonly onPacket: (type: number, body: Buffer, first: number) => void) {}

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let o = 0;
    while (o < buf.length) {
      if (buf.length - o < 2) break;
      let len = 0;
      let mul = 1;
      let i = o + 1;
      let complete = false;
      for (; i < buf.length && i < o + 5; i++) {
        const b = buf[i]!;
        len += (b & 0x7f) * mul;
        mul *= 128;
        if ((b & 0x80) === 0) {
          complete = true;
          i++;
          break;
        }
      }
      if (!complete || i + len > buf.length) break;
      const first = buf[o]!;
      this.onPacket(first >> 4, buf.subarray(i, i + len), first);
      o = i + len;
    }
    if (o < buf.length) this.pending = Buffer.from(buf.subarray(o));
  }
}
