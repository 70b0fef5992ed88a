"""Matchmaking events (供需对接会): the public list and detail, the organiser's edits and
registration switch, participants, meetings and their outcomes, and the files out of an event.

Events are public. An event's organiser manages it; anyone else signed in who may see it is
refused (403) before the input is read. Participants: the organiser sees every one; a member of
an organisation sees only its own organisation's participation (the list of who registered,
with what and how many meetings each will take, is the organiser's working data; a participant
learns whom it meets from its own meetings). Meetings: the organiser sees all, drafts included;
a participant its own, once the schedule is published; a meeting one may not see is 404.

The shortlist and the schedule are the matcher's: ``marketplace.events.api.schedule``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import authenticated_user
from config.api_common import error_responses
from marketplace.common.api import get_editable, get_visible
from marketplace.common.permissions import OrganizesOrReadOnly
from marketplace.events import exports as event_exports
from marketplace.events.filters import EVENT_FILTER_PARAMETERS, EventApiFilter
from marketplace.events.selectors import (
    event_is_managed_by,
    meeting_rows,
    meetings_visible_to,
    participants_visible_to,
)
from marketplace.events.serializers import (
    EventInputSerializer,
    EventOutputSerializer,
    EventParticipantInputSerializer,
    EventParticipantOutputSerializer,
    EventRegistrationInputSerializer,
    MeetingOutcomeInputSerializer,
    MeetingOutputSerializer,
)
from marketplace.events.services import (
    EVENT_FIELDS,
    event_create,
    event_registration_set,
    event_update,
    meeting_record_outcome,
    participant_register,
    participant_remove,
)
from marketplace.models import Event, EventParticipant, Meeting

TAGS = ["events"]


def events() -> QuerySet[Event]:
    return Event.objects.select_related("organizer").prefetch_related("domains", "tables")


def visible_event(pk: int) -> Event:
    """Events are public: 404 only for one that does not exist."""
    return get_visible(events(), pk)


def managed_event(request: Request, pk: int) -> Event:
    """An event the caller organises: 404 if there is none, 403 for everyone else."""
    return get_editable(events(), Event.objects.managed_by(request.user), pk)


def render_event(request: Request, event: Event, *, status_code: int = 200) -> Response:
    return Response(EventOutputSerializer(events().get(pk=event.pk)).data, status=status_code)


def visible_meetings(request: Request, event: Event) -> QuerySet[Meeting]:
    return meetings_visible_to(event, request.user).select_related(
        "table", "demand__organization", "vendor__organization"
    )


def render_meeting(request: Request, event: Event, meeting: Meeting) -> Response:
    (row,) = meeting_rows(event, visible_meetings(request, event).filter(pk=meeting.pk))
    return Response(MeetingOutputSerializer(row).data)


def _participants(request: Request, event: Event) -> QuerySet[EventParticipant]:
    """Every participant for the event's organiser; one's own organisation's for its members."""
    participants = (
        EventParticipant.objects.filter(event=event)
        .select_related("organization")
        .prefetch_related("needs", "capabilities")
        .order_by("role", "organization__name", "pk")
    )
    if event_is_managed_by(event, request.user):
        return participants
    organization_id = authenticated_user(request).organization_id
    if organization_id is None:
        return participants.none()
    return participants.filter(organization_id=organization_id)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _file_response(content_type: str, description: str) -> dict[object, OpenApiResponse]:
    return {
        (200, content_type.split(";")[0]): OpenApiResponse(
            response=OpenApiTypes.BINARY, description=description
        )
    }


# --- Events -------------------------------------------------------------------------------------


