"""Input serializers validate what a program sends; output serializers say what it gets back.

Relations are written and read by their stable names: domain, category, product class and robot
type codes; region and certification names.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api import OrganizationSummarySerializer
from accounts.models import Organization
from marketplace.models import (
    AuditEntry,
    Capability,
    Certification,
    Domain,
    Event,
    EventParticipant,
    EventTable,
    ImportJob,
    Lead,
    Meeting,
    Need,
    Notification,
    ProductClass,
    Region,
    RobotType,
    ServiceCategory,
    ShortlistEntry,
)


@extend_schema_field(
    {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$", "example": "09:00"}
)
class HourMinuteField(serializers.TimeField):
    """A time of day as ``HH:MM``: OpenAPI's ``format: time`` would promise ``HH:MM:SS``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)


class _NamedRelatedField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A SlugRelatedField that refuses a NUL character as a field error: PostgreSQL cannot even
    compare a text with one, so the lookup would otherwise fail as a server error."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            raise serializers.ValidationError(_("不能包含空字符（NUL）。"))
        return super().to_internal_value(data)


def _slug(slug_field: str, model: type[Model] | None = None, **kwargs: Any) -> Any:
    """A relation written and read by a stable name; read-only when no model is given."""
    if model is None:
        return serializers.SlugRelatedField(slug_field=slug_field, read_only=True, **kwargs)
    return _NamedRelatedField(
        slug_field=slug_field,
        queryset=model._default_manager.all(),
        **kwargs,
    )


