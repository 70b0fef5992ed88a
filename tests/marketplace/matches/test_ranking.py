"""The matcher end to end on the real model: embedding, both directions, hard requirements."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from marketplace.leads.refresh import leads_refresh_due
from marketplace.matches.embeddings import embedding_status, embeddings_refresh
from marketplace.matches.lists import match_lists_refresh_due
from marketplace.matches.ranking import rank_capability, rank_need
from marketplace.matches.selectors import MatchesState, need_matches_read
from marketplace.models import Capability, Lead, Need
from marketplace.needs.services import need_create, need_update
from matching.encoders import EncoderOptions, encoder_name, get_encoder
from matching.models import Embedding

pytestmark = pytest.mark.django_db

# The stored name and dimension of each model the suite runs on (MATCHING_MODEL selects it:
# EmbeddingGemma by default, e5 in `make test`'s second pass).
STORED = {
    "embeddinggemma-300m": ("embeddinggemma-300m+onnx+int8+max256+d512", 512),
    "multilingual-e5-small": ("multilingual-e5-small+int8+max256", 384),
}


def stored() -> tuple[str, int]:
    from pathlib import Path

    from django.conf import settings

    return STORED[Path(settings.MATCHING_MODEL).name]


def test_every_need_and_profile_gets_one_vector_of_the_current_model(
    embedded: dict[str, Any],
) -> None:
    assert Embedding.objects.filter(kind="need").count() == Need.objects.count() == 2
    assert Embedding.objects.filter(kind="capability").count() == Capability.objects.count() == 3
    row = Embedding.objects.get(kind="need", object_id=embedded["need"].pk)
    assert (row.model_name, row.dimension) == stored()
    assert "中风老人下肢康复训练设备" in row.text
    # A second run finds nothing to do.
    assert embeddings_refresh().embedded == {"capability": 0, "need": 0}


def test_a_refresh_with_nothing_to_embed_does_not_load_the_model(
    embedded: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from marketplace.matches import embeddings

    def no_model() -> None:
        raise AssertionError("the model was loaded with nothing to embed")

    monkeypatch.setattr(embeddings, "get_encoder", no_model)
    report = embeddings_refresh()
    assert report.as_dict() == {
        "model": stored()[0],
        "embedded": {"capability": 0, "need": 0},
        "removed": {"capability": 0, "need": 0},
    }
    # A dirty row needs the model again.
    Need.objects.filter(pk=embedded["need"].pk).update(embedding_dirty=True)
    with pytest.raises(AssertionError, match="the model was loaded"):
        embeddings_refresh()


def test_an_edited_need_is_re_embedded_and_nothing_else(embedded: dict[str, Any]) -> None:
    need = embedded["need"]
    need_update(need=need, user=None, fields={"title": "偏瘫老人走路训练"})

    report = embeddings_refresh()

    assert report.embedded == {"capability": 0, "need": 1}
    assert "偏瘫老人走路训练" in Embedding.objects.get(kind="need", object_id=need.pk).text


def test_an_encoder_setting_change_makes_every_vector_visibly_outdated(
    embedded: dict[str, Any],
) -> None:
    name_now, dimension = stored()
    assert Embedding.objects.outdated(encoder_name(), dimension).count() == 0
    for name, value in (
        ("MATCHING_ENCODER_QUANTIZE", "none"),
        ("MATCHING_MAX_SEQ_LENGTH", 512),
        ("MATCHING_ENCODER_BACKEND", "torch" if "+onnx" in name_now else "onnx"),
    ):
        with override_settings(**{name: value}):
            assert encoder_name() != name_now
            assert Embedding.objects.outdated(encoder_name(), dimension).count() == 5


def test_encoder_options_are_checked_and_named() -> None:
    assert EncoderOptions(quantize="none", max_seq_length=512).suffix == "+max512"
    with pytest.raises(ValueError, match="quantize"):
        EncoderOptions(quantize="int4")
    assert EncoderOptions(backend="onnx", truncate_dim=512).suffix == "+onnx+int8+max256+d512"
    with pytest.raises(ValueError, match="backend"):
        EncoderOptions(backend="tensorflow")


def test_a_model_change_makes_every_vector_visibly_outdated(embedded: dict[str, Any]) -> None:
    Embedding.objects.filter(kind="capability").update(model_name="an-older-model")

    status = embedding_status()
    assert status["capability"]["outdated"] == 3
    assert status["capability"]["current"] == 0

    assert embeddings_refresh().embedded["capability"] == 3
    assert embedding_status()["capability"]["outdated"] == 0


def test_the_certified_profile_ranks_first_and_the_uncertified_one_is_marked(
    embedded: dict[str, Any],
) -> None:
    matches = rank_need(embedded["need"], top=10)

    order = [m.capability_id for m in matches]
    assert order[0] == embedded["certified"].pk
    uncertified = next(m for m in matches if m.capability_id == embedded["uncertified"].pk)
    assert uncertified.eligible is False
    assert uncertified.failed_requirements == ("certifications",)
    assert all(m.eligible for m in matches[: order.index(uncertified.capability_id)])
    reasons = {a.key: a for a in matches[0].aspects}
    assert reasons["certifications"].status == "met"
    assert reasons["category:rehab_training"].status == "met"


def test_an_english_need_finds_the_chinese_delivery_robot(embedded: dict[str, Any]) -> None:
    matches = rank_need(embedded["english"], top=3)
    assert matches[0].capability_id == embedded["delivery"].pk


def test_a_profile_gets_the_needs_it_fits_as_leads(embedded: dict[str, Any]) -> None:
    leads = rank_capability(embedded["certified"], top=5)
    assert leads[0].need_id == embedded["need"].pk
    assert leads[0].eligible is True
    delivery_leads = rank_capability(embedded["delivery"], top=5)
    assert delivery_leads[0].need_id == embedded["english"].pk


def test_unpublished_profiles_are_never_suggested(embedded: dict[str, Any]) -> None:
    Capability.objects.filter(pk=embedded["certified"].pk).update(status="archived")
    matches = rank_need(embedded["need"], top=10)
    assert embedded["certified"].pk not in [m.capability_id for m in matches]


def test_an_edited_need_is_read_without_running_the_model_until_the_worker_ranks_it_again(
    embedded: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reads never encode: until the worker stores the edited need's vector and list, the page
    shows the list ranked before the edit, marked as updating; then the new ranking."""
    need = embedded["need"]
    before = need_matches_read(need, top=10)
    assert before.state == MatchesState.READY and before.matches
    need_update(need=need, user=None, fields={"title": "偏瘫老人走路训练"})
    need.refresh_from_db()
    encoder = get_encoder()
    encoded: list[str] = []
    real_encode = encoder.encode

    def counting(texts: Any, **options: Any) -> Any:
        encoded.extend(texts)
        return real_encode(texts, **options)

    monkeypatch.setattr(encoder, "encode", counting)

    assert rank_need(need, top=10) == []  # its text has no stored vector yet
    waiting = need_matches_read(need, top=10)
    assert encoded == []
    assert waiting.state == MatchesState.UPDATING
    assert [m.capability_id for m in waiting.matches] == [m.capability_id for m in before.matches]

    assert embeddings_refresh().embedded == {"capability": 0, "need": 1}
    assert len(encoded) == 1 and "偏瘫老人走路训练" in encoded[0]
    assert match_lists_refresh_due().needs == 1
    after = need_matches_read(need, top=10)
    assert after.state == MatchesState.READY
    assert [(m.capability_id, m.score) for m in after.matches] == [
        (m.capability_id, m.score) for m in rank_need(need, top=10)
    ]
    assert len(encoded) == 1
    assert match_lists_refresh_due().needs == 0  # nothing left out of date


def test_a_need_waiting_for_its_vector_becomes_leads_after_the_pass_that_embeds_it(
    embedded: dict[str, Any], alice: Any
) -> None:
    leads_refresh_due()  # the catalogue's own needs and profiles are done
    need = need_create(
        organization=alice.organization,
        created_by=alice,
        fields={
            "title": "夜间送药机器人",
            "description": "养老院夜里需要把药品送到各楼层，希望机器人能自己乘电梯。",
            "domain": embedded["need"].domain,
            "region": embedded["need"].region,
        },
        submit=True,
    )
    assert Need.objects.due_for_leads().filter(pk=need.pk).exists()

    # the sweep leaves it alone while it has no vector (no second run of the model for it)
    assert leads_refresh_due().needs == 0
    assert not Lead.objects.filter(need=need).exists()

    # the embedding pass stores its vector; the sweep after it makes its leads
    assert embeddings_refresh().embedded["need"] == 1
    assert leads_refresh_due().needs == 1
    assert Lead.objects.filter(need=need, capability=embedded["delivery"]).exists()
