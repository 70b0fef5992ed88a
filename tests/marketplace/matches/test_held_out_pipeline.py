"""The held-out pipeline, by its commands, on an empty database: import → reindex → rank as JSON.

A separately written catalog is scored this way, so the test runs exactly those three commands on
the labelled development catalog (its judgements removed, as an outside catalog has none) and
checks the JSON a scorer reads: every published need, eligible profiles first, reasons given, and
the profiles judged a perfect fit found near the top.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from marketplace.models import Capability, Need

ROOT = Path(__file__).resolve().parents[3]
DEVSET = ROOT / "bench" / "data" / "devset.json"

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_out(tmp_path: Path) -> tuple[Path, dict[str, dict[str, int]]]:
    document = json.loads(DEVSET.read_text("utf-8"))
    judgements: dict[str, dict[str, int]] = document.pop("judgements")
    document.pop("notes", None)
    catalog = tmp_path / "held-out.json"
    catalog.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return catalog, judgements


def test_import_reindex_and_rank_all_needs_as_json_from_an_empty_database(
    held_out: tuple[Path, dict[str, dict[str, int]]], model_path: Path
) -> None:
    # given: an empty database (no taxonomy either: the import loads it)
    catalog, judgements = held_out
    assert not Need.objects.exists() and not Capability.objects.exists()

    # when
    call_command("marketplace_import", str(catalog), stdout=StringIO(), stderr=StringIO())
    call_command("matching_reindex", stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("matching_rank", "--all-needs", "--format", "json", "--top", "5", stdout=out)
    ranked: dict[str, list[dict[str, Any]]] = json.loads(out.getvalue())

    # then: one entry per published need, each a list of at most 5 scored profiles with reasons
    published = set(Need.objects.published().values_list("ref", flat=True))
    assert set(ranked) == published and len(published) == len(judgements)
    for items in ranked.values():
        assert 0 < len(items) <= 5
        eligible = [item["eligible"] for item in items]
        assert eligible == sorted(eligible, reverse=True)  # never an ineligible one above
        for item in items:
            assert item["capability"].startswith("dev-c")
            assert item["reasons"]
            for reason in item["reasons"]:
                assert set(reason) == {"aspect", "verdict", "text", "evidence"}
                assert reason["verdict"] in {"met", "partly", "unknown", "missing", "contradicted"}
                assert reason["text"] and isinstance(reason["evidence"], str)
            assert abs(sum(item["breakdown"].values()) - item["score"]) < 1e-3
    # and the profiles judged a perfect fit (gain 2) are mostly in the top 3
    hits = total = 0
    for need_ref, gains in judgements.items():
        perfect = {ref for ref, gain in gains.items() if gain == 2}
        if not perfect:
            continue
        top3 = {item["capability"] for item in ranked[need_ref][:3]}
        hits += bool(perfect & top3)
        total += 1
    assert total > 0 and hits / total >= 0.9
