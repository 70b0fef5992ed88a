"""End to end in a real browser: the matches page and the event's shortlist show the same pair's
score as the same 0–100 number.

The data is test_scores' event world, where 颐和苑's need × 康途's profile scores 0.973.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from tests.browser import DESKTOP, logged_in_context
from tests.marketplace.common.test_scores import SHOWN, scored_fair  # noqa: F401 (fixture)
from tests.marketplace.event_world import Fair

pytestmark = pytest.mark.e2e


def test_the_matches_page_and_the_shortlist_show_the_same_score_for_a_pair(
    live_server: Any,
    browser: Browser,
    scored_fair: Fair,  # noqa: F811 (the fixture imported above)
) -> None:
    # given
    fair = scored_fair
    capability = fair.capabilities["kangtu"]
    institution = logged_in_context(browser, live_server, fair.alice, viewport=DESKTOP).new_page()
    organiser = logged_in_context(browser, live_server, fair.olga, viewport=DESKTOP).new_page()

    # when
    need = fair.needs["yihe"]
    institution.goto(live_server.url + reverse("matches:need_matches", args=[need.pk]))
    organiser.goto(live_server.url + reverse("events:event_shortlist", args=[fair.event.pk]))

    # then
    card = institution.locator("article.match-card").filter(
        has=institution.locator(f'h3 a[href="{capability.get_absolute_url()}"]')
    )
    expect(card.locator("header .meta strong")).to_have_text(SHOWN)
    row = organiser.locator(f"#demand-{fair.yihe.pk} tbody tr").filter(has_text="康途机器人")
    expect(row.locator("td.score")).to_have_text(SHOWN)
