"""Forms behind the organiser's shortlist and schedule pages; ``marketplace.events.scheduling``
does the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from marketplace.models import Event, EventParticipant, EventTable, ShortlistEntry


class ParticipantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Model) -> str:
        assert isinstance(obj, EventParticipant)
        return obj.organization.name


def _participants(event: Event, role: str) -> Any:
    return (
        EventParticipant.objects.filter(event=event, role=role)
        .select_related("organization")
        .order_by("organization__name")
    )


class ShortlistPairForm(forms.Form):
    """One pair and what to do with it: add (pinned), pin, unpin (proposed) or remove."""

    demand = ParticipantChoiceField(label=_("需求方"), queryset=EventParticipant.objects.none())
    vendor = ParticipantChoiceField(label=_("供应方"), queryset=EventParticipant.objects.none())
    state = forms.ChoiceField(
        choices=ShortlistEntry.State.choices,
        initial=ShortlistEntry.State.PINNED,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        demand = self.fields["demand"]
        vendor = self.fields["vendor"]
        assert isinstance(demand, forms.ModelChoiceField)
        assert isinstance(vendor, forms.ModelChoiceField)
        demand.queryset = _participants(event, EventParticipant.Role.DEMAND)
        vendor.queryset = _participants(event, EventParticipant.Role.VENDOR)


class MeetingMoveForm(forms.Form):
    slot = forms.TypedChoiceField(label=_("时段"), coerce=int)
    table = forms.ModelChoiceField(label=_("洽谈桌"), queryset=EventTable.objects.none())

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        slot = self.fields["slot"]
        table = self.fields["table"]
        assert isinstance(slot, forms.TypedChoiceField)
        assert isinstance(table, forms.ModelChoiceField)
        slot.choices = [(s.index, s.label) for s in event.slots]
        table.queryset = EventTable.objects.filter(event=event)
