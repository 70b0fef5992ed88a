"""The organiser's sentences about the matcher's results, the same on the pages and in the API."""

from __future__ import annotations

from django.utils.translation import gettext as _

from matching.engine import scheduling as solver


def shortfall_message(shortfall: solver.DemandShortfall, name: str) -> str:
    """The sentence for a demand organisation (``name``) short of vendors, and why."""
    if shortfall.reason == solver.ShortfallReason.NOT_ENOUGH_ELIGIBLE:
        return _("%(name)s：只有 %(eligible)d 家可匹配的供应商，少于最低 %(wanted)d 家。") % {
            "name": name,
            "eligible": shortfall.eligible,
            "wanted": shortfall.wanted,
        }
    if shortfall.reason == solver.ShortfallReason.DEMAND_CAP:
        return _("%(name)s：会谈上限低于最低 %(wanted)d 家。") % {
            "name": name,
            "wanted": shortfall.wanted,
        }
    return _(
        "%(name)s：合适的供应商已排满或场地已满，只安排了 %(got)d 家（最低 %(wanted)d 家）。"
    ) % {"name": name, "got": shortfall.got, "wanted": shortfall.wanted}
