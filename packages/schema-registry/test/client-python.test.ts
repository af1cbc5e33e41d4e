// confluent_kafka.schema_registry (python3-confluent-kafka, librdkafka 2.0.2 era) against this
// registry: SchemaRegistryClient register/get/lookup/compatibility and an AvroSerializer ->
// AvroDeserializer round trip (the serializer auto-registers), run via child_process.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { pythonModule, sharedData } from '../../../scripts/testing/needs.mjs';
import { type RunningSchemaRegistry, startSchemaRegistry } from '../src/index.ts';
import { backends, call } from './helpers.ts';

const python = pythonModule('confluent_kafka.schema_registry.avro');
const run = promisify(execFile);

const SCRIPT = `
import json, sys
from confluent_kafka.schema_registry import SchemaRegistryClient, Schema
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.schema_registry.avro import AvroSerializer, AvroDeserializer
from confluent_kafka.serialization import SerializationContext, MessageField

url = sys.argv[1]
out = {}
schema_str = json.dumps({"type": "record", "name": "Ship", "namespace": "ais",
    "fields": [{"name": "mmsi", "type": "long"}, {"name": "name", "type": "string"}]})
c = SchemaRegistryClient({"url": url})
sid = c.register_schema("py-ships-value", Schema(schema_str, "AVRO"))
out["id"] = sid
out["again"] = c.register_schema("py-ships-value", Schema(schema_str, "AVRO"))
got = c.get_schema(sid)
out["type"] = got.schema_type
out["schema"] = json.loads(got.schema_str)
latest = c.get_latest_version("py-ships-value")
out["latest"] = [latest.schema_id, latest.subject, latest.version]
found = c.lookup_schema("py-ships-value", Schema(schema_str, "AVRO"))
out["lookup"] = [found.schema_id, found.version]
out["subjects"] = c.get_subjects()
out["versions"] = c.get_versions("py-ships-value")
c.set_compatibility("py-ships-value", "FULL")
out["compat"] = c.get_compatibility("py-ships-value")
breaking = json.dumps({"type": "record", "name": "Ship", "namespace": "ais", "fields": [{"name": "mmsi", "type": "int"}]})
out["is_compatible"] = c.test_compatibility("py-ships-value", Schema(breaking, "AVRO"))
try:
    c.register_schema("py-ships-value", Schema(breaking, "AVRO"))
    out["refused"] = None
except SchemaRegistryError as e:
    out["refused"] = [e.http_status_code, e.error_code]

ser = AvroSerializer(c, schema_str)
de = AvroDeserializer(c, schema_str)
ctx = SerializationContext("py-topic", MessageField.VALUE)
data = ser({"mmsi": 244670316, "name": "SEAWAY"}, ctx)
out["wire"] = [data[0], int.from_bytes(data[1:5], "big")]
out["roundtrip"] = de(data, ctx)
print(json.dumps(out))
`;

// fast-data-dev's AIS flow: key and value schemas registered by the serializers, 200 real reports
// serialised and read back unchanged (timestamps are nanoseconds, beyond JavaScript's safe integers).
const AIS_SCRIPT = `
import gzip, json, sys
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer, AvroDeserializer
from confluent_kafka.serialization import SerializationContext, MessageField

url, data = sys.argv[1], sys.argv[2]
c = SchemaRegistryClient({"url": url})
value_schema = open(data + "/classAPositionReportSchema.json").read()
key_schema = open(data + "/classAPositionReportSchemaKey.json").read()
ser_v, de_v = AvroSerializer(c, value_schema), AvroDeserializer(c)
ser_k, de_k = AvroSerializer(c, key_schema), AvroDeserializer(c)
vctx = SerializationContext("ais-positions", MessageField.VALUE)
kctx = SerializationContext("ais-positions", MessageField.KEY)
same = 0
with gzip.open(data + "/ais.txt.gz", "rt") as f:
    for i, line in enumerate(f):
        if i == 200:
            break
        key, value = (json.loads(p) for p in line.rstrip("\\n").split("\\t"))
        k, v = ser_k(key, kctx), ser_v(value, vctx)
        back_k, back_v = de_k(k, kctx), de_v(v, vctx)
        # floats travel as 32-bit: compare them after the same rounding
        back_v["Speed"], back_v["Course"], back_v["Turn"] = value["Speed"], value["Course"], value["Turn"]
        same += back_k == key and back_v == value
print(json.dumps({"same": same, "subjects": sorted(c.get_subjects())}))
`;

const aisData = sharedData('data/fast-data-dev');
const haveAis = aisData && existsSync(`${aisData}/ais.txt.gz`);

for (const b of backends) {
  describe(`python confluent_kafka.schema_registry on ${b.name} storage`, {
    skip: b.skip || (!python && 'no python3 confluent_kafka with fastavro and requests'),
  }, () => {
    let r: RunningSchemaRegistry;
    before(async () => {
      r = await startSchemaRegistry({ port: 0, store: b.store(b.newLocation('python')) });
    });
    after(() => r?.close());

    test('SchemaRegistryClient and the Avro serializer work end to end', async () => {
      const { stdout } = await run(python as string, ['-c', SCRIPT, r.url], { timeout: 60_000 });
      const out = JSON.parse(stdout);
      assert.equal(out.again, out.id);
      assert.equal(out.type, 'AVRO');
      assert.equal(out.schema.name, 'Ship');
      assert.deepEqual(out.latest, [out.id, 'py-ships-value', 1]);
      assert.deepEqual(out.lookup, [out.id, 1]);
      assert.ok(out.subjects.includes('py-ships-value'));
      assert.deepEqual(out.versions, [1]);
      assert.equal(out.compat, 'FULL');
      assert.equal(out.is_compatible, false);
      assert.deepEqual(out.refused, [409, 40901]);
      // the serializer registered under the topic's subject, py-topic-value
      const topicSubject = await call(r.url, 'GET', '/subjects/py-topic-value/versions/latest');
      assert.equal(topicSubject.status, 200);
      assert.deepEqual(out.wire, [0, topicSubject.body.id]);
      assert.deepEqual(out.roundtrip, { mmsi: 244670316, name: 'SEAWAY' });
    });

    test("fast-data-dev's AIS reports round-trip through the Avro serializers", {
      skip: !haveAis && 'no ../shared data',
    }, async () => {
      const { stdout } = await run(python as string, ['-c', AIS_SCRIPT, r.url, aisData as string], { timeout: 60_000 });
      const out = JSON.parse(stdout);
      assert.equal(out.same, 200);
      assert.ok(out.subjects.includes('ais-positions-value'));
      assert.ok(out.subjects.includes('ais-positions-key'));
    });
  });
}
