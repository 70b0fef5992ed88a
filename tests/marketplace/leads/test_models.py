"""Lead's display methods: Django's get_FOO_display() results, computed more cheaply."""

from __future__ import annotations

from django.utils import translation

from marketplace.models import Lead


def test_lead_displays_say_what_django_would() -> None:
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for status, label in Lead.Status.choices:
                assert Lead(status=status).get_status_display() == str(label)
            for decision, label in Lead.DemandDecision.choices:
                assert Lead(demand_decision=decision).get_demand_decision_display() == str(label)
            for reason, label in Lead.DeclineReason.choices:
                assert Lead(decline_reason=reason).get_decline_reason_display() == str(label)


def test_lead_display_of_a_value_outside_the_choices_is_the_value() -> None:
    assert Lead(decline_reason="").get_decline_reason_display() == ""
    assert Lead(status="gone").get_status_display() == "gone"
