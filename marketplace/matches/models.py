"""A need's ranked profiles, stored by the worker for one encoder model, so that pages and the
API read them instead of ranking (web processes never load the model)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.capabilities.models import Capability
from marketplace.needs.models import Need


class MatchListQuerySet(models.QuerySet["MatchList"]):
    def of_model(self, model_name: str) -> MatchListQuerySet:
        return self.filter(model_name=model_name)


class MatchList(models.Model):
    """When and from what a need's stored matches were ranked: the need as it was saved
    (``need_updated_at``) and the taxonomy version; either moving makes the list out of date."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="match_lists")
    model_name = models.CharField(_("模型"), max_length=200)
    need_updated_at = models.DateTimeField()
    # The taxonomy and ranker versions it was ranked under (see matches.ranking.lists_version).
    taxonomy_version = models.CharField(max_length=64)
    ranked_at = models.DateTimeField(_("排序时间"))
    # What the worker read in the need's text (marketplace.matches.reading.reading_data): the
    # suggested categories, robot type and product class, and the clarifying question.
    reading = models.JSONField(default=dict, blank=True)

    objects = MatchListQuerySet.as_manager()

    class Meta:
        verbose_name = _("匹配结果")
        verbose_name_plural = _("匹配结果")
        constraints = [
            models.UniqueConstraint(fields=["need", "model_name"], name="match_list_one_per_model")
        ]

    def __str__(self) -> str:
        return f"{self.need_id} ({self.model_name})"

    def is_current_for(self, need: Need, taxonomy_version: str) -> bool:
        return self.need_updated_at == need.updated_at and self.taxonomy_version == taxonomy_version


class StoredMatch(models.Model):
    """One ranked profile of a list: its score, eligibility and reasons as structured data."""

    match_list = models.ForeignKey(MatchList, on_delete=models.CASCADE, related_name="entries")
    capability = models.ForeignKey(Capability, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    score = models.FloatField()
    eligible = models.BooleanField()
    # matching.ranking.serialize.match_to_data: failed requirements, breakdown, aspects.
    detail = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("匹配项")
        verbose_name_plural = _("匹配项")
        ordering = ["match_list", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["match_list", "capability"], name="stored_match_one_per_pair"
            )
        ]
        indexes = [models.Index(fields=["capability", "match_list"])]

    def __str__(self) -> str:
        return f"{self.match_list_id}#{self.position}: {self.capability_id}"
