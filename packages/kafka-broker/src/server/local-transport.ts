// The broker seen from its own process: a KafkaTransport (see @seaway/kafka-protocol's client) whose
// requests go straight to the API handlers, without sockets. The lab gives it to the connector
// runtime's producer when the broker runs in the lab, so a record takes the same handler path as
// over TCP (auto-creation, size limits, per-partition append order, acks after the append) minus two
// socket writes, two reads and a process hop per batch.
//
// Requests and responses are still encoded and decoded with the codec: handlers then see exactly what
// a wire client would send (records in a buffer of their own, which the log keeps and rewrites), and
// the producer reads exactly what a wire client would get. Not authenticated: the caller is the
// broker's own process.

import {
  ClientErrorCodes,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  KafkaClientError,
  type KafkaTransport,
  type RequestInput,
  type ResponseBody,
} from '@seaway/kafka-protocol';
import { type BrokerContext, CLOSE_CONNECTION, type ConnectionInfo, NO_RESPONSE } from '../api/context.ts';
import type { ApiRegistry } from '../api/registry.ts';

export function localTransport(broker: BrokerContext, registry: ApiRegistry, clientId: string): KafkaTransport {
  const abort = new AbortController();
  const info: ConnectionInfo = {
    remote: 'in-process',
    principal: 'in-process',
    saslMechanism: null,
    rawSaslNext: false,
    get closed() {
      return abort.signal.aborted;
    },
    closedSignal: abort.signal,
  };
  const address = `in-process:${broker.port()}`;
  let correlationId = 0;
  return {
    address,
    get alive() {
      return !abort.signal.aborted;
    },
    version(apiKey, ourMin, ourMax) {
      const api = registry.get(apiKey);
      const v = api ? Math.min(ourMax, api.maxVersion) : -1;
      if (!api || v < Math.max(ourMin, api.minVersion))
        throw new KafkaClientError(
          ClientErrorCodes.UNSUPPORTED_VERSION,
          `the embedded broker does not serve api ${apiKey} in versions ${ourMin}-${ourMax}`,
        );
      return v;
    },
    async request<K extends number>(apiKey: K, version: number, body: RequestInput<K>): Promise<ResponseBody<K>> {
      if (abort.signal.aborted)
        throw new KafkaClientError(ClientErrorCodes.CLOSED, `${address}: transport closed by the client`);
      const api = registry.get(apiKey);
      if (!api) throw new KafkaClientError(ClientErrorCodes.UNSUPPORTED_VERSION, `api ${apiKey} is not served`);
      correlationId = (correlationId + 1) | 0;
      const frame = encodeRequest(apiKey, version, body, { correlationId, clientId });
      const request = decodeRequest(frame.subarray(4));
      let result: unknown;
      try {
        result = await api.handle(request.body as never, {
          broker,
          header: request.header,
          version,
          connection: info,
        });
      } catch (e) {
        throw new KafkaClientError(
          ClientErrorCodes.PROTOCOL,
          `the embedded broker failed api ${apiKey} v${version}: ${(e as Error).message}`,
        );
      }
      if (result === NO_RESPONSE || result === CLOSE_CONNECTION)
        throw new KafkaClientError(ClientErrorCodes.NETWORK, `the embedded broker sent no answer to api ${apiKey}`);
      const out = encodeResponse(apiKey, version, result as never, correlationId);
      return decodeResponse(apiKey, version, out.subarray(4)).body as ResponseBody<K>;
    },
    close() {
      abort.abort();
    },
  };
}
