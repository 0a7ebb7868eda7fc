"""Print (or check) the README's settings table, generated from each service's settings
class so the README never drifts from the code.

    python scripts/settings_table.py          print the table
    python scripts/settings_table.py --write  rewrite it in README.md between the markers
    python scripts/settings_table.py --check  exit 1 when README.md is stale
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from pydantic import AliasChoices, SecretStr
from pydantic_settings import BaseSettings

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BEGIN, END = "<!-- settings:begin -->", "<!-- settings:end -->"
CLASSES = {
    "ingest": "ingest.settings:IngestSettings",
    "certification": "certification.settings:CertificationSettings",
    "otp": "otp.settings:OtpSettings",
    "notify": "notify.settings:NotifySettings",
    "console": "console.settings:ConsoleSettings",
}


def _env_name(settings: type[BaseSettings], field: str) -> str:
    info = settings.model_fields[field]
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    if isinstance(alias, str):
        return alias
    return f"{settings.model_config.get('env_prefix', '')}{field}".upper()


def _default(settings: type[BaseSettings], field: str) -> str:
    info = settings.model_fields[field]
    if info.is_required():
        return "**required**"
    if info.default_factory is not None:
        return (
            "(local server)"
            if "local" in getattr(info.default_factory, "__name__", "")
            else "(computed)"
        )
    if info.annotation is SecretStr:
        return "(secret)"
    return f"`{info.default}`"


def table() -> str:
    rows: dict[str, tuple[list[str], str, str]] = {}
    for service, path in CLASSES.items():
        module_name, class_name = path.split(":")
        settings = getattr(importlib.import_module(module_name), class_name)
        for field, info in settings.model_fields.items():
            env = _env_name(settings, field)
            description = (info.description or "").replace("|", "/")
            users, default, _ = rows.setdefault(env, ([], _default(settings, field), description))
            users.append(service)
    lines = ["| setting | service | default | meaning |", "| --- | --- | --- | --- |"]
    for env, (users, default, description) in rows.items():
        who = "all" if len(users) == len(CLASSES) else ", ".join(users)
        lines.append(f"| `{env}` | {who} | {default} | {description} |")
    return "\n".join(lines)


def _readme_with(table_text: str) -> str:
    text = README.read_text()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n" + table_text + "\n" + text[end:]


def main() -> int:
    if "--check" in sys.argv[1:]:
        if README.read_text() != _readme_with(table()):
            print("README settings table is stale: run `make contracts`", file=sys.stderr)
            return 1
        return 0
    if "--write" in sys.argv[1:]:
        README.write_text(_readme_with(table()))
        return 0
    print(table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
