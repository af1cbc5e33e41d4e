// CONNACK Session Present for a stored 3.1.1 session that has no subscriptions [MQTT-3.2.2-2].
// aedes derives Session Present from the session's subscriptions alone, so a publisher-only device
// with CleanSession=0 (the lab's main ingest pattern) was told its session was lost. The store now
// remembers persistent sessions (session-store.ts keepSession); `preConnect` marks a connection
// whose CONNECT resumes one, and the CONNACK aedes writes to that connection gets the flag. aedes
// builds the CONNACK inside its connect handler, so the flag is set where it is encoded: mqtt-packet's
// writeToStream, which aedes calls through its module object (wrapped once per process; one
// property check per packet written). MQTT 5 is left to aedes (its session expiry decides).
// The same place takes out aedes' "Shared Subscription Available: 0" from v5 CONNACKs: aedes refuses
// shared subscriptions, Seaway serves them (shared-subscriptions.ts), and [MQTT-3.2.2-13] reads an
// absent property as available.
// mqtt-packet is listed beside aedes with aedes' own range, so the package manager links the one copy
// aedes imports and a bundler inlines that same module once (the production build checks it).
import mqttPacket from 'mqtt-packet';

type WriteToStream = (
  packet: {
    cmd: string;
    sessionPresent?: boolean;
    returnCode?: number;
    properties?: { sharedSubscriptionAvailable?: boolean };
  },
  stream: object,
  opts?: unknown,
) => boolean;

const resumed = new WeakSet<object>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  // the mqtt-packet module object aedes calls writeToStream through
  const mp = mqttPacket as unknown as { writeToStream: WriteToStream };
  const write = mp.writeToStream;
  mp.writeToStream = (packet, stream, opts) => {
    if (packet.cmd === 'connack') {
      if (packet.properties?.sharedSubscriptionAvailable === false)
        delete packet.properties.sharedSubscriptionAvailable;
      if (resumed.has(stream)) {
        resumed.delete(stream);
        if (packet.returnCode === 0) packet.sessionPresent = true;
      }
    }
    return write(packet, stream, opts);
  };
}

interface ConnectPacket {
  protocolVersion?: number;
  clean?: boolean;
  clientId?: string;
}
type PreConnect = (
  client: { conn: object },
  packet: ConnectPacket,
  cb: (err: Error | null, ok: boolean) => void,
) => void;

/** Wrap aedes' preConnect (before any client connects) and remember persistent sessions once they connect. */
export function installSessionPresent(
  aedes: object,
  store: { hasSession(id: string): boolean; keepSession(id: string): void },
): void {
  install();
  const a = aedes as {
    preConnect: PreConnect;
    on(ev: string, fn: (c: { id: string; clean: boolean; version: number | null }) => void): void;
  };
  const pre = a.preConnect;
  a.preConnect = (client, packet, cb) => {
    if (
      (packet.protocolVersion ?? 4) < 5 &&
      packet.clean === false &&
      packet.clientId &&
      store.hasSession(packet.clientId)
    )
      resumed.add(client.conn);
    pre.call(aedes, client, packet, cb);
  };
  a.on('clientReady', (c) => {
    if (!c.clean && c.version !== 5) store.keepSession(c.id);
  });
}
