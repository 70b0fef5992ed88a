"""marketplace.common.views helpers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.common.views import url_by_pk


@pytest.mark.parametrize(
    "viewname",
    ["needs:need_detail", "capabilities:capability_detail", "organizations:organization_detail"],
)
def test_url_by_pk_links_each_row_as_reverse_does(viewname: str) -> None:
    link = url_by_pk(viewname)
    assert [link(pk) for pk in (1, 42, 987654321)] == [
        reverse(viewname, args=[pk]) for pk in (1, 42, 987654321)
    ]
