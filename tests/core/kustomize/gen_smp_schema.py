"""Regenerate `fleetops/core/kustomize/data/smp-schema-1.25.json` from kubernetes-validate's 1.25
definitions: `.venv/bin/python tests/core/kustomize/gen_smp_schema.py`."""

from __future__ import annotations

from typing import Any

from fleetops.core.kustomize.smp_schema import DATA_FILE, SCHEMA_VERSION, compact_definitions, table_text
from fleetops.core.schema.definitions import load_definitions


def expected_table() -> dict[str, dict[str, Any]]:
    definitions = load_definitions(SCHEMA_VERSION)
    return compact_definitions({name: definitions.definition(name) or {} for name in definitions.names()})


def text() -> str:
    return table_text(expected_table())


if __name__ == "__main__":
    with open(DATA_FILE, "w", encoding="utf-8") as handle:
        handle.write(text())
    print(f"wrote {DATA_FILE}")
