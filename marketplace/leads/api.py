"""Leads: each side's inbox, the vendor's answer, the institution's decision, the proposal file,
invitations and 不合适 from a need, and the vendor's alert settings.

A lead is looked up among the leads the user may see (404 otherwise); an action of one side is
refused (403) to everyone else who may see it, before the input is read. The services check the
state and write; their errors keep the lead as it was.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import FileResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import OrganizationSummarySerializer, authenticated_user
from accounts.models import Organization
from config.api_common import error_responses
from marketplace.common.api import get_editable, get_visible
from marketplace.common.permissions import IsVendor
from marketplace.leads.filters import LEAD_FILTER_PARAMETERS, LeadApiFilter
from marketplace.leads.proposals import proposal_response
from marketplace.leads.serializers import (
    LeadAlertPreferenceSerializer,
    LeadDecisionInputSerializer,
    LeadDeclineInputSerializer,
    LeadInviteInputSerializer,
    LeadNotFitInputSerializer,
    LeadOutputSerializer,
    LeadRespondInputSerializer,
)
from marketplace.leads.services import (
    lead_accept,
    lead_alert_update,
    lead_decline,
    lead_invite,
    lead_mark_not_fit,
    lead_open,
    lead_reject,
    lead_respond,
)
from marketplace.models import Lead, LeadAlertPreference, Need

TAGS = ["leads"]


# What LeadOutputSerializer prints of the four rows a lead points at: building them whole (every
# column of a need, a profile and two organisations) was most of the cost of a page of leads.
_SHOWN_OF_RELATED = (
    *("need__id", "need__title", "capability__id", "capability__title"),
    *(
        f"{side}__{name}"
        for side in ("demand", "vendor")
        for name in (*OrganizationSummarySerializer.Meta.fields, *Organization.CONTACT_FIELDS)
    ),
)


def _visible(request: Request) -> QuerySet[Lead]:
    """The leads the caller may see, with what LeadOutputSerializer needs of each."""
    return (
        Lead.objects.visible_to(request.user)
        .with_contact_visible(request.user)
        .select_related("need", "capability", "demand", "vendor")
    )


def _vendors_lead(request: Request, pk: int) -> Lead:
    """A lead of the caller's vendor: 404 if they may not see it, 403 if they are not its vendor."""
    return get_editable(_visible(request), Lead.objects.for_vendor(request.user), pk)


def _institutions_lead(request: Request, pk: int) -> Lead:
    """A lead on one of the caller's institution's needs: 404 if hidden, 403 for anyone else."""
    return get_editable(_visible(request), Lead.objects.for_demand(request.user), pk)


def _institutions_need(request: Request, pk: int) -> Need:
    """A need of the caller's own institution: only it decides (organisers may not), 403."""
    user = authenticated_user(request)
    own = Need.objects.editable_by(user) if user.is_demand else Need.objects.none()
    return get_editable(Need.objects.visible_to(user), own, pk)


def _render(request: Request, lead: Lead) -> Response:
    fresh = _visible(request).get(pk=lead.pk)
    return Response(LeadOutputSerializer(fresh, context={"request": request}).data)


def _answer(
    request: Request,
    lead: Lead,
    input_serializer: type[serializers.Serializer],
    service: Callable[..., Lead],
) -> Response:
    """One side's answer on a lead the caller already acts for (so 403 comes before the input):
    the input serializer's fields are the service's keyword arguments."""
    serializer = input_serializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    lead = service(lead, authenticated_user(request), **serializer.validated_data)
    return _render(request, lead)


class LeadListApi(generics.GenericAPIView):
    permission_classes = [IsAuthenticated]
    filter_backends = [DjangoFilterBackend]
    filterset_class = LeadApiFilter
    serializer_class = LeadOutputSerializer

    def get_queryset(self) -> QuerySet[Lead]:
        own = [field.name for field in Lead._meta.concrete_fields]
        return _visible(self.request).only(*own, *_SHOWN_OF_RELATED)

    @extend_schema(
        operation_id="leads_list",
        tags=TAGS,
        summary="The caller's leads",
        description="A vendor's: the leads on its capability profiles. An institution's: the "
        "leads on its needs. Organisers: every lead. Best match first.",
        responses={200: LeadOutputSerializer(many=True), **error_responses(400, 401)},
        parameters=LEAD_FILTER_PARAMETERS,
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        serializer = LeadOutputSerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)


class LeadDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="leads_retrieve",
        tags=TAGS,
        summary="One lead",
        description="The lead's vendor opening a new lead marks it viewed.",
        responses={200: LeadOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        lead = lead_open(get_visible(_visible(request), pk), authenticated_user(request))
        return _render(request, lead)


class LeadRespondApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="leads_respond",
        tags=TAGS,
        summary="Say the vendor is interested, with a message and an optional proposal (vendor)",
        description="If the institution already invited the vendor, the two sides are in talks "
        "at once and see each other's contact details.",
        request=LeadRespondInputSerializer,
        responses={200: LeadOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        lead = _vendors_lead(request, pk)
        return _answer(request, lead, LeadRespondInputSerializer, lead_respond)


class LeadDeclineApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="leads_decline",
        tags=TAGS,
        summary="Decline a lead, with a reason (vendor)",
        description="The pair is never suggested to either side again.",
        request=LeadDeclineInputSerializer,
        responses={200: LeadOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        lead = _vendors_lead(request, pk)
        return _answer(request, lead, LeadDeclineInputSerializer, lead_decline)


class LeadAcceptApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="leads_accept",
        tags=TAGS,
        summary="Accept a vendor's interested response (institution)",
        description="The two sides are in talks and see each other's contact details.",
        request=LeadDecisionInputSerializer,
        responses={200: LeadOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        lead = _institutions_lead(request, pk)
        return _answer(request, lead, LeadDecisionInputSerializer, lead_accept)


class LeadRejectApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="leads_reject",
        tags=TAGS,
        summary="Decline a vendor, or withdraw (institution)",
        description="The pair is never suggested to either side again.",
        request=LeadDecisionInputSerializer,
        responses={200: LeadOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        lead = _institutions_lead(request, pk)
        return _answer(request, lead, LeadDecisionInputSerializer, lead_reject)


class LeadProposalApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="leads_proposal",
        tags=TAGS,
        summary="Download the vendor's proposal (the two sides, organisers)",
        responses={
            (200, "*/*"): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description="The file as uploaded (PDF, Word, …), as an attachment.",
            ),
            **error_responses(401, 404),
        },
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        return proposal_response(get_visible(_visible(request), pk))


class NeedInviteApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="needs_invite",
        tags=TAGS,
        summary="Invite a capability profile to talk about this need (its institution)",
        description="If the vendor already said it is interested, the two sides are in talks at "
        "once. A vendor that declined or was marked 不合适 cannot be invited.",
        request=LeadInviteInputSerializer,
        responses={200: LeadOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        need = _institutions_need(request, pk)
        serializer = LeadInviteInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        lead = lead_invite(
            need,
            serializer.validated_data["capability"],
            authenticated_user(request),
            message=serializer.validated_data["message"],
        )
        return _render(request, lead)


class NeedNotFitApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="needs_not_fit",
        tags=TAGS,
        summary="Mark a vendor 不合适 for this need (its institution)",
        description="None of the vendor's profiles is suggested for this need again. Returns "
        "the vendor's leads on the need.",
        request=LeadNotFitInputSerializer,
        responses={200: LeadOutputSerializer(many=True), **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        need = _institutions_need(request, pk)
        serializer = LeadNotFitInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        leads = lead_mark_not_fit(
            need, serializer.validated_data["vendor"], authenticated_user(request)
        )
        fresh = _visible(request).filter(pk__in=[lead.pk for lead in leads])
        return Response(LeadOutputSerializer(fresh, many=True, context={"request": request}).data)


def _vendor(request: Request) -> Organization:
    organization = authenticated_user(request).organization
    assert organization is not None, "the view's permission classes must require a vendor"
    return organization


class LeadAlertsApi(APIView):
    permission_classes = [IsVendor]

    @extend_schema(
        operation_id="lead_alerts_retrieve",
        tags=TAGS,
        summary="The vendor's new-lead alert settings (vendors)",
        responses={200: LeadAlertPreferenceSerializer, **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        organization = _vendor(request)
        # Reading never writes: an organisation without a row has the defaults.
        preference = LeadAlertPreference.objects.filter(
            organization=organization
        ).first() or LeadAlertPreference(organization=organization)
        return Response(LeadAlertPreferenceSerializer(preference).data)

    @extend_schema(
        operation_id="lead_alerts_update",
        tags=TAGS,
        summary="Change the vendor's new-lead alert settings (vendors)",
        request=LeadAlertPreferenceSerializer,
        responses={200: LeadAlertPreferenceSerializer, **error_responses(400, 401, 403)},
    )
    def put(self, request: Request) -> Response:
        organization = _vendor(request)
        serializer = LeadAlertPreferenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        preference = lead_alert_update(
            organization, authenticated_user(request), **serializer.validated_data
        )
        return Response(LeadAlertPreferenceSerializer(preference).data)
