"""The reading of a free-text need on the need pages: suggestions the institution confirms, and
the clarifying question. Keyword readings are made here (no model); the worker's readings, with
the model, are read from the stored match list."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.typing import AuthenticatedHttpRequest
from marketplace.common.views import demand_or_organizer_required
from marketplace.matches.models import MatchList
from marketplace.matches.reading import need_reading_keywords, reading_text, stored_reading
from marketplace.models import Domain, Need, ProductClass, Region, RobotType, ServiceCategory
from marketplace.needs import services as need_services
from marketplace.needs.forms import NeedClarifyForm, NeedReadingConfirmForm
from marketplace.taxonomy.version import taxonomy_version
from matching.engine import NeedFeatures, NeedReading, Question, unstated

# The actions of the need form's reading buttons (they re-show the form, they save nothing).
READ = "read"
APPLY_READING = "apply_reading"

QUESTION_TEXT = {
    Question.BUDGET: gettext_lazy(
        "每台/套的预算大约是多少？供应商的价格相差很大，说明预算后匹配会更准。"
    ),
    Question.FLOORS: gettext_lazy("机器人要在几层楼里工作，有没有电梯？有的供应商只能在单层使用。"),
    Question.CERTIFICATION: gettext_lazy(
        "是否必须具备某种资质认证（如医疗器械注册证）？供应商的资质各不相同。"
    ),
    Question.REGION: gettext_lazy("机构在哪个地区？有的供应商只在部分地区提供服务。"),
}
UNSTATED_TEXT = {
    Question.BUDGET: pgettext_lazy("unstated requirement", "预算"),
    Question.FLOORS: pgettext_lazy("unstated requirement", "楼层与电梯"),
    Question.CERTIFICATION: pgettext_lazy("unstated requirement", "必需资质"),
    Question.REGION: pgettext_lazy("unstated requirement", "所在地区"),
}


@dataclass(frozen=True)
class ReadingDisplay:
    """A reading with the taxonomy rows it names, for a template."""

    reading: NeedReading
    categories: list[ServiceCategory] = field(default_factory=list)
    robot_type: RobotType | None = None
    product_class: ProductClass | None = None

    @property
    def names(self) -> list[str]:
        parts: list[Any] = [*self.categories, self.robot_type, self.product_class]
        return [part.display_name for part in parts if part is not None]

    @property
    def summary(self) -> str:
        return " · ".join(self.names)

    @property
    def domain(self) -> Domain | None:
        return self.categories[0].domain if self.categories else None


@dataclass(frozen=True)
class _TaxonomyRows:
    categories: dict[str, ServiceCategory]
    robot_types: dict[str, RobotType]
    product_classes: dict[str, ProductClass]


@lru_cache(maxsize=1)
def _taxonomy_rows(version: str) -> _TaxonomyRows:
    """The rows a reading can name, by code: read once per taxonomy version in this process, so
    the need and match pages show a reading without a query."""
    return _TaxonomyRows(
        {c.code: c for c in ServiceCategory.objects.select_related("domain")},
        {r.code: r for r in RobotType.objects.all()},
        {p.code: p for p in ProductClass.objects.all()},
    )


def reading_display(reading: NeedReading) -> ReadingDisplay | None:
    rows = _taxonomy_rows(taxonomy_version())
    robot = reading.robot_type
    product = reading.product_class
    display = ReadingDisplay(
        reading=reading,
        categories=[
            rows.categories[guess.code]
            for guess in reading.categories
            if guess.code in rows.categories
        ],
        robot_type=rows.robot_types.get(robot.code) if robot else None,
        product_class=rows.product_classes.get(product.code) if product else None,
    )
    return display if display.names else None


def _number(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _row(model: Any, value: str | None) -> Any:
    pk = _number(value)
    return model.objects.filter(pk=pk).first() if pk is not None else None


def form_reading(data: QueryDict) -> tuple[ReadingDisplay | None, list[str]]:
    """The keyword reading of a need form's title and description, and what it leaves
    unstated (budget, floors and elevator, certification, region), from the form's values."""
    domain: Domain | None = _row(Domain, data.get("domain"))
    title, description = data.get("title", ""), data.get("description", "")
    region: Region | None = _row(Region, data.get("region"))
    elevator = data.get("site_has_elevator")
    features = NeedFeatures(
        id=0,
        ref=None,
        title=title,
        description=description,
        domain=domain.code if domain else "",
        region=region.name if region else "",
        budget_max_cny=_number(data.get("budget_max_cny")),
        site_floors=_number(data.get("site_floors")),
        site_has_elevator={"true": True, "false": False}.get(str(elevator)),
        required_certifications=frozenset(data.getlist("required_certifications")),
    )
    text = reading_text(title, description)
    missing = [str(UNSTATED_TEXT[q]) for q in unstated(features, text)] if text.strip() else []
    if not text.strip():
        return None, missing
    reading = need_reading_keywords(title, description, domain.code if domain else None)
    return reading_display(reading), missing


