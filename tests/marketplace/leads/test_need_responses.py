"""The answered ones of a need's leads, latest answer first (the need's page lists them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from marketplace.leads.selectors import need_responses
from marketplace.models import Lead

AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def _lead(pk: int, status: str, minutes: int | None) -> Lead:
    # Unsaved: choosing and ordering read the leads already fetched, not the database.
    return Lead(
        pk=pk,
        status=status,
        responded_at=None if minutes is None else AT + timedelta(minutes=minutes),
    )


def test_only_answered_leads_are_responses_latest_answer_first() -> None:
    leads = [
        _lead(1, Lead.Status.NEW, None),
        _lead(2, Lead.Status.INTERESTED, 5),
        _lead(3, Lead.Status.DECLINED, 30),
        _lead(4, Lead.Status.VIEWED, None),
        _lead(5, Lead.Status.IN_TALKS, 5),  # the same minute as 2: the later lead first
        _lead(6, Lead.Status.INTERESTED, None),  # no answer time (none should lack one): last
    ]

    assert [lead.pk for lead in need_responses(leads)] == [3, 5, 2, 6]
