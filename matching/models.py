from __future__ import annotations

import numpy as np
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmbeddingQuerySet(models.QuerySet["Embedding"]):
    def of_kind(self, kind: str) -> EmbeddingQuerySet:
        return self.filter(kind=kind)

    def current(self, model_name: str, dimension: int) -> EmbeddingQuerySet:
        return self.filter(model_name=model_name, dimension=dimension)

    def outdated(self, model_name: str, dimension: int) -> EmbeddingQuerySet:
        return self.exclude(model_name=model_name, dimension=dimension)


class Embedding(models.Model):
    """One vector per need or profile, with the model that made it and the text it encoded."""

    class Kind(models.TextChoices):
        NEED = "need", _("需求")
        CAPABILITY = "capability", _("能力")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    model_name = models.CharField(max_length=200)
    dimension = models.PositiveIntegerField()
    vector = models.BinaryField()
    text = models.TextField()
    text_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmbeddingQuerySet.as_manager()

    class Meta:
        verbose_name = _("向量")
        verbose_name_plural = _("向量")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="embedding_one_per_object"),
            models.CheckConstraint(condition=models.Q(dimension__gt=0), name="embedding_dimension"),
        ]
        indexes = [models.Index(fields=["kind", "model_name", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} ({self.model_name})"

    def as_array(self) -> np.ndarray:
        return np.frombuffer(bytes(self.vector), dtype=np.float32).reshape(self.dimension)
