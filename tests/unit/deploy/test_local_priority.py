"""The local stack weighs each service's CPU as its Kubernetes CPU request does."""

from __future__ import annotations

import importlib.util
import math
import subprocess
import sys
from functools import partial
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[3]
K8S = ROOT / "deploy" / "k8s" / "base"


def local_services() -> Any:
    path = ROOT / "deploy" / "local" / "services.py"
    spec = importlib.util.spec_from_file_location("local_services", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def millicores(text: str) -> float:
    return float(text[:-1]) if text.endswith("m") else float(text) * 1000


def cpu_requests() -> dict[str, float]:
    found = {}
    for path in K8S.glob("*/deployment.yaml"):
        deployment = yaml.safe_load(path.read_text())
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        found[path.parent.name] = millicores(str(container["resources"]["requests"]["cpu"]))
    return found


def test_each_service_weighs_as_its_kubernetes_cpu_request() -> None:
    requests, nice = cpu_requests(), local_services().NICE
    assert set(requests) == set(nice) - {"sms-gateway"}
    top = max(requests.values())
    for name, request in requests.items():
        # each nice step weighs about 1.25 times less (the kernel's weight table)
        assert nice[name] == round(math.log(top / request, 1.25)), name
    assert nice["otp"] < nice["notify"]  # the portal's answers come before queued SMS work
    assert nice["sms-gateway"] == nice["notify"]


def test_a_started_process_runs_at_its_lower_priority() -> None:
    module = local_services()
    probe = (
        "import os, pathlib; auto = pathlib.Path('/proc/self/autogroup');"
        "print(os.nice(0), auto.read_text().split()[-1] if auto.exists() else 'none')"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe],
        start_new_session=True,
        preexec_fn=partial(module.lower_priority, 4),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shown[0] == "4"
    assert shown[1] in ("4", "none")
