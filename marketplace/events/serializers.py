"""Events, participants, shortlists and meetings over the API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api import OrganizationSummarySerializer
from marketplace.common.serializers import (
    HourMinuteField,
    ScorePercentField,
    VisibleCapabilityField,
    VisibleOrganizationField,
    slug_field,
)
from marketplace.models import (
    Domain,
    Event,
    EventParticipant,
    EventTable,
    Meeting,
    Need,
    ShortlistEntry,
)


class EventSlotSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="What a meeting's ``slot`` refers to, from 0.")
    start = HourMinuteField()
    end = HourMinuteField()


class EventTableSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventTable
        fields = ("id", "name", "capacity")
        read_only_fields = fields


TABLE_CAPACITY_DEFAULT = 1


class EventTableInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64, help_text="A table or a room, e.g. 1号桌, 洽谈室A.")
    capacity = serializers.IntegerField(
        min_value=1,
        max_value=50,
        default=TABLE_CAPACITY_DEFAULT,
        help_text="How many meetings it holds at once.",
    )


def _break_field(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=HourMinuteField(input_formats=["%H:%M"]),
        min_length=2,
        max_length=2,
        **kwargs,
    )


class EventInputSerializer(serializers.ModelSerializer):
    """An event as its organiser writes it."""

    # ``validated_data`` carries breaks and tables in the form marketplace.events.services takes.

    domains = slug_field("code", Domain, many=True, required=False)
    breaks = serializers.ListField(
        child=_break_field(),
        required=False,
        max_length=20,
        help_text='Breaks with no meetings, each ["HH:MM", "HH:MM"], e.g. [["10:20", "10:40"]].',
    )
    tables = serializers.ListField(
        child=EventTableInputSerializer(),
        min_length=1,
        max_length=200,
        help_text="The tables and rooms, in the order the schedule lists them. On an edit, "
        "the list replaces the old one; a table with meetings cannot be dropped.",
    )

    class Meta:
        model = Event
        fields = (
            "name",
            "date",
            "venue",
            "district",
            "city",
            "domains",
            "description",
            "starts_at",
            "ends_at",
            "meeting_minutes",
            "breaks",
            "tables",
            "min_vendors_per_demand",
            "vendor_meeting_cap",
        )

    def validate_breaks(self, value: list[list[Any]]) -> list[list[str]]:
        spans = []
        for start, end in value:
            if start >= end:
                raise serializers.ValidationError(
                    _("休息时段“%(start)s-%(end)s”的结束时间应晚于开始时间。")
                    % {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
                )
            spans.append([f"{start:%H:%M}", f"{end:%H:%M}"])
        return sorted(spans)

    def validate_tables(self, value: list[dict[str, Any]]) -> list[tuple[str, int]]:
        names = [table["name"] for table in value]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise serializers.ValidationError(
                _("洽谈桌名称“%(names)s”重复。") % {"names": _("、").join(repeated)}
            )
        # A PATCH is partial, and DRF then leaves out nested fields' defaults.
        return [(table["name"], table.get("capacity", TABLE_CAPACITY_DEFAULT)) for table in value]


class EventOutputSerializer(serializers.ModelSerializer):
    organizer = OrganizationSummarySerializer(read_only=True)
    domains = slug_field("code", many=True)
    starts_at = HourMinuteField(read_only=True)
    ends_at = HourMinuteField(read_only=True)
    breaks = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        read_only=True,
        help_text='Each ["HH:MM", "HH:MM"].',
    )
    slots = EventSlotSerializer(
        many=True, read_only=True, help_text="The meeting slots the timing and breaks leave."
    )
    tables = EventTableSerializer(many=True, read_only=True)

    class Meta:
        model = Event
        fields = (
            "id",
            "name",
            "date",
            "venue",
            "district",
            "city",
            "domains",
            "description",
            "organizer",
            "starts_at",
            "ends_at",
            "meeting_minutes",
            "breaks",
            "slots",
            "tables",
            "registration_open",
            "min_vendors_per_demand",
            "vendor_meeting_cap",
            "schedule_status",
            "schedule_published_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class EventRegistrationInputSerializer(serializers.Serializer):
    open = serializers.BooleanField(help_text="true opens registration, false closes it.")


class TitledSerializer(serializers.Serializer):
    """A need or a capability profile, by id and title."""

    id = serializers.IntegerField()
    title = serializers.CharField()


class EventParticipantOutputSerializer(serializers.ModelSerializer):
    organization = OrganizationSummarySerializer(read_only=True)
    needs = TitledSerializer(many=True, read_only=True, help_text="What a demand side brings.")
    capabilities = TitledSerializer(many=True, read_only=True, help_text="What a vendor shows.")
    max_meetings = serializers.IntegerField(
        allow_null=True, read_only=True, help_text="null: the event's default."
    )
    on_behalf = serializers.BooleanField(
        read_only=True, help_text="Registered by the organiser for the organisation."
    )

    class Meta:
        model = EventParticipant
        fields = (
            "id",
            "organization",
            "role",
            "needs",
            "capabilities",
            "max_meetings",
            "on_behalf",
            "created_at",
        )
        read_only_fields = fields


class _VisibleNeedField(serializers.PrimaryKeyRelatedField):
    """A need id, looked up only among the needs the user may see."""

    queryset = Need.objects.none()  # names the model for the schema; get_queryset decides

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return Need.objects.visible_to(request.user) if request else Need.objects.none()


class EventParticipantInputSerializer(serializers.Serializer):
    organization = VisibleOrganizationField(
        required=False,
        help_text="The event's organiser: the organisation to register (required). Members: "
        "omit, or give their own organisation's id.",
    )
    needs = _VisibleNeedField(
        many=True,
        required=False,
        help_text="A demand organisation: its published needs to bring (at least one).",
    )
    capabilities = VisibleCapabilityField(
        many=True,
        required=False,
        help_text="A vendor: its published capability profiles to show (at least one).",
    )
    max_meetings = serializers.IntegerField(
        min_value=1,
        max_value=100,
        required=False,
        allow_null=True,
        default=None,
        help_text="At most this many meetings; omit or null for the event's default.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = self.context["request"].user
        if attrs.get("organization") is None:
            if user.is_organizer or user.organization is None:
                raise serializers.ValidationError(
                    {"organization": [_("组织方代为报名时，请指定参会机构。")]}
                )
            attrs["organization"] = user.organization
        return attrs


class EventParticipantRefSerializer(serializers.Serializer):
    """A participant of the event: its id and its organisation."""

    id = serializers.IntegerField()
    organization = OrganizationSummarySerializer()


class ShortlistEntryOutputSerializer(serializers.ModelSerializer):
    demand = EventParticipantRefSerializer(read_only=True)
    vendor = EventParticipantRefSerializer(read_only=True)
    value = serializers.FloatField(
        read_only=True, help_text="The matcher's best score for the pair, 0–1."
    )
    score_percent = ScorePercentField(
        source="value", help_text="`value` as the pages show it: a whole number from 0 to 100."
    )
    manual = serializers.BooleanField(read_only=True, help_text="Added by the organiser.")
    best_need = TitledSerializer(
        allow_null=True, read_only=True, help_text="The need behind the value."
    )
    best_capability = TitledSerializer(
        allow_null=True, read_only=True, help_text="The profile behind the value."
    )

    class Meta:
        model = ShortlistEntry
        fields = (
            "id",
            "demand",
            "vendor",
            "value",
            "score_percent",
            "state",
            "manual",
            "best_need",
            "best_capability",
            "updated_at",
        )
        read_only_fields = fields


class _EventRelatedField(serializers.PrimaryKeyRelatedField):
    """An id looked up only within the event in the serializer's context."""

    def get_queryset(self) -> Any:
        assert self.queryset is not None
        return self.queryset.filter(event=self.context["event"])


