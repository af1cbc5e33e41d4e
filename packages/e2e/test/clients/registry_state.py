# Reads and writes a schema registry with Confluent's own Python client (confluent_kafka.schema_registry,
# Debian's python3-confluent-kafka): the browser test's independent view of what the console did.
# Usage: registry_state.py URL register SUBJECT TYPE SCHEMA   -> {"id": n}
#        registry_state.py URL state SUBJECT...                -> subjects, versions, levels
import json
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

url, op = sys.argv[1], sys.argv[2]
client = SchemaRegistryClient({"url": url})


def attempt(fn):
    try:
        return {"ok": fn()}
    except SchemaRegistryError as e:
        return {"error_code": e.error_code, "http_status": e.http_status_code}


if op == "register":
    subject, kind, text = sys.argv[3], sys.argv[4], sys.argv[5]
    print(json.dumps({"id": client.register_schema(subject, Schema(text, schema_type=kind))}))
elif op == "state":
    subjects = sys.argv[3:]
    print(
        json.dumps(
            {
                "subjects": sorted(client.get_subjects()),
                "global": client.get_compatibility(),
                "per_subject": {
                    s: {
                        "versions": attempt(lambda s=s: client.get_versions(s)),
                        "compatibility": attempt(lambda s=s: client.get_compatibility(s)),
                    }
                    for s in subjects
                },
            }
        )
    )
else:
    sys.exit(f"unknown operation {op}: use register or state")
