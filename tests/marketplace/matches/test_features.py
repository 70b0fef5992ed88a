"""The need's budget basis reaches the engine's typed features."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from marketplace.matches.features import need_features
from marketplace.models import Need
from matching.ranking.types import BudgetBasis
from tests.marketplace.factories import NeedFactory


def test_a_total_budget_is_passed_to_the_engine_as_total(alice: User, taxonomy: Any) -> None:
    total = NeedFactory.create(
        organization=alice.organization,
        domain=taxonomy["civil"],
        region=taxonomy["regions"]["青岛市"],
        budget_basis=Need.BudgetBasis.TOTAL,
        quantity=3,
    )
    per_unit = NeedFactory.create(
        organization=alice.organization,
        domain=taxonomy["civil"],
        region=taxonomy["regions"]["青岛市"],
    )
    assert need_features(total, {}).budget_basis is BudgetBasis.TOTAL
    assert need_features(per_unit, {}).budget_basis is BudgetBasis.PER_UNIT