class ShortlistPairInputSerializer(serializers.Serializer):
    demand = _EventRelatedField(
        queryset=EventParticipant.objects.all(), help_text="A demand participant's id."
    )
    vendor = _EventRelatedField(
        queryset=EventParticipant.objects.all(), help_text="A vendor participant's id."
    )
    state = serializers.ChoiceField(
        choices=ShortlistEntry.State.choices,
        help_text="pinned: add or keep whatever the generator does; proposed: unpin; "
        "removed: leave out (its meeting, if any, goes too).",
    )


class MeetingOutputSerializer(serializers.Serializer):
    """A meeting: when, where, who, the need and profile behind it, and what came of it."""

    # Reads a marketplace.events.selectors.MeetingRow.

    id = serializers.IntegerField(source="meeting.pk")
    slot = serializers.IntegerField(source="meeting.slot", help_text="The slot's index.")
    start = HourMinuteField(
        source="slot.start",
        allow_null=True,
        help_text="null if the event's timing no longer has this slot.",
    )
    end = HourMinuteField(source="slot.end", allow_null=True)
    table = EventTableSerializer(source="meeting.table")
    demand = EventParticipantRefSerializer(source="meeting.demand")
    vendor = EventParticipantRefSerializer(source="meeting.vendor")
    value = serializers.FloatField(source="meeting.value")
    need = TitledSerializer(allow_null=True, help_text="The need behind the pair.")
    capability = TitledSerializer(allow_null=True, help_text="The profile behind the pair.")
    attendance = serializers.ChoiceField(
        source="meeting.attendance", choices=Meeting.Attendance.choices
    )
    outcome = serializers.ChoiceField(source="meeting.outcome", choices=Meeting.Outcome.choices)
    pilot_site = serializers.CharField(source="meeting.pilot_site")
    pilot_start = serializers.DateField(source="meeting.pilot_start", allow_null=True)
    pilot_end = serializers.DateField(source="meeting.pilot_end", allow_null=True)
    note = serializers.CharField(source="meeting.outcome_note")
    outcome_recorded_at = serializers.DateTimeField(
        source="meeting.outcome_recorded_at", allow_null=True
    )


class MeetingMoveInputSerializer(serializers.Serializer):
    slot = serializers.IntegerField(
        min_value=0, max_value=10000, required=False, help_text="Omit to keep the slot."
    )
    table = _EventRelatedField(
        queryset=EventTable.objects.all(),
        required=False,
        help_text="A table of the event; omit to keep the table.",
    )


class MeetingPlaceInputSerializer(serializers.Serializer):
    slot = serializers.IntegerField(min_value=0, max_value=10000)
    table = _EventRelatedField(queryset=EventTable.objects.all(), help_text="A table of the event.")


class MeetingOutcomeInputSerializer(serializers.Serializer):
    attendance = serializers.ChoiceField(choices=Meeting.Attendance.choices)
    outcome = serializers.ChoiceField(
        choices=Meeting.Outcome.choices, help_text="none unless the two sides met."
    )
    pilot_site = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for a pilot; kept for a pilot or a deployment.",
    )
    pilot_start = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Required for a pilot."
    )
    pilot_end = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Required for a pilot."
    )
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
