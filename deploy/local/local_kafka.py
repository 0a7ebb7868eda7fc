"""Apache Kafka (KRaft, single node) for servers.py: the jars from Maven Central
(deploy/local/pom.xml) on the machine's Java 17, its configuration and storage under the
state directory, and every topic of contracts/ (with its DLQ) created once it answers."""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

from processes import LOGS, POM, STATE, ServerError, maven, pid_of, port_open, spawn, wait

KAFKA_PORT = int(os.environ.get("SEVA_KAFKA_PORT", "19092"))
KAFKA_VERSION = re.search(r"<kafka.version>([^<]+)<", POM.read_text()).group(1)  # type: ignore[union-attr]
TOPIC_PARTITIONS = 3


def _libs() -> Path:
    libs = STATE / "kafka" / f"libs-{KAFKA_VERSION}"
    if not (libs / f"kafka_2.13-{KAFKA_VERSION}.jar").exists():
        tmp = libs.with_suffix(".partial")
        shutil.rmtree(tmp, ignore_errors=True)
        maven(
            f"Apache Kafka {KAFKA_VERSION} jars",
            "dependency:copy-dependencies",
            f"-DoutputDirectory={tmp}",
            "-DincludeScope=runtime",
        )
        tmp.rename(libs)
    return libs


def _config() -> Path:
    kafka = STATE / "kafka"
    data = kafka / "data"
    config = kafka / "server.properties"
    kafka.mkdir(parents=True, exist_ok=True)
    controller = KAFKA_PORT + 1
    config.write_text(
        "\n".join(
            [
                "process.roles=broker,controller",
                "node.id=1",
                f"controller.quorum.voters=1@127.0.0.1:{controller}",
                f"listeners=PLAINTEXT://127.0.0.1:{KAFKA_PORT},CONTROLLER://127.0.0.1:{controller}",
                f"advertised.listeners=PLAINTEXT://127.0.0.1:{KAFKA_PORT}",
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                f"log.dirs={data}",
                f"num.partitions={TOPIC_PARTITIONS}",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=168",
                "",
            ]
        )
    )
    (kafka / "log4j2.properties").write_text(
        "\n".join(
            [
                "rootLogger.level=INFO",
                "rootLogger.appenderRef.stdout.ref=STDOUT",
                "appender.stdout.type=Console",
                "appender.stdout.name=STDOUT",
                "appender.stdout.layout.type=PatternLayout",
                "appender.stdout.layout.pattern=[%d] %p %m (%c)%n",
                "logger.kafka.name=kafka",
                "logger.kafka.level=INFO",
                "logger.state.name=state.change.logger",
                "logger.state.level=WARN",
                "",
            ]
        )
    )
    if not (data / "meta.properties").exists():
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        formatted = subprocess.run(
            [
                "java",
                "-cp",
                f"{_libs()}/*",
                "kafka.tools.StorageTool",
                "format",
                f"--cluster-id={cluster_id}",
                "-c",
                str(config),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if formatted.returncode:
            raise ServerError(f"formatting Kafka storage failed: {formatted.stderr[-2000:]}")
    return config


def _ready() -> bool:
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    from contracts.topics import TOPICS, dlq

    if not port_open(KAFKA_PORT):
        return False
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)

    async def check() -> bool:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=f"127.0.0.1:{KAFKA_PORT}", request_timeout_ms=3000
        )
        await admin.start()
        try:
            await admin.describe_cluster()
            existing = set(await admin.list_topics())
            wanted = [t for name in TOPICS for t in (name, dlq(name)) if t not in existing]
            if wanted:
                await admin.create_topics(
                    [NewTopic(t, TOPIC_PARTITIONS, 1) for t in wanted], validate_only=False
                )
            return True
        finally:
            await admin.close()

    return asyncio.run(check())


def up() -> bool:
    """Start Kafka unless it runs; True when this call started it."""
    pid = pid_of("kafka")
    started = False
    if pid is None:
        if port_open(KAFKA_PORT):
            raise ServerError(f"port {KAFKA_PORT} is taken by another process")
        config = _config()
        libs = _libs()
        java = [
            "java",
            "-Xms256m",
            "-Xmx1g",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={config.with_name('log4j2.properties')}",
            "-cp",
            f"{libs}/*",
            "kafka.Kafka",
            str(config),
        ]
        pid = spawn("kafka", java)
        started = True
    wait("kafka", _ready, pid)
    print(
        f"kafka {_running_version()} (KRaft) ready at 127.0.0.1:{KAFKA_PORT} "
        f"pid {pid} {'started' if started else 'reused'}; log {LOGS / 'kafka.log'}"
    )
    return started


def _running_version() -> str:
    """The version the running broker printed at start-up (its AppInfoParser line)."""
    log = LOGS / "kafka.log"
    found = (
        re.findall(r"Kafka version: (\S+)", log.read_text(errors="replace")) if log.exists() else []
    )
    return found[-1] if found else KAFKA_VERSION
