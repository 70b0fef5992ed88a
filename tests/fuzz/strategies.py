"""Hypothesis strategies shared by the fuzz tests: the awkward text real users paste in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

CJK = re.compile(r"[\u3400-\u9fff]")

# Pure functions: cheap, so more examples. Database examples each run in a rolled-back savepoint.
PURE = settings(max_examples=80, deadline=None, derandomize=True)
WITH_DATABASE = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    # The test world (taxonomy, users) is built once per test function and shared by every
    # example; each example undoes its own writes (see rolled_back).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

AWKWARD_TEXTS = (
    "",
    "   ",
    "\u3000\u3000",  # ideographic spaces, what a Chinese IME types
    "\t\r\n",
    "１２０００",
    "８０，０００",
    "１２，５",
    "－５",
    "5万",
    "１．５万",
    "٣٠٠",  # Arabic-Indic digits
    "９" * 5000,
    "9" * 400 + "万",
    "😀🤖送餐机器人",
    "ロボット로봇робот robot 机器人",
    "送餐\x00机器人",
    "\x00",
    "全国",
    "青岛",
    "是",
    "否",
    "2026-01-01",
    "２０２６／０１／０１",
    '=HYPERLINK("http://evil")',
    "x" * 6000,
    "，；、",
)

awkward_text = st.one_of(
    st.sampled_from(AWKWARD_TEXTS),
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from("０１２３４５６７８９，．－＋万 \u3000"), max_size=12),
    st.text(st.characters(codec="utf-8", categories=["Lo", "So", "Zs", "Cc", "Nd"]), max_size=80),
)


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run one example in a savepoint that is always rolled back, so examples do not leak rows
    into each other while sharing the test's function-scoped fixtures."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
