"""``/api/v1/`` reads of the stored matches: ranked profiles for a need, ranked needs for a
profile. ``X-Matching-State`` says whether a need's list is ready, updating or pending."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_common import error_responses
from marketplace.common.api import get_visible
from marketplace.common.scores import score_percent
from marketplace.matches.fragments import api_reasons
from marketplace.matches.selectors import capability_matches_read, need_matches_read
from marketplace.models import Capability, Need
from matching.engine import RankedMatch

TAGS = ["matching"]
TOP_PARAMETER = OpenApiParameter(
    "top", int, description="How many matches to return (1–100, default 20)."
)


class ReasonSerializer(serializers.Serializer):
    """One requirement's verdict, in the shape ``matching_rank --format json`` prints."""

    aspect = serializers.CharField(help_text="certifications, region, budget, clause:1, …")
    verdict = serializers.ChoiceField(
        choices=["met", "partly", "unknown", "missing", "contradicted"]
    )
    text = serializers.CharField(help_text="The reason as the page shows it, with its mark.")
    evidence = serializers.CharField(
        help_text="The profile's sentence or field that answers it (empty when none does)."
    )


class AspectSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="certifications, region, budget, domain, category:…")
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label"
    status = serializers.ChoiceField(
        choices=["met", "partial", "missing", "unknown", "contradicted"],
        help_text="contradicted: the profile says the opposite, or a limit that rules it out.",
    )
    wanted = serializers.CharField(help_text="What the need asks for.")
    evidence = serializers.CharField(help_text="The profile's sentence or field that answers it.")
    is_hard = serializers.BooleanField(help_text="A hard requirement decides eligibility.")


class ScoreComponentSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label"
    value = serializers.FloatField()
    weight = serializers.FloatField()
    contribution = serializers.FloatField()


class MatchedObjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ref = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    organization = serializers.CharField(source="organization.name")


class MatchSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    score_percent = serializers.IntegerField(
        read_only=True,
        min_value=0,
        max_value=100,
        help_text="`score` as the pages show it: a whole number from 0 to 100 "
        "(× 100, rounded half up).",
    )
    eligible = serializers.BooleanField()
    failed_requirements = serializers.ListField(child=serializers.CharField())
    reasons = ReasonSerializer(
        many=True,
        help_text="Hard requirements first, then the need's own order: each with its verdict "
        "and the evidence sentence.",
    )
    aspects = AspectSerializer(many=True)
    breakdown = ScoreComponentSerializer(many=True)


class NeedMatchSerializer(MatchSerializer):
    capability = MatchedObjectSerializer()


class CapabilityLeadSerializer(MatchSerializer):
    need = MatchedObjectSerializer()


class TopInputSerializer(serializers.Serializer):
    top = serializers.IntegerField(min_value=1, max_value=100, default=20)


def _payloads(matches: list[RankedMatch], key: str, others: list[dict[str, Any]]) -> list[Any]:
    """The matches as NeedMatchSerializer / CapabilityLeadSerializer print them (they document
    the shape; the payload is built in that shape, not passed through them again)."""
    rendered = api_reasons.many(matches, get_language())
    return [
        {
            "rank": rank,
            "score": match.score,
            "score_percent": score_percent(match.score),
            "eligible": match.eligible,
            "failed_requirements": list(match.failed_requirements),
            **reasons,
            key: other,
        }
        for rank, (match, reasons, other) in enumerate(
            zip(matches, rendered, others, strict=True), start=1
        )
    ]


def _needs_named(ids: list[int]) -> dict[int, dict[str, Any]]:
    """How a match names the need: id, ref, title and organisation, by id."""
    rows = Need.objects.filter(pk__in=ids).values("id", "ref", "title", "organization__name")
    return {
        row["id"]: {
            "id": row["id"],
            "ref": row["ref"],
            "title": row["title"],
            "organization": row["organization__name"],
        }
        for row in rows
    }


def _profile_named(profile: Capability) -> dict[str, Any]:
    """How a match names the profile, in the shape of ``_needs_named``."""
    return {
        "id": profile.pk,
        "ref": profile.ref,
        "title": profile.title,
        "organization": profile.organization.name,
    }


def _top(request: Request) -> int:
    serializer = TopInputSerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return int(serializer.validated_data["top"])


class NeedMatchesApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="needs_matches",
        tags=TAGS,
        summary="Ranked capability profiles for a need, with reasons (owner, organisers)",
        description=(
            "Read from the list the matcher stored for the need. The response header "
            "X-Matching-State says whether it is `ready`, `updating` (ranked before the need's "
            "last edit; a new ranking is on its way) or `pending` (not ranked yet: the list is "
            "empty; ask again in a few seconds)."
        ),
        parameters=[TOP_PARAMETER],
        responses={200: NeedMatchSerializer(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        need = get_visible(Need.objects.editable_by(request.user), pk)
        stored = need_matches_read(need, top=_top(request))
        profiles = [_profile_named(stored.profiles[m.capability_id]) for m in stored.matches]
        return Response(
            _payloads(stored.matches, "capability", profiles),
            headers={"X-Matching-State": str(stored.state)},
        )


class CapabilityLeadsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="capabilities_leads",
        tags=TAGS,
        summary="Ranked published needs for a capability profile (its vendor, organisers)",
        parameters=[TOP_PARAMETER],
        responses={200: CapabilityLeadSerializer(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        capability = get_visible(Capability.objects.editable_by(request.user), pk)
        matches = capability_matches_read(capability, top=_top(request))
        others = _needs_named([m.need_id for m in matches])
        return Response(_payloads(matches, "need", [others[m.need_id] for m in matches]))
