// A classic group's metadata as Kafka stores it in __consumer_offsets, so that a group (generation,
// protocol, leader, members with their subscriptions and assignments) survives a broker restart and
// its members keep heartbeating without a rebalance, as against Kafka:
//
//   key   = GroupMetadataKey v2:   int16 version=2, string group
//   value = GroupMetadataValue v3: int16 version=3, string protocolType, int32 generation,
//           nullable string protocol, nullable string leader, int64 currentStateTimestamp,
//           int32 count + members: string memberId, nullable string groupInstanceId, string clientId,
//           string clientHost, int32 rebalanceTimeout, int32 sessionTimeout, bytes subscription,
//           bytes assignment   (strings: int16 length + UTF-8, -1 = null; bytes: int32 length)
//
// A null value (tombstone) removes the group. Versions 0-2 of the value are read too (no
// groupInstanceId before v3, no state timestamp before v2, no rebalance timeout before v1).

export interface GroupRecordMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  subscription: Buffer;
  assignment: Buffer;
}

export interface GroupRecord {
  protocolType: string;
  generationId: number;
  protocolName: string | null;
  leaderId: string | null;
  stateTimestamp: number;
  members: GroupRecordMember[];
}

export function encodeGroupKey(group: string): Buffer {
  const g = Buffer.from(group);
  const b = Buffer.allocUnsafe(4 + g.length);
  b.writeInt16BE(2, 0);
  b.writeInt16BE(g.length, 2);
  g.copy(b, 4);
  return b;
}

class Out {
  readonly parts: Buffer[] = [];
  int16(v: number): this {
    const b = Buffer.allocUnsafe(2);
    b.writeInt16BE(v);
    this.parts.push(b);
    return this;
  }
  int32(v: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }
  int64(v: number): this {
    const b = Buffer.allocUnsafe(8);
    b.writeBigInt64BE(BigInt(v));
    this.parts.push(b);
    return this;
  }
  string(v: string | null): this {
    if (v === null) return this.int16(-1);
    const s = Buffer.from(v);
    this.int16(s.length);
    this.parts.push(s);
    return this;
  }
  bytes(v: Buffer): this {
    this.int32(v.length);
    this.parts.push(v);
    return this;
  }
}

export function encodeGroupValue(r: GroupRecord): Buffer {
  const o = new Out()
    .int16(3)
    .string(r.protocolType)
    .int32(r.generationId)
    .string(r.protocolName)
    .string(r.leaderId)
    .int64(r.stateTimestamp)
    .int32(r.members.length);
  for (const m of r.members) {
    o.string(m.memberId)
      .string(m.groupInstanceId)
      .string(m.clientId)
      .string(m.clientHost)
      .int32(m.rebalanceTimeoutMs)
      .int32(m.sessionTimeoutMs)
      .bytes(m.subscription)
      .bytes(m.assignment);
  }
  return Buffer.concat(o.parts);
}

export function decodeGroupValue(b: Buffer): GroupRecord {
  let p = 0;
  const int16 = () => {
    const v = b.readInt16BE(p);
    p += 2;
    return v;
  };
  const int32 = () => {
    const v = b.readInt32BE(p);
    p += 4;
    return v;
  };
  const string = () => {
    const n = int16();
    if (n < 0) return null;
    const s = b.toString('utf8', p, p + n);
    p += n;
    return s;
  };
  const bytes = () => {
    const n = int32();
    const v = Buffer.from(b.subarray(p, p + Math.max(n, 0)));
    p += Math.max(n, 0);
    return v;
  };
  const version = int16();
  const protocolType = string() ?? '';
  const generationId = int32();
  const protocolName = string();
  const leaderId = string();
  let stateTimestamp = -1;
  if (version >= 2) {
    stateTimestamp = Number(b.readBigInt64BE(p));
    p += 8;
  }
  const members: GroupRecordMember[] = [];
  for (let n = int32(); n > 0; n--) {
    const memberId = string() ?? '';
    const groupInstanceId = version >= 3 ? string() : null;
    const clientId = string() ?? '';
    const clientHost = string() ?? '';
    const rebalanceTimeoutMs = version >= 1 ? int32() : -1;
    const sessionTimeoutMs = int32();
    members.push({
      memberId,
      groupInstanceId,
      clientId,
      clientHost,
      sessionTimeoutMs,
      rebalanceTimeoutMs: rebalanceTimeoutMs < 0 ? sessionTimeoutMs : rebalanceTimeoutMs,
      subscription: bytes(),
      assignment: bytes(),
    });
  }
  return { protocolType, generationId, protocolName, leaderId, stateTimestamp, members };
}