class OwnerField(serializers.PrimaryKeyRelatedField):
    """An organisation id, looked up only among the organisations the user may see."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return (
            Organization.objects.visible_to(request.user)
            if request
            else Organization.objects.none()
        )


class OwnerMixin(serializers.Serializer):
    """Organisers post on behalf of an organisation they name; everyone else for their own."""

    organization = OwnerField(
        required=False,
        help_text="Organisers: the organisation to post for (required). "
        "Others: omit, or give their own organisation's id.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        user = self.context["request"].user
        requested = attrs.get("organization")
        if user.is_organizer:
            if requested is None:
                raise serializers.ValidationError(
                    {"organization": [_("组织方代为录入时，请指定所属机构。")]}
                )
        elif requested is not None and requested.pk != user.organization_id:
            raise serializers.ValidationError({"organization": [_("只能以本机构的名义发布。")]})
        else:
            attrs["organization"] = user.organization
        return attrs


# --- Needs -------------------------------------------------------------------------------------

NEED_RELATIONS = ("categories", "product_classes", "required_certifications")


class NeedInputSerializer(serializers.ModelSerializer):
    domain = _slug("code", Domain)
    categories = _slug("code", ServiceCategory, many=True, required=False)
    product_classes = _slug("code", ProductClass, many=True, required=False)
    region = _slug("name", Region)
    required_certifications = _slug("name", Certification, many=True, required=False)

    class Meta:
        model = Need
        fields: tuple[str, ...] = Need.EDITABLE_FIELDS
        extra_kwargs = {"quantity": {"min_value": 1}}


class NeedCreateInputSerializer(OwnerMixin, NeedInputSerializer):
    submit = serializers.BooleanField(
        default=False,
        help_text="Submit at once: published if the organisation is approved, else pending review.",
    )

    class Meta(NeedInputSerializer.Meta):
        fields = ("organization", *NeedInputSerializer.Meta.fields, "submit")


class NeedStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Need.Status.choices)


class NeedOutputSerializer(serializers.ModelSerializer):
    organization = OrganizationSummarySerializer(read_only=True)
    domain = _slug("code")
    categories = _slug("code", many=True)
    product_classes = _slug("code", many=True)
    region = _slug("name")
    required_certifications = _slug("name", many=True)

    class Meta:
        model = Need
        fields = (
            "id",
            "organization",
            *Need.EDITABLE_FIELDS,
            "status",
            "published_at",
            "expires_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


# --- Capabilities ------------------------------------------------------------------------------

CAPABILITY_RELATIONS = (
    "domains",
    "categories",
    "product_classes",
    "service_regions",
    "certifications",
)


class CapabilityInputSerializer(serializers.ModelSerializer):
    robot_type = _slug("code", RobotType)
    domains = _slug("code", Domain, many=True)
    categories = _slug("code", ServiceCategory, many=True, required=False)
    product_classes = _slug("code", ProductClass, many=True, required=False)
    service_regions = _slug("name", Region, many=True)
    certifications = _slug("name", Certification, many=True, required=False)

    class Meta:
        model = Capability
        fields: tuple[str, ...] = Capability.EDITABLE_FIELDS


class CapabilityCreateInputSerializer(OwnerMixin, CapabilityInputSerializer):
    publish = serializers.BooleanField(default=False, help_text="Publish at once.")

    class Meta(CapabilityInputSerializer.Meta):
        fields = ("organization", *CapabilityInputSerializer.Meta.fields, "publish")


class CapabilityStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Capability.Status.choices)


class CapabilityOutputSerializer(serializers.ModelSerializer):
    organization = OrganizationSummarySerializer(read_only=True)
    robot_type = _slug("code")
    domains = _slug("code", many=True)
    categories = _slug("code", many=True)
    product_classes = _slug("code", many=True)
    service_regions = _slug("name", many=True)
    certifications = _slug("name", many=True)

    class Meta:
        model = Capability
        fields = (
            "id",
            "organization",
            *Capability.EDITABLE_FIELDS,
            "image",
            "spec_sheet",
            "status",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


# --- Reviews -----------------------------------------------------------------------------------


class OrganizationRejectInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Shown to them."
    )


# --- Taxonomy ----------------------------------------------------------------------------------


class _NamedSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="display_name", help_text="In the request's language.")
    name_zh = serializers.CharField()
    name_en = serializers.CharField()


class DomainSerializer(_NamedSerializer):
    pass


class ServiceCategorySerializer(_NamedSerializer):
    domain = serializers.CharField(source="domain.code", help_text="The domain's code.")


class ProductClassSerializer(_NamedSerializer):
    pass


class RobotTypeSerializer(_NamedSerializer):
    pass


class RegionSerializer(serializers.ModelSerializer):
    parent = _slug("name", allow_null=True)

    class Meta:
        model = Region
        fields = ("name", "level", "parent")
        read_only_fields = fields


class CertificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certification
        fields = ("name", "name_en")
        read_only_fields = fields


class TaxonomySerializer(serializers.Serializer):
    domains = DomainSerializer(many=True)
    service_categories = ServiceCategorySerializer(many=True)
    product_classes = ProductClassSerializer(many=True)
    robot_types = RobotTypeSerializer(many=True)
    regions = RegionSerializer(many=True)
    certifications = CertificationSerializer(many=True)


# --- Imports and statistics --------------------------------------------------------------------


class ImportJobInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The XLSX template, a CSV or a JSON file.")


class ImportRowErrorSerializer(serializers.Serializer):
    section = serializers.CharField(help_text="organizations, needs or capabilities.")
    row = serializers.IntegerField(help_text="The row or line in the file; 0 for the whole file.")
    ref = serializers.CharField(allow_null=True)
    field = serializers.CharField()
    message = serializers.CharField()


class ImportJobOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ImportJob.Status.choices)
    status_display = serializers.CharField()
    processed_rows = serializers.IntegerField()
    total_rows = serializers.IntegerField()
    progress_percent = serializers.IntegerField()
    errors: Any = ImportRowErrorSerializer(many=True)
    summary = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text='Rows written once the job succeeded: {"created": {section: n}, "updated": …}.',
    )


def _counts(help_text: str) -> serializers.DictField:
    return serializers.DictField(child=serializers.IntegerField(), help_text=help_text)


class StatisticsSerializer(serializers.Serializer):
    organizations_by_kind = _counts("By organisation kind.")
    organizations_pending_review = serializers.IntegerField()
    domains = serializers.IntegerField()
    needs = serializers.IntegerField()
    needs_published = serializers.IntegerField()
    needs_by_domain = _counts("By domain code.")
    needs_by_status = _counts("By need status.")
    capabilities = serializers.IntegerField()
    capabilities_published = serializers.IntegerField()
    capabilities_by_robot_type = _counts("By robot type code.")
    events = serializers.IntegerField()
    upcoming_events = serializers.IntegerField()


# --- Leads -------------------------------------------------------------------------------------


class _VisibleCapabilityField(serializers.PrimaryKeyRelatedField):
    """A capability profile id, looked up only among the profiles the user may see."""

    queryset = Capability.objects.none()  # names the model for the schema; get_queryset decides

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return Capability.objects.visible_to(request.user) if request else Capability.objects.none()


class LeadSubjectSerializer(serializers.Serializer):
    """The need or the capability profile of a lead."""

    id = serializers.IntegerField()
    title = serializers.CharField()


class LeadContactSerializer(serializers.Serializer):
    organization = serializers.IntegerField(
        source="pk", help_text="The organisation these details belong to."
    )
    contact_person = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class LeadOutputSerializer(serializers.ModelSerializer):
    """A need × capability pair: the vendor's answer (status) and the institution's decision."""

    # ``contact`` depends on who asks: the serializer needs ``request`` in its context.
    need = LeadSubjectSerializer(read_only=True)
    capability = LeadSubjectSerializer(read_only=True)
    demand = OrganizationSummarySerializer(read_only=True, help_text="The institution.")
    vendor = OrganizationSummarySerializer(read_only=True)
    proposal = serializers.SerializerMethodField()
    decline_reason = serializers.ChoiceField(
        choices=Lead.DeclineReason.choices,
        allow_null=True,
        read_only=True,
        help_text="Why the vendor declined; null unless it did.",
    )
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Lead
        fields = (
            "id",
            "need",
            "capability",
            "demand",
            "vendor",
            "source",
            "score",
            "eligible",
            "status",
            "demand_decision",
            "message",
            "proposal",
            "decline_reason",
            "decline_note",
            "demand_message",
            "contact",
            "viewed_at",
            "responded_at",
            "invited_at",
            "demand_acted_at",
            "agreed_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def to_representation(self, instance: Lead) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["decline_reason"] = data["decline_reason"] or None
        return data

    @extend_schema_field(
        serializers.URLField(
            allow_null=True,
            help_text="Where the two sides and organisers download the vendor's proposal "
            "(authenticated); null when none was attached.",
        )
    )
    def get_proposal(self, lead: Lead) -> str | None:
        if not lead.proposal:
            return None
        url = reverse("api:lead_proposal", args=[lead.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    @extend_schema_field(
        LeadContactSerializer(
            allow_null=True,
            help_text="The other side's contact details (the vendor's, for organisers); "
            "null until both sides agreed to talk (洽谈中).",
        )
    )
    def get_contact(self, lead: Lead) -> dict[str, Any] | None:
        user = self.context["request"].user
        other = lead.demand if user.organization_id == lead.vendor_id else lead.vendor
        # Annotated for the caller by Lead.objects.with_contact_visible (the views' queryset).
        visible: bool = getattr(lead, "contact_visible")  # noqa: B009
        return LeadContactSerializer(other).data if visible else None


class LeadRespondInputSerializer(serializers.Serializer):
    message = serializers.CharField(
        max_length=2000,
        error_messages={"blank": _("请写一句回复留言，说明贵方能提供什么。")},
        help_text="What the vendor can offer; the institution reads it.",
    )
    proposal = serializers.FileField(
        required=False,
        help_text="Optional: PDF, Word, PowerPoint, Excel, PNG or JPG, at most 10 MB.",
    )


class LeadDeclineInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Lead.DeclineReason.choices)
    note = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the reason is other.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["reason"] == Lead.DeclineReason.OTHER and not attrs["note"].strip():
            raise serializers.ValidationError({"note": [_("选择“其他”时请补充说明。")]})
        return attrs


class LeadDecisionInputSerializer(serializers.Serializer):
    message = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Optional, shown to the vendor.",
    )


class LeadInviteInputSerializer(serializers.Serializer):
    capability = _VisibleCapabilityField(help_text="The published capability profile to invite.")
    message = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Optional, shown to the vendor.",
    )


class _VisibleOrganizationField(OwnerField):
    queryset = Organization.objects.none()  # names the model for the schema; get_queryset decides


class LeadNotFitInputSerializer(serializers.Serializer):
    vendor = _VisibleOrganizationField(
        help_text="The vendor organisation none of whose profiles fit this need."
    )


class LeadAlertPreferenceSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(help_text="Receive alerts about new leads.")
    min_score = serializers.FloatField(
        min_value=0.0, max_value=1.0, help_text="Only needs matching at least this well (0–1)."
    )
    daily_limit = serializers.IntegerField(
        min_value=1, max_value=200, help_text="At most this many alerts a day."
    )


# --- Notifications -----------------------------------------------------------------------------


class NotificationOutputSerializer(serializers.ModelSerializer):
    url = serializers.CharField(help_text="The page on the site it is about; may be empty.")

    class Meta:
        model = Notification
        fields = ("id", "kind", "title", "body", "url", "read_at", "created_at")
        read_only_fields = fields


class NotificationReadInputSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_empty=False,
        max_length=500,
        help_text="The notifications to mark read; others' ids are ignored.",
    )
    all = serializers.BooleanField(
        required=False, default=False, help_text="Mark every unread notification read."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["all"] == ("ids" in attrs):
            raise serializers.ValidationError(
                {"ids": [_("请给出要标为已读的通知编号，或把 all 设为 true（二者选一）。")]}
            )
        return attrs


class NotificationReadOutputSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were marked read now.")
    unread = serializers.IntegerField(help_text="How many remain unread.")


# --- Events ------------------------------------------------------------------------------------


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

    domains = _slug("code", Domain, many=True, required=False)
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
                _("洽谈桌名称“%(names)s”重复。") % {"names": "、".join(repeated)}
            )
        # A PATCH is partial, and DRF then leaves out nested fields' defaults.
        return [(table["name"], table.get("capacity", TABLE_CAPACITY_DEFAULT)) for table in value]


class EventOutputSerializer(serializers.ModelSerializer):
    organizer = OrganizationSummarySerializer(read_only=True)
    domains = _slug("code", many=True)
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
    organization = _VisibleOrganizationField(
        required=False,
        help_text="The event's organiser: the organisation to register (required). Members: "
        "omit, or give their own organisation's id.",
    )
    needs = _VisibleNeedField(
        many=True,
        required=False,
        help_text="A demand organisation: its published needs to bring (at least one).",
    )
    capabilities = _VisibleCapabilityField(
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


class AuditEntryOutputSerializer(serializers.ModelSerializer):
    actor: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The user's id; null once the user is deleted."
    )
    actor_email = serializers.CharField(read_only=True, help_text="Kept after the user is deleted.")
    target_type = serializers.CharField(
        read_only=True, help_text="app_label.model, e.g. marketplace.need or accounts.organization."
    )
    target_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Null for an export of many rows."
    )
    target_label = serializers.CharField(
        read_only=True, help_text="The target's name when the entry was made."
    )
    details = serializers.DictField(
        read_only=True,
        help_text="E.g. changed field names (fields), a status move (from, to), an export's "
        "format and row count.",
    )

    class Meta:
        model = AuditEntry
        fields = (
            "id",
            "action",
            "actor",
            "actor_email",
            "target_type",
            "target_id",
            "target_label",
            "details",
            "ip_address",
            "created_at",
        )
        read_only_fields = fields