class EventListCreateApi(generics.GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly, OrganizesOrReadOnly]
    filter_backends = [DjangoFilterBackend]
    filterset_class = EventApiFilter
    serializer_class = EventOutputSerializer

    def get_queryset(self) -> QuerySet[Event]:
        return events()

    @extend_schema(
        operation_id="events_list",
        tags=TAGS,
        summary="List matchmaking events (public)",
        description="Latest date first.",
        responses={200: EventOutputSerializer(many=True), **error_responses(400)},
        parameters=EVENT_FILTER_PARAMETERS,
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()).distinct())
        return self.get_paginated_response(EventOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="events_create",
        tags=TAGS,
        summary="Create an event (organisers)",
        description="The event belongs to the caller's organising organisation; its date is "
        "today or later. Registration is open at first, until the event starts; the answer "
        "lists the meeting slots the timing leaves.",
        request=EventInputSerializer,
        responses={201: EventOutputSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        serializer = EventInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        event = event_create(
            user=authenticated_user(request),
            fields={name: data[name] for name in EVENT_FIELDS if name in data},
            breaks=data.get("breaks", []),
            tables=data["tables"],
            domains=data.get("domains", []),
        )
        return render_event(request, event, status_code=status.HTTP_201_CREATED)


class EventDetailApi(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(
        operation_id="events_retrieve",
        tags=TAGS,
        summary="One event, with its meeting slots and tables (public)",
        responses={200: EventOutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(EventOutputSerializer(visible_event(pk)).data)

    @extend_schema(
        operation_id="events_partial_update",
        tags=TAGS,
        summary="Edit an event (its organiser)",
        description="Only the fields sent change; tables, when sent, replace the list. A new "
        "date is today or later. Once meetings are placed, the timing may change only while "
        "every meeting keeps its slot, and not at all while the schedule is published.",
        request=EventInputSerializer,
        responses={200: EventOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        event = managed_event(request, pk)
        serializer = EventInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        event = event_update(
            event,
            user=authenticated_user(request),
            fields={name: data[name] for name in EVENT_FIELDS if name in data},
            breaks=data.get("breaks", event.breaks),
            tables=data.get("tables", [(t.name, t.capacity) for t in event.tables.all()]),
            domains=data.get("domains"),
        )
        return render_event(request, event)


class EventRegistrationApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="events_registration",
        tags=TAGS,
        summary="Open or close registration (its organiser)",
        description="While it is closed, organisations can neither register nor withdraw "
        "themselves; the organiser still registers and removes them. Registration closes "
        "anyway when the event starts, and cannot be opened again after that.",
        request=EventRegistrationInputSerializer,
        responses={200: EventOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        event = managed_event(request, pk)
        serializer = EventRegistrationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = event_registration_set(
            event, user=authenticated_user(request), open_=serializer.validated_data["open"]
        )
        return render_event(request, event)


# --- Participants -------------------------------------------------------------------------------


class EventParticipantListApi(generics.GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = EventParticipantOutputSerializer
    queryset = EventParticipant.objects.none()  # for the schema; the views choose the rows

    @extend_schema(
        operation_id="events_participants_list",
        tags=TAGS,
        summary="The event's participants (its organiser); one's own participation (members)",
        description="Demand organisations first, then vendors, each by name.",
        responses={200: EventParticipantOutputSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        participants = _participants(request, visible_event(pk))
        page = self.paginate_queryset(participants)
        return self.get_paginated_response(EventParticipantOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="events_participants_register",
        tags=TAGS,
        summary="Register an organisation, or change what it brings",
        description="Members register their own approved organisation while registration is "
        "open and the event has not started: a demand organisation with its published needs, "
        "a vendor with its published profiles. The event's organiser registers any approved "
        "one, at any time. Registering again replaces what was sent before (no max_meetings: "
        "the event's default). 201 for a new participant, 200 for a changed one.",
        request=EventParticipantInputSerializer,
        responses={
            201: EventParticipantOutputSerializer,
            200: EventParticipantOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        event = visible_event(pk)
        serializer = EventParticipantInputSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organization = data["organization"]
        existed = EventParticipant.objects.filter(event=event, organization=organization).exists()
        participant = participant_register(
            event,
            user=authenticated_user(request),
            organization=organization,
            needs=data.get("needs", []),
            capabilities=data.get("capabilities", []),
            max_meetings=data["max_meetings"],
        )
        fresh = _participants(request, event).get(pk=participant.pk)
        return Response(
            EventParticipantOutputSerializer(fresh).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


class EventParticipantDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="events_participants_retrieve",
        tags=TAGS,
        summary="One participant (the event's organiser, its own members)",
        responses={200: EventParticipantOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int, participant_id: int) -> Response:
        participant = get_visible(_participants(request, visible_event(pk)), participant_id)
        return Response(EventParticipantOutputSerializer(participant).data)

    @extend_schema(
        operation_id="events_participants_remove",
        tags=TAGS,
        summary="Remove a participant (its organiser), or withdraw (its own members)",
        description="Members withdraw only while registration is open and the event has not "
        "started. A participant with meetings in the schedule is not removed: take its meetings "
        "out of the shortlist first.",
        responses={204: None, **error_responses(400, 401, 404)},
    )
    def delete(self, request: Request, pk: int, participant_id: int) -> Response:
        participant = get_visible(_participants(request, visible_event(pk)), participant_id)
        participant_remove(participant, user=authenticated_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ParticipantCalendarApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="events_participants_calendar",
        tags=TAGS,
        summary="A participant's meetings as an iCalendar file",
        description="For the event's organiser, and for the participant's members once the "
        "schedule is published.",
        responses={
            **_file_response(event_exports.ICS_CONTENT_TYPE, "One VEVENT per meeting."),
            **error_responses(401, 404),
        },
    )
    def get(self, request: Request, pk: int, participant_id: int) -> HttpResponse:
        participant = get_visible(
            participants_visible_to(request.user)
            .filter(event_id=pk)
            .select_related("event", "organization"),
            participant_id,
        )
        event = participant.event
        return _download(
            event_exports.participant_ics(event, participant),
            event_exports.ICS_CONTENT_TYPE,
            event_exports.export_filename(event, f"agenda-{participant.pk}", "ics"),
        )


# --- Meetings and outcomes ----------------------------------------------------------------------


class EventMeetingListApi(generics.GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = MeetingOutputSerializer
    queryset = Meeting.objects.none()  # for the schema; the views choose the rows

    @extend_schema(
        operation_id="events_meetings_list",
        tags=TAGS,
        summary="The event's meetings (its organiser); one's own once published (participants)",
        description="In time order, then by table. Empty for everyone else.",
        responses={200: MeetingOutputSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        event = visible_event(pk)
        meetings = visible_meetings(request, event).order_by(
            "slot", "table__position", "table", "pk"
        )
        page = self.paginate_queryset(meetings)
        rows = meeting_rows(event, page or [])
        return self.get_paginated_response(MeetingOutputSerializer(rows, many=True).data)


class MeetingOutcomeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="events_meetings_outcome",
        tags=TAGS,
        summary="Record whether a meeting took place and what came of it",
        description="By the event's organiser or either side of the meeting, on or after the "
        "event's day. A pilot needs its site and both dates; only a pilot or a deployment keeps "
        "them.",
        request=MeetingOutcomeInputSerializer,
        responses={200: MeetingOutputSerializer, **error_responses(400, 401, 404)},
    )
    def post(self, request: Request, pk: int, meeting_id: int) -> Response:
        event = visible_event(pk)
        meeting = get_visible(visible_meetings(request, event), meeting_id)
        serializer = MeetingOutcomeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meeting = meeting_record_outcome(
            meeting,
            user=authenticated_user(request),
            attendance=data["attendance"],
            outcome=data["outcome"],
            pilot_site=data["pilot_site"],
            pilot_start=data["pilot_start"],
            pilot_end=data["pilot_end"],
            note=data["note"],
        )
        return render_meeting(request, event, meeting)


# --- Files --------------------------------------------------------------------------------------


class EventScheduleXlsxApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="events_schedule_xlsx",
        tags=TAGS,
        summary="The schedule as a workbook (its organiser)",
        description="Two sheets: every meeting in time order, and the same table by table.",
        responses={
            **_file_response(event_exports.XLSX_CONTENT_TYPE, "The workbook, as an attachment."),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        event = managed_event(request, pk)
        return _download(
            event_exports.schedule_xlsx(event, actor=authenticated_user(request)),
            event_exports.XLSX_CONTENT_TYPE,
            event_exports.export_filename(event, "schedule", "xlsx"),
        )


class EventShortlistCsvApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="events_shortlist_csv",
        tags=TAGS,
        summary="The shortlist with scores as CSV (its organiser)",
        description="UTF-8 with a byte-order mark, so Excel reads the Chinese.",
        responses={
            **_file_response(event_exports.CSV_CONTENT_TYPE, "The CSV, as an attachment."),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        event = managed_event(request, pk)
        return _download(
            event_exports.shortlist_csv(event, actor=authenticated_user(request)),
            event_exports.CSV_CONTENT_TYPE,
            event_exports.export_filename(event, "shortlist", "csv"),
        )
