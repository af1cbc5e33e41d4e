# Every SchemaRegistryClient call of a current confluent-kafka (2.x from PyPI) that Seaway serves,
# plus the Avro, JSON Schema and Protobuf serializer/deserializer round trips. Prints one JSON
# object of observations; the Node test asserts on it. Usage: python_client.py URL
import json
import sys

from confluent_kafka.schema_registry import Schema, SchemaReference, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.serialization import MessageField, SerializationContext

url = sys.argv[1]
out = {}
c = SchemaRegistryClient({"url": url})


def err(fn):
    try:
        fn()
        return None
    except SchemaRegistryError as e:
        return [e.http_status_code, e.error_code]


ship = json.dumps({"type": "record", "name": "Ship", "namespace": "ais",
                   "fields": [{"name": "mmsi", "type": "long"}]})
ship2 = json.dumps({"type": "record", "name": "Ship", "namespace": "ais",
                    "fields": [{"name": "mmsi", "type": "long"}, {"name": "name", "type": "string", "default": ""}]})
breaking = json.dumps({"type": "record", "name": "Ship", "namespace": "ais",
                       "fields": [{"name": "mmsi", "type": "string"}]})

out["types"] = sorted(c.get_schema_types())
out["contexts"] = c.get_contexts()
sid = c.register_schema("py-value", Schema(ship, "AVRO"))
full = c.register_schema_full_response("py-value", Schema(ship2, "AVRO"))
out["ids"] = [sid, full.schema_id]
out["get_schema"] = c.get_schema(sid).schema_type
out["subjects_by_id"] = c.get_subjects_by_schema_id(sid)
out["schema_versions"] = [[v.subject, v.version] for v in c.get_schema_versions(sid)]
latest = c.get_latest_version("py-value")
out["latest"] = [latest.schema_id, latest.version]
out["version1"] = c.get_version("py-value", 1).schema_id
out["versions"] = c.get_versions("py-value")
out["lookup"] = c.lookup_schema("py-value", Schema(ship, "AVRO")).version
out["lookup_normalized"] = c.lookup_schema("py-value", Schema(ship, "AVRO"), normalize_schemas=True).version
out["subjects"] = c.get_subjects()
out["subjects_page"] = c.get_subjects(offset=0, limit=1)
out["test_compat"] = c.test_compatibility("py-value", Schema(breaking, "AVRO"))
out["test_compat_v1"] = c.test_compatibility("py-value", Schema(ship2, "AVRO"), version=1)
out["test_compat_all"] = c.test_compatibility_all_versions("py-value", Schema(ship2, "AVRO"))
out["refused"] = err(lambda: c.register_schema("py-value", Schema(breaking, "AVRO")))

out["set_compat"] = c.set_compatibility("py-value", "FULL")
out["get_compat"] = c.get_compatibility("py-value")
out["global_compat"] = c.get_compatibility()
out["get_config"] = c.get_config("py-value").compatibility_level
out["delete_config"] = c.delete_config("py-value").compatibility_level
out["config_gone"] = err(lambda: c.get_config("py-value"))
out["global_mode"] = c.get_global_mode()
out["update_mode"] = c.update_mode("py-value", "READONLY")
out["get_mode"] = c.get_mode("py-value")
out["readonly_refused"] = err(lambda: c.register_schema("py-value", Schema(breaking, "AVRO")))
out["delete_mode"] = c.delete_mode("py-value")
out["update_global_mode"] = c.update_global_mode("READWRITE")

# references and referencedby
pos = json.dumps({"type": "record", "name": "Pos", "namespace": "ais", "fields": [{"name": "lat", "type": "double"}]})
c.register_schema("py-pos", Schema(pos, "AVRO"))
report = json.dumps({"type": "record", "name": "Report", "namespace": "ais", "fields": [{"name": "p", "type": "Pos"}]})
rid = c.register_schema("py-report", Schema(report, "AVRO", [SchemaReference("ais.Pos", "py-pos", 1)]))
out["referenced_by"] = c.get_referenced_by("py-pos", 1) == [rid]
out["ref_delete_refused"] = err(lambda: c.delete_subject("py-pos"))

# the deletes: version soft then permanent, subject soft then permanent
out["delete_version"] = c.delete_version("py-value", 2)
out["versions_after"] = c.get_versions("py-value")
out["deleted_versions"] = c.get_versions("py-value", deleted=True)
out["deleted_only"] = c.get_versions("py-value", deleted_only=True)
out["version_soft_again"] = err(lambda: c.delete_version("py-value", 2))
out["delete_version_permanent"] = c.delete_version("py-value", 2, permanent=True)
out["delete_subject"] = c.delete_subject("py-value")
out["subject_gone"] = err(lambda: c.get_versions("py-value"))
out["deleted_subjects"] = "py-value" in c.get_subjects(deleted=True)
out["delete_subject_permanent"] = c.delete_subject("py-value", permanent=True)
out["missing_schema"] = err(lambda: c.get_schema(987654))
out["missing_version"] = err(lambda: c.get_version("py-pos", 9))

# serializers for the three types
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer  # noqa: E402
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer  # noqa: E402
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer  # noqa: E402

ctx = SerializationContext("py-avro", MessageField.VALUE)
data = AvroSerializer(c, ship)({"mmsi": 244670316}, ctx)
out["avro"] = AvroDeserializer(c)(data, ctx)

jschema = json.dumps({"$schema": "http://json-schema.org/draft-07/schema#", "title": "Ship", "type": "object",
                      "properties": {"mmsi": {"type": "integer"}, "name": {"type": "string"}}, "required": ["mmsi"]})
ctx = SerializationContext("py-json", MessageField.VALUE)
data = JSONSerializer(jschema, c)({"mmsi": 244670316, "name": "SEAWAY"}, ctx)
out["json"] = JSONDeserializer(None, schema_registry_client=c)(data, ctx)
out["json_type"] = c.get_latest_version("py-json-value").schema.schema_type

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory  # noqa: E402

fdp = descriptor_pb2.FileDescriptorProto(name="ship.proto", package="ais", syntax="proto3")
m = fdp.message_type.add(name="Ship")
m.field.add(name="mmsi", number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_INT64,
            label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
m.field.add(name="name", number=2, type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
            label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
pool = descriptor_pool.DescriptorPool()
pool.Add(fdp)
Ship = message_factory.GetMessageClass(pool.FindMessageTypeByName("ais.Ship"))
ctx = SerializationContext("py-proto", MessageField.VALUE)
data = ProtobufSerializer(Ship, c, {"use.deprecated.format": False})(Ship(mmsi=244670316, name="SEAWAY"), ctx)
back = ProtobufDeserializer(Ship, {"use.deprecated.format": False}, c)(data, ctx)
out["proto"] = {"mmsi": back.mmsi, "name": back.name}
stored = c.get_latest_version("py-proto-value").schema
out["proto_stored"] = [stored.schema_type, "message Ship" in stored.schema_str]
print(json.dumps(out))
