"""Property tests of the pure ranking code over arbitrary needs, profiles and retrieval signals."""

from __future__ import annotations

import math

from hypothesis import example, given
from hypothesis import strategies as st

from matching.ranking.eligibility import failed_requirements
from matching.ranking.explanations import reason_lines
from matching.ranking.ranker import rank_capabilities
from matching.ranking.types import CapabilityFeatures, NeedFeatures, RankedMatch, Signals
from matching.ranking.vocabulary import Vocabulary
from tests.fuzz.strategies import PURE, awkward_text

# Codes drawn from a small pool, so needs and profiles overlap often, plus arbitrary text.
code = st.one_of(
    st.sampled_from(["civil_affairs", "healthcare", "material_delivery", "rehab_training", ""]),
    st.text(max_size=6),
)
codes = st.frozensets(code, max_size=4)
regions = st.frozensets(st.sampled_from(["全国", "山东省", "青岛市", "深圳市", "火星"]), max_size=3)
# Money and counts as stored: bigint columns, so negative and huge but within 64 bits.
amount = st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1)
# Lead counts come from COUNT(*): never negative.
lead_count = st.integers(min_value=0, max_value=2**31)

needs = st.builds(
    NeedFeatures,
    id=st.integers(min_value=1, max_value=10**9),
    ref=st.none() | awkward_text,
    title=awkward_text,
    description=awkward_text,
    domain=code,
    categories=codes,
    product_classes=codes,
    region=awkward_text,
    region_lineage=regions,
    required_certifications=codes,
    budget_min_cny=amount,
    budget_max_cny=amount,
    quantity=amount,
    site_environment=st.sampled_from(["", "indoor", "outdoor", "mixed", "水下"]),
    site_floors=amount,
    site_has_elevator=st.none() | st.booleans(),
    site_area_m2=amount,
)


def capabilities(capability_id: int) -> st.SearchStrategy[CapabilityFeatures]:
    return st.builds(
        CapabilityFeatures,
        id=st.just(capability_id),
        ref=st.none() | awkward_text,
        title=awkward_text,
        description=awkward_text,
        robot_type=code,
        organization_id=st.integers(min_value=0, max_value=10**9),
        organization_name=awkward_text,
        domains=codes,
        categories=codes,
        product_classes=codes,
        service_regions=regions,
        certifications=codes,
        price_min_cny=amount,
        price_max_cny=amount,
        maturity=st.sampled_from(["mass_production", "pilot", "prototype", "", "未知"]),
        pilot_capacity_per_quarter=amount,
        key_specs=awkward_text,
        reference_deployments=awkward_text,
        leads_answered=lead_count,
        leads_overdue=lead_count,
    )


# Cosine in -1..1 and BM25 before normalising (tens); beyond, but not near float overflow.
signal = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
signals = st.builds(Signals, dense=signal, lexical=signal)


@st.composite
def pools(draw: st.DrawFn) -> list[tuple[CapabilityFeatures, Signals]]:
    ids = draw(st.lists(st.integers(min_value=1, max_value=10**6), max_size=6, unique=True))
    return [(draw(capabilities(capability_id)), draw(signals)) for capability_id in ids]


vocabularies = st.builds(
    Vocabulary,
    category_names=st.dictionaries(code, awkward_text, max_size=3),
    category_keywords=st.dictionaries(code, st.tuples(awkward_text, awkward_text), max_size=3),
    domain_names=st.dictionaries(code, awkward_text, max_size=3),
    robot_type_terms=st.dictionaries(code, st.tuples(awkward_text, awkward_text), max_size=3),
)


def _check(need: NeedFeatures, matches: list[RankedMatch], pool_size: int) -> None:
    assert len(matches) == pool_size
    eligibility = [match.eligible for match in matches]
    assert eligibility == sorted(eligibility, reverse=True)  # ineligible never above eligible
    for match in matches:
        assert math.isfinite(match.score)
        assert match.score == round(match.breakdown.total, 6)
        assert match.eligible == (not match.failed_requirements)
        # The order's eligibility and the explained hard requirements agree.
        assert match.failed_requirements == failed_requirements(match.aspects)
        for aspect in match.aspects:
            assert all(isinstance(text, str) for text in (aspect.label, aspect.wanted))
            assert isinstance(aspect.evidence, str)
        assert all(isinstance(line, str) and line for line in reason_lines(match.aspects))


@PURE
@given(need=needs, pool=pools(), vocabulary=vocabularies, prescaled=st.booleans())
# Always tried (not a regression): a zero budget, an unknown price and signals far outside 0..1.
@example(
    need=NeedFeatures(id=1, ref=None, title="", description="", domain="", budget_max_cny=0),
    pool=[
        (CapabilityFeatures(id=2, ref=None, title="", description="", robot_type=""), Signals()),
        (
            CapabilityFeatures(
                id=1, ref=None, title="", description="", robot_type="", price_min_cny=1
            ),
            Signals(dense=1e6, lexical=-1e6),
        ),
    ],
    vocabulary=Vocabulary(),
    prescaled=False,
)
def test_ranking_any_pool_never_raises_and_keeps_its_promises(
    need: NeedFeatures,
    pool: list[tuple[CapabilityFeatures, Signals]],
    vocabulary: Vocabulary,
    prescaled: bool,
) -> None:
    # Given any need, pool of profiles and signals
    # When they are ranked, twice, and once more from the pool in reverse order
    first = rank_capabilities(need, pool, vocabulary=vocabulary, prescaled=prescaled)
    second = rank_capabilities(need, pool, vocabulary=vocabulary, prescaled=prescaled)
    reversed_pool = rank_capabilities(need, pool[::-1], vocabulary=vocabulary, prescaled=prescaled)

    # Then the promises hold, and the order depends on the candidates, not on their order
    _check(need, first, len(pool))
    assert first == second
    assert [m.capability_id for m in first] == [m.capability_id for m in reversed_pool]
    assert [m.score for m in first] == [m.score for m in reversed_pool]


@PURE
@given(need=needs, pool=pools(), top=st.integers(min_value=0, max_value=8))
def test_top_matches_are_the_head_of_the_whole_ranking(
    need: NeedFeatures, pool: list[tuple[CapabilityFeatures, Signals]], top: int
) -> None:
    whole = rank_capabilities(need, pool, explain=False)

    head = rank_capabilities(need, pool, top=top)

    assert [m.capability_id for m in head] == [m.capability_id for m in whole[:top]]
