"""``/api/v1/events/{id}/…``: the organiser's shortlist and schedule, which the matcher makes.

Here rather than in ``marketplace.api`` because they call ``marketplace.events.scheduling``, and
``marketplace`` never imports ``matching``. Every endpoint but a meeting's detail is the event
organiser's: anyone else signed in is refused (403) before the input is read. A meeting is
looked up among the meetings the caller may see (404 otherwise): the organiser's all, a
participant's own once the schedule is published. A refused edit keeps everything as it was.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import authenticated_user
from config.api_common import error_responses
from marketplace.common.api import get_editable, get_visible
from marketplace.events.api.events import (
    managed_event,
    render_event,
    render_meeting,
    visible_event,
    visible_meetings,
)
from marketplace.events.filters import SHORTLIST_FILTER_PARAMETERS, ShortlistApiFilter
from marketplace.events.messages import shortfall_message
from marketplace.events.scheduling import (
    event_schedule_generate,
    event_schedule_publish,
    event_schedule_unpublish,
    event_shortlist_generate,
    meeting_move,
    meeting_place,
    shortlist_pair_set,
)
from marketplace.events.selectors import meeting_rows, schedule_meetings
from marketplace.events.serializers import (
    EventOutputSerializer,
    EventParticipantRefSerializer,
    MeetingMoveInputSerializer,
    MeetingOutputSerializer,
    MeetingPlaceInputSerializer,
    ShortlistEntryOutputSerializer,
    ShortlistPairInputSerializer,
)
from marketplace.models import Event, EventParticipant, Meeting, ShortlistEntry
from matching.engine import scheduling as solver

TAGS = ["events"]


def _entries(event: Event) -> QuerySet[ShortlistEntry]:
    return ShortlistEntry.objects.filter(event=event).select_related(
        "demand__organization", "vendor__organization", "best_need", "best_capability"
    )


def _participants(event: Event) -> dict[str, EventParticipant]:
    """The event's participants by the solver's reference (their id as text)."""
    return {
        str(participant.pk): participant
        for participant in EventParticipant.objects.filter(event=event).select_related(
            "organization"
        )
    }


# --- Serializers ------------------------------------------------------------------------------


class ShortfallSerializer(serializers.Serializer):
    demand = EventParticipantRefSerializer()
    got = serializers.IntegerField(help_text="Vendors it got.")
    wanted = serializers.IntegerField(help_text="The event's minimum.")
    eligible = serializers.IntegerField(help_text="Vendors that could meet it at all.")
    reason = serializers.ChoiceField(
        choices=[(reason.value, reason.name) for reason in solver.ShortfallReason],
        help_text="not_enough_eligible_vendors: too few vendors fit; demand_cap_below_minimum: "
        "its own meeting cap is lower; capacity_taken: the vendors or the venue are full.",
    )
    message = serializers.CharField(help_text="For the organiser, naming the organisation.")


class ShortlistResultSerializer(serializers.Serializer):
    pairs = ShortlistEntryOutputSerializer(
        many=True, help_text="The active shortlist (proposed and pinned), by demand organisation."
    )
    shortfalls = ShortfallSerializer(
        many=True, help_text="Demand organisations below the event's minimum, and why."
    )


class UnscheduledMeetingSerializer(serializers.Serializer):
    demand = EventParticipantRefSerializer()
    vendor = EventParticipantRefSerializer()
    value = serializers.FloatField()
    reason = serializers.CharField(help_text="no_free_slot, or the code of the rule it breaks.")


class ScheduleResultSerializer(serializers.Serializer):
    meetings = MeetingOutputSerializer(many=True, help_text="The draft, in time order.")
    unscheduled = UnscheduledMeetingSerializer(
        many=True, help_text="Shortlisted pairs no slot could take."
    )
    solver_status = serializers.ChoiceField(
        choices=[(status.value, status.name) for status in solver.ScheduleStatus],
        help_text="optimal, or feasible when the time limit ended the search (every rule holds "
        "all the same).",
    )


# --- Shortlist --------------------------------------------------------------------------------


class EventShortlistApi(generics.GenericAPIView):
    permission_classes = [IsAuthenticated]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ShortlistApiFilter
    serializer_class = ShortlistEntryOutputSerializer
    queryset = ShortlistEntry.objects.none()  # for the schema; the view chooses the rows

    @extend_schema(
        operation_id="events_shortlist_list",
        tags=TAGS,
        summary="The event's shortlist (its organiser)",
        description="Every pair, removed ones included, by demand organisation and best "
        "value first.",
        responses={
            200: ShortlistEntryOutputSerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
        parameters=SHORTLIST_FILTER_PARAMETERS,
    )
    def get(self, request: Request, pk: int) -> Response:
        entries = _entries(managed_event(request, pk))
        page = self.paginate_queryset(self.filter_queryset(entries))
        return self.get_paginated_response(ShortlistEntryOutputSerializer(page, many=True).data)


class EventShortlistGenerateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="events_shortlist_generate",
        tags=TAGS,
        summary="Propose the vendors each demand organisation should meet (its organiser)",
        description="From the matcher's best score between the needs and profiles each side "
        "brings: every demand organisation gets the event's minimum first where it can, within "
        "each vendor's meeting cap and the venue's capacity. Pinned pairs stay, removed ones "
        "stay out, pairs that met at an earlier event are not proposed again. The draft "
        "schedule, if any, is discarded. Refused while the schedule is published.",
        request=None,
        responses={200: ShortlistResultSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        event = managed_event(request, pk)
        result = event_shortlist_generate(event, authenticated_user(request))
        participants = _participants(event)
        shortfalls = [
            {
                "demand": participants[shortfall.demand],
                "got": shortfall.got,
                "wanted": shortfall.wanted,
                "eligible": shortfall.eligible,
                "reason": shortfall.reason.value,
                "message": shortfall_message(
                    shortfall, participants[shortfall.demand].organization.name
                ),
            }
            for shortfall in result.shortfalls
        ]
        pairs = _entries(event).exclude(state=ShortlistEntry.State.REMOVED)
        return Response(ShortlistResultSerializer({"pairs": pairs, "shortfalls": shortfalls}).data)


class EventShortlistPairApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="events_shortlist_pair",
        tags=TAGS,
        summary="Add, pin, unpin or remove one pair (its organiser)",
        description="A pair not on the shortlist yet is added by hand. Removing a pair takes "
        "its meeting out of the draft schedule. Refused while the schedule is published.",
        request=ShortlistPairInputSerializer,
        responses={200: ShortlistEntryOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        event = managed_event(request, pk)
        serializer = ShortlistPairInputSerializer(data=request.data, context={"event": event})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = shortlist_pair_set(
            event,
            authenticated_user(request),
            demand=data["demand"],
            vendor=data["vendor"],
            state=data["state"],
        )
        return Response(ShortlistEntryOutputSerializer(_entries(event).get(pk=entry.pk)).data)


# --- Schedule ---------------------------------------------------------------------------------


class EventScheduleGenerateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="events_schedule_generate",
        tags=TAGS,
        summary="Place every shortlisted pair in a slot and at a table (its organiser)",
        description="A fresh draft each time: nobody is in two meetings at once, no table "
        "holds more meetings than its capacity, no meeting falls in a break. Refused while the "
        "schedule is published, or with an empty shortlist.",
        request=None,
        responses={200: ScheduleResultSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        event = managed_event(request, pk)
        result = event_schedule_generate(event, authenticated_user(request))
        participants = _participants(event)
        unscheduled = [
            {
                "demand": participants[meeting.demand],
                "vendor": participants[meeting.vendor],
                "value": meeting.value,
                "reason": meeting.reason,
            }
            for meeting in result.unscheduled
        ]
        data: dict[str, Any] = {
            "meetings": meeting_rows(event, schedule_meetings(event)),
            "unscheduled": unscheduled,
            "solver_status": result.status.value,
        }
        return Response(ScheduleResultSerializer(data).data)


class EventSchedulePublishApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="events_schedule_publish",
        tags=TAGS,
        summary="Publish the draft schedule (its organiser)",
        description="Every participant's members are notified, with a link to their agenda; "
        "from then on each participant sees its own meetings.",
        request=None,
        responses={200: EventOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        event = event_schedule_publish(managed_event(request, pk), authenticated_user(request))
        return render_event(request, event)


class EventScheduleUnpublishApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="events_schedule_unpublish",
        tags=TAGS,
        summary="Take the published schedule back to a draft (its organiser)",
        description="Participants no longer see their meetings until it is published again.",
        request=None,
        responses={200: EventOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        event = event_schedule_unpublish(managed_event(request, pk), authenticated_user(request))
        return render_event(request, event)


class EventMeetingDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="events_meetings_retrieve",
        tags=TAGS,
        summary="One meeting (the event's organiser; either side once published)",
        responses={200: MeetingOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int, meeting_id: int) -> Response:
        event = visible_event(pk)
        meeting = get_visible(visible_meetings(request, event), meeting_id)
        return render_meeting(request, event, meeting)

    @extend_schema(
        operation_id="events_meetings_move",
        tags=TAGS,
        summary="Move a meeting to another slot or table (its organiser)",
        description="Refused (400, naming every rule it would break: someone busy, a full "
        "table, a break) with the meeting left where it was. Moving a meeting of a published "
        "schedule notifies both sides.",
        request=MeetingMoveInputSerializer,
        responses={200: MeetingOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, pk: int, meeting_id: int) -> Response:
        event = visible_event(pk)
        meeting = get_editable(
            visible_meetings(request, event),
            Meeting.objects.filter(event__in=Event.objects.managed_by(request.user)),
            meeting_id,
        )
        serializer = MeetingMoveInputSerializer(data=request.data, context={"event": event})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meeting = meeting_move(
            meeting,
            authenticated_user(request),
            slot=data.get("slot", meeting.slot),
            table=data.get("table", meeting.table),
        )
        return render_meeting(request, event, meeting)


class EventMeetingPlaceApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="events_shortlist_pair_place",
        tags=TAGS,
        summary="Place a shortlisted pair the schedule left out (its organiser)",
        description="For a pair the generated schedule could not fit: its meeting goes in the "
        "given slot and table. Refused (400, naming every rule it would break) when someone is "
        "busy, the table is full or the slot is a break; also when there is no schedule yet, "
        "the pair was removed or it already has a meeting. In a published schedule both sides "
        "are notified.",
        request=MeetingPlaceInputSerializer,
        responses={201: MeetingOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int, entry_id: int) -> Response:
        event = managed_event(request, pk)
        entry = get_visible(ShortlistEntry.objects.filter(event=event), entry_id)
        serializer = MeetingPlaceInputSerializer(data=request.data, context={"event": event})
        serializer.is_valid(raise_exception=True)
        meeting = meeting_place(
            entry,
            authenticated_user(request),
            slot=serializer.validated_data["slot"],
            table=serializer.validated_data["table"],
        )
        response = render_meeting(request, event, meeting)
        response.status_code = 201
        return response
