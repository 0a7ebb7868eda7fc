"""The production overlay's Kafka (Strimzi) and MongoDB (Community Operator): Kafka in
KRaft mode on a node pool of controllers and brokers, on the local Kafka's version, reached
through the bootstrap Service Strimzi creates; MongoDB a three-member replica set the
services reach with the operator's URI Secret. Both are checked against the vendored CRD
schemas, whose operator versions docs/deploy.md names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.unit.deploy.k8s_manifests import (
    CRD_SCHEMAS,
    K8S,
    ROOT,
    SETTINGS,
    Manifest,
    broken_copy,
    documents,
    manifests,
    schema_problems,
    settings_class,
)


def _one(kind: str) -> Manifest:
    (found,) = manifests(kind).values()
    return found


def test_kafka_runs_in_kraft_mode_on_a_node_pool_of_controllers_and_brokers() -> None:
    kafka, pool = _one("Kafka"), _one("KafkaNodePool")
    assert kafka["metadata"]["annotations"] == {
        "strimzi.io/node-pools": "enabled",
        "strimzi.io/kraft": "enabled",
    }
    assert "zookeeper" not in kafka["spec"]
    assert "replicas" not in kafka["spec"]["kafka"]  # the node pool says how many
    assert pool["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"]
    assert sorted(pool["spec"]["roles"]) == ["broker", "controller"]
    assert pool["spec"]["replicas"] == 3
    config = kafka["spec"]["kafka"]["config"]
    assert config["min.insync.replicas"] == 2
    assert config["default.replication.factor"] == 3
    pom = (ROOT / "deploy" / "local" / "pom.xml").read_text()
    local = re.search(r"<kafka.version>(\d+\.\d+)\.", pom)
    assert local is not None
    assert kafka["spec"]["kafka"]["version"].startswith(local.group(1) + ".")


def test_the_services_use_the_bootstrap_service_strimzi_creates() -> None:
    kafka = _one("Kafka")
    [listener] = kafka["spec"]["kafka"]["listeners"]
    patch = documents(K8S / "overlays" / "production" / "shared-config.yaml")[0]
    expected = f"{kafka['metadata']['name']}-kafka-bootstrap:{listener['port']}"
    assert patch["data"]["KAFKA_BOOTSTRAP_SERVERS"] == expected


def test_mongodb_is_a_three_member_replica_set_the_services_reach_with_the_operator_s_uri() -> None:
    mongo = _one("MongoDBCommunity")
    spec = mongo["spec"]
    assert (spec["type"], spec["members"]) == ("ReplicaSet", 3)
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    assert compose["services"]["mongo"]["image"] == f"mongo:{spec['version']}"
    [user] = spec["users"]
    databases = {  # of the services that own a database (the console holds no data)
        fields["mongodb_database"].default
        for service in SETTINGS
        if "mongodb_database" in (fields := settings_class(service).model_fields)
    }
    assert {role["db"] for role in user["roles"] if role["name"] == "readWrite"} == databases
    assert set(user["passwordSecretRef"]) == {"name"}  # a Secret's name, never a password
    [op] = yaml.safe_load((K8S / "overlays" / "production" / "mongodb-uri.yaml").read_text())
    reference = op["value"]["valueFrom"]["secretKeyRef"]
    assert op["value"]["name"] == "MONGODB_URI"
    # the operator names the Secret <resource>-<auth database>-<user>
    assert reference == {
        "name": f"{mongo['metadata']['name']}-{user['db']}-{user['name']}",
        "key": "connectionString.standard",
    }
    patch = documents(K8S / "overlays" / "production" / "shared-config.yaml")[0]
    assert patch["data"]["MONGODB_URI"] is None  # no credential-free URI left beside it


@pytest.mark.parametrize(
    ("original", "broken", "reported"),
    [
        ("kraftMetadata: shared", "kraftMetadata: separate", "'separate' is not one of"),
        ("        tls: false", "        tsl: false", "tls"),
        ("  members: 3", "  member: 3", "member"),
        ("  type: ReplicaSet", "  type: Sharded", "'Sharded' is not one of"),
    ],
)
def test_the_operator_resources_are_checked_against_their_crd_schemas(
    tmp_path: Path, original: str, broken: str, reported: str
) -> None:
    copy, edited = broken_copy(tmp_path, "overlays/production", original, broken)
    problems = schema_problems(copy)
    assert len(problems) == 1, problems
    assert edited in problems[0]
    assert reported in problems[0]


def test_docs_name_the_operator_versions_whose_schemas_are_vendored() -> None:
    text = (ROOT / "docs" / "deploy.md").read_text()
    assert "Strimzi 0.48" in text
    assert "MongoDB Community Operator 0.13" in text
    for name in CRD_SCHEMAS.values():
        schema = json.loads((K8S / "crds" / name).read_text())
        assert "From " in schema["$comment"]
