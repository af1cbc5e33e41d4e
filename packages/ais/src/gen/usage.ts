// The generator's usage text, light enough for the lab's help to import without loading the generator.
import { FORMATS } from '../formats/names.ts';
import { MAX_FLEET } from '../sim/limits.ts';

export const USAGE = `seaway ais-generator [flags]

Publishes AIS ship position reports to an MQTT broker (QoS 1 by default, one PUBACK per message).

  -server host:port     MQTT server, tcp:// optional (default tcp://127.0.0.1:1883)
  -origin /ais          topic to publish to (the seed's -origin)
  -topic-per-vessel     publish to <origin>/<MMSI> instead
  -schema FILE          Avro schema to write records with (must fit the position record)
  -nmea FILE            replay AIVDM sentences (types 1-3), looping until -messages
  -replay FILE          replay fast-data-dev's ais.txt(.gz) lines, looping
  -messages N           messages to send, 0 = no limit (default 100000)
  -duration S           stop after S seconds (with no -messages: run for S seconds)
  -workers N            MQTT connections (default 64)
  -inflight N           unacknowledged messages per connection (default 1, stop-and-wait)
  -rate N               messages per second in total, 0 = as fast as possible (default 0)
  -qos 0|1|2            MQTT QoS (default 1)
  -format F             ${FORMATS.join(' | ')} (default avro: the seed's schema)
  -fleet N              simulated vessels, up to ${MAX_FLEET} (default 300)
  -seed N               simulation seed (default 1)
  -realtime             sail the fleet in real time: send each report when it is due
  -username U -password P
  -procs N              processes to spread the workers over (default 1)
  -registry URL -subject S   schema registry for -format confluent
  -client raw|mqttjs    MQTT implementation (default raw)
  -pool N               pre-encoded packets kept when running flat out (default 200000)
  -log FILE             write events and errors to FILE (- for stderr)
  --json                print the closing summary as JSON
  --no-progress         no progress bar
`;
