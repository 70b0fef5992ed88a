"""The taxonomy is seeded data (seeds/taxonomy.json), not code constants."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class NamedByLanguage(models.Model):
    name_zh = models.CharField(_("中文名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        language = get_language() or "zh-hans"
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class Domain(NamedByLanguage):
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    order = models.PositiveSmallIntegerField(
        _("排序"), default=0, validators=[MaxValueValidator(32767)]
    )

    class Meta:
        verbose_name = _("领域")
        verbose_name_plural = _("领域")
        ordering = ["order", "code"]


class ServiceCategory(NamedByLanguage):
    code = models.SlugField(_("代码"), max_length=48, unique=True)
    domain = models.ForeignKey(
        Domain, verbose_name=_("领域"), on_delete=models.PROTECT, related_name="categories"
    )
    keywords = models.JSONField(_("关键词"), default=list, blank=True)

    class Meta:
        verbose_name = _("服务类别")
        verbose_name_plural = _("服务类别")
        ordering = ["domain__order", "code"]


class ProductClass(NamedByLanguage):
    code = models.SlugField(_("代码"), max_length=48, unique=True)

    class Meta:
        verbose_name = _("产品类别")
        verbose_name_plural = _("产品类别")
        ordering = ["code"]


class RobotType(NamedByLanguage):
    code = models.SlugField(_("代码"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("机器人类型")
        verbose_name_plural = _("机器人类型")
        ordering = ["code"]


class RegionQuerySet(models.QuerySet["Region"]):
    def by_name(self, name: str) -> Region | None:
        return self.filter(name=name.strip()).first()


class Region(models.Model):
    class Level(models.TextChoices):
        COUNTRY = "country", _("全国")
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")

    name = models.CharField(_("名称"), max_length=64, unique=True)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name

    def lineage(self) -> list[Region]:
        """This region and every region containing it: 青岛市 → [青岛市, 山东省, 全国]."""
        chain: list[Region] = []
        node: Region | None = self
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return chain


class Certification(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("资质认证")
        verbose_name_plural = _("资质认证")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        language = get_language() or "zh-hans"
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name


# Every model of the taxonomy: what the list menus and the matcher's vocabulary are built from.
TAXONOMY_MODELS: tuple[type[models.Model], ...] = (
    Domain,
    ServiceCategory,
    ProductClass,
    RobotType,
    Region,
    Certification,
)
