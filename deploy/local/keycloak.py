"""Keycloak (officer identity) for deploy/local/servers.py, run like Kafka and mongod.

The distribution zip `org.keycloak:keycloak-quarkus-dist` comes from Maven Central through
deploy/local/pom.xml (`mvn dependency:unpack`) and runs `kc.sh start-dev` on the machine's
Java 17, bound to 127.0.0.1:SEVA_KEYCLOAK_PORT (18080; its management interface on the
next port). Everything lives under <state>/keycloak/: the unpacked distribution, its H2
database (inside the distribution's data/ folder), the generated admin password. The realm
deploy/keycloak/seva-realm.json is imported at start (`--import-realm`); a realm that exists
already is left as it is. Healthy means the realm's OIDC discovery document is answered with
the expected issuer. `SEVA_OIDC_ISSUER` means another provider: nothing is started then.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import urllib.request
from collections.abc import Callable
from pathlib import Path

from processes import maven

LOCAL = Path(__file__).resolve().parent
REALM_FILE = LOCAL.parent / "keycloak" / "seva-realm.json"
REALM = "seva"
POM = LOCAL / "pom.xml"
KEYCLOAK_VERSION = re.search(r"<keycloak.version>([^<]+)<", POM.read_text()).group(1)  # type: ignore[union-attr]
ADMIN_USER = "admin"


def port() -> int:
    return int(os.environ.get("SEVA_KEYCLOAK_PORT", "18080"))


def base_url() -> str:
    return f"http://127.0.0.1:{port()}"


def issuer() -> str:
    """The issuer of the local realm (what SEVA_OIDC_ISSUER defaults to)."""
    return f"{base_url()}/realms/{REALM}"


def admin_password_file(state: Path) -> Path:
    return state / "keycloak" / "admin-password"


def admin_password(state: Path) -> str:
    """The bootstrap administrator's password, generated once into the state folder."""
    path = admin_password_file(state)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(24) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def home(state: Path, error: type[Exception]) -> Path:
    """The unpacked distribution, fetched with Maven on first use."""
    target = state / "keycloak" / f"keycloak-{KEYCLOAK_VERSION}"
    if not (target / "bin" / "kc.sh").exists():
        tmp = target.with_name(target.name + ".partial")
        shutil.rmtree(tmp, ignore_errors=True)
        # the dependency plugin skips an artifact its marker says it unpacked already, and
        # keeps markers under deploy/local/target whatever -DmarkersDirectory says
        shutil.rmtree(LOCAL / "target" / "dependency-maven-plugin-markers", ignore_errors=True)
        maven(
            f"Keycloak {KEYCLOAK_VERSION}",
            "dependency:unpack",
            f"-Dartifact=org.keycloak:keycloak-quarkus-dist:{KEYCLOAK_VERSION}:zip",
            f"-DoutputDirectory={tmp}",
        )
        unpacked = tmp / f"keycloak-{KEYCLOAK_VERSION}"
        for script in (unpacked / "bin").glob("*.sh"):
            script.chmod(0o755)
        unpacked.rename(target)
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def command(state: Path, error: type[Exception]) -> tuple[list[str], dict[str, str]]:
    """argv and environment of `kc.sh start-dev`, with the realm file put up for import."""
    kc = home(state, error)
    imports = kc / "data" / "import"
    imports.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REALM_FILE, imports / REALM_FILE.name)
    env = {
        **os.environ,
        "KC_BOOTSTRAP_ADMIN_USERNAME": ADMIN_USER,
        "KC_BOOTSTRAP_ADMIN_PASSWORD": admin_password(state),
        "JAVA_OPTS_KC_HEAP": "-Xms64m -Xmx512m",
    }
    argv = [
        str(kc / "bin" / "kc.sh"),
        "start-dev",
        "--http-host=127.0.0.1",
        f"--http-port={port()}",
        f"--http-management-port={port() + 1}",
        f"--hostname={base_url()}",
        "--import-realm",
    ]
    return argv, env


def ready() -> bool:
    """The realm's discovery document answers, naming the expected issuer."""
    url = f"{issuer()}/.well-known/openid-configuration"
    with urllib.request.urlopen(url, timeout=3) as answer:  # noqa: S310 (local http)
        document = json.load(answer)
    return bool(document.get("issuer") == issuer() and document.get("jwks_uri"))


def running_version(logs: Path) -> str:
    log = logs / "keycloak.log"
    found = (
        re.findall(r"Keycloak (\d+\.\d+\.\d+)", log.read_text(errors="replace"))
        if log.exists()
        else []
    )
    return found[-1] if found else KEYCLOAK_VERSION


def up(
    state: Path,
    logs: Path,
    pid_of: Callable[[str], int | None],
    port_open: Callable[[int], bool],
    spawn: Callable[[str, list[str], dict[str, str]], int],
    wait: Callable[[str, Callable[[], bool], int], None],
    error: type[Exception],
) -> bool:
    """Start Keycloak unless it runs; True when this call started it."""
    pid = pid_of("keycloak")
    started = False
    if pid is None:
        if port_open(port()):
            raise error(f"port {port()} is taken by another process")
        argv, env = command(state, error)
        pid = spawn("keycloak", argv, env)
        started = True
    wait("keycloak", ready, pid)
    print(
        f"keycloak {running_version(logs)} (realm {REALM}) ready at {base_url()} "
        f"pid {pid} {'started' if started else 'reused'}; issuer {issuer()}; "
        f"admin '{ADMIN_USER}', password in {admin_password_file(state)}; "
        f"log {logs / 'keycloak.log'}"
    )
    return started