def form_initial(
    data: QueryDict, form_fields: Any, *, apply: ReadingDisplay | None
) -> dict[str, Any]:
    """The form's values as typed (to show it again unsaved), with the reading's suggestions
    added when the institution asked to apply them."""
    initial: dict[str, Any] = {}
    for name, form_field in form_fields.items():
        many = isinstance(form_field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
        initial[name] = data.getlist(name) if many else data.get(name)
    if apply is not None:
        if apply.domain is not None and str(initial.get("domain") or "") != str(apply.domain.pk):
            initial["domain"] = apply.domain.pk
            initial["categories"] = []
        initial["categories"] = sorted(
            {*map(str, initial.get("categories") or []), *(str(c.pk) for c in apply.categories)}
        )
        if apply.product_class is not None:
            initial["product_classes"] = sorted(
                {*map(str, initial.get("product_classes") or []), str(apply.product_class.pk)}
            )
    return initial


def reading_fragment(
    request: HttpRequest, display: ReadingDisplay | None, missing: list[str]
) -> str:
    return render_to_string(
        "marketplace/_need_reading.html",
        {"reading": display, "missing": missing, "live": True},
        request=request,
    )


def _back(request: HttpRequest, need: Need) -> HttpResponse:
    """Back to the page the answer came from: the need's match page, or the need's page."""
    if request.POST.get("next_page") == "matches":
        return redirect("matches:need_matches", need.pk)
    return redirect(need)


def _messages(form: Any) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


@demand_or_organizer_required
@require_GET
def need_reading(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The keyword reading of what the institution is typing, as a fragment of the form and
    the values its "apply" button fills in."""
    display, missing = form_reading(request.GET)
    return JsonResponse(
        {
            "html": reading_fragment(request, display, missing),
            "domain": display.domain.pk if display and display.domain else None,
            "categories": [c.pk for c in display.categories] if display else [],
            "product_classes": [display.product_class.pk]
            if display and display.product_class
            else [],
        }
    )


def detail_context(
    need: Need, match_list: MatchList | None, *, current: bool | None = None
) -> dict[str, Any]:
    """The stored reading (for a need without categories or product classes) and the
    clarifying question, for the owner's view of the need page; ``match_list`` is the need's
    list of the current model (``need_match_list``), None while it has none; ``current``,
    whether it is up to date, when the caller knows."""
    stored = stored_reading(need, match_list, current=current)
    if stored is None:
        return {}
    context: dict[str, Any] = {}
    display = reading_display(stored.reading)
    if display is not None:
        has_categories, has_classes = _stated(need)
        if not (has_categories and has_classes):
            suggested = NeedReading(
                categories=() if has_categories else stored.reading.categories,
                robot_type=stored.reading.robot_type,
                product_class=None if has_classes else stored.reading.product_class,
            )
            shown = reading_display(suggested)
            if shown is not None and (shown.categories or shown.product_class):
                context["reading"] = shown

    if stored.question is not None and stored.current:
        context["question"] = str(QUESTION_TEXT[stored.question])
        context["clarify_form"] = NeedClarifyForm(question=stored.question)
        context["question_key"] = str(stored.question)
    return context


def _stated(need: Need) -> tuple[bool, bool]:
    """Whether the need names any category, and any product class: from the annotations of
    ``Need.objects.with_taxonomy_stated()`` when the need was read with them, else one query."""
    names = ("states_categories", "states_product_classes")
    if not hasattr(need, names[0]):
        need = Need.objects.with_taxonomy_stated().only("pk").get(pk=need.pk)
    categories, classes = (bool(getattr(need, name)) for name in names)
    return categories, classes


@login_required
@require_POST
def need_reading_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need.objects.editable_by(request.user), pk=pk)
    form = NeedReadingConfirmForm(request.POST)
    if not form.is_valid():
        for message in _messages(form):
            messages.error(request, message)
        return _back(request, need)
    try:
        need_services.need_reading_confirm(
            need=need,
            user=request.user,
            categories=form.cleaned_data["categories"],
            product_classes=form.cleaned_data["product_classes"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已按您的确认更新需求，正在重新匹配。"))
    return _back(request, need)


@login_required
@require_POST
def need_clarify(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need.objects.editable_by(request.user), pk=pk)
    try:
        question = Question(request.POST.get("question", ""))
    except ValueError:
        messages.error(request, _("这个问题已不需要回答。"))
        return _back(request, need)
    form = NeedClarifyForm(request.POST, question=question)
    if not form.is_valid():
        for message in _messages(form):
            messages.error(request, message)
        return _back(request, need)
    try:
        need_services.need_clarify(
            need=need,
            user=request.user,
            fields=form.service_fields(),
            required_certifications=form.cleaned_data.get("required_certifications") or (),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("谢谢，已补充到需求中，正在重新匹配。"))
    return _back(request, need)
