"""The committed AsyncAPI document is generated from the contracts and kept current."""

from __future__ import annotations

from typing import Any

import yaml

from contracts import asyncapi
from contracts.catalog import CALL_EVENTS, STORE_QUERIES, TOOL_REQUESTS


def test_committed_document_is_current() -> None:
    assert asyncapi.is_current(), (
        "run `equity-connect asyncapi --write` and commit docs/asyncapi.yaml"
    )


def test_document_lists_every_channel() -> None:
    doc = yaml.safe_load(asyncapi.DOC_PATH.read_text())
    assert doc["asyncapi"].startswith("3.")
    addresses = {c["address"] for c in doc["channels"].values() if c["address"]}
    for event in CALL_EVENTS:
        assert f"calls.{{call_id}}.{event.value}" in addresses
    for tool in TOOL_REQUESTS:
        assert f"tools.{tool.value}" in addresses
    for query in STORE_QUERIES:
        assert f"store.{query.value}" in addresses
    assert "dlq.{original_subject}" in addresses


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_every_reference_resolves() -> None:
    doc = yaml.safe_load(asyncapi.render())
    for ref in _refs(doc):
        target: Any = doc
        for part in ref.removeprefix("#/").split("/"):
            assert part in target, f"dangling reference {ref}"
            target = target[part]


def test_a_change_to_a_contract_makes_the_document_stale(tmp_path) -> None:  # type: ignore[no-untyped-def]
    stale = tmp_path / "asyncapi.yaml"
    stale.write_text(asyncapi.render().replace("heard_text", "heard"))
    assert not asyncapi.is_current(stale)
    asyncapi.write(stale)
    assert asyncapi.is_current(stale)
