"""Property tests of the forms' cleaning: any text in any field gives a yes or no, never an
exception; every error is in Chinese; NUL characters never reach cleaned data."""

from __future__ import annotations

from typing import Any

from django import forms
from hypothesis import example, given
from hypothesis import strategies as st

from accounts.forms import SignupForm
from accounts.models import User
from marketplace.capabilities.forms import CapabilityForm
from marketplace.needs.forms import NeedForm
from tests.conftest import PASSWORD
from tests.fuzz.strategies import CJK, WITH_DATABASE, awkward_text

NEED_TEXT_FIELDS = ("title", "description", "site_environment", "wanted_by")
NEED_NUMBER_FIELDS = ("site_floors", "site_area_m2", "quantity", "budget_min_cny", "budget_max_cny")
CAPABILITY_TEXT_FIELDS = ("title", "description", "key_specs", "reference_deployments", "maturity")
CAPABILITY_NUMBER_FIELDS = ("price_min_cny", "price_max_cny", "pilot_capacity_per_quarter")
# The sign-up form's fields that take one string: text, e-mail, URL, or a choice's value.
SIGNUP_TEXT_FIELDS = tuple(
    name
    for name, field in SignupForm.base_fields.items()
    if isinstance(field, forms.CharField | forms.ChoiceField)
    and not isinstance(field, forms.MultipleChoiceField)
)

number_as_text = st.one_of(
    awkward_text,
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.integers(min_value=0, max_value=10**9).map(
        lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


def _edits(fields: tuple[str, ...], values: st.SearchStrategy[str]) -> Any:
    return st.dictionaries(st.sampled_from(fields), values, min_size=1, max_size=3)


def _check(form: forms.BaseForm) -> None:
    """is_valid gives a bool; errors are Chinese; no cleaned text keeps a NUL."""
    valid = form.is_valid()

    assert isinstance(valid, bool)
    for field, messages in form.errors.items():
        for message in messages:
            assert CJK.search(message), (field, message)
    for name, value in getattr(form, "cleaned_data", {}).items():
        assert "\x00" not in str(value), name


@WITH_DATABASE
@given(
    texts=_edits(NEED_TEXT_FIELDS, awkward_text),
    numbers=_edits(NEED_NUMBER_FIELDS, number_as_text),
)
@example(texts={"title": "送餐\x00机器人"}, numbers={"quantity": "２"})
@example(texts={"wanted_by": "２０２６／０１／０１"}, numbers={"budget_max_cny": "９" * 5000})
def test_need_form_cleans_any_text_without_raising(
    alice: User, taxonomy: dict[str, Any], texts: dict[str, str], numbers: dict[str, str]
) -> None:
    # Given a good need with a few fields replaced by arbitrary text
    data = {
        "title": "送餐机器人",
        "description": "三餐从厨房送到各楼层。",
        "domain": str(taxonomy["civil"].pk),
        "region": str(taxonomy["regions"]["青岛市"].pk),
        "quantity": "2",
        **texts,
        **numbers,
    }

    # When the form is cleaned, then it answers with Chinese errors and no NUL
    _check(NeedForm(data=data, user=alice))


@WITH_DATABASE
@given(
    texts=_edits(CAPABILITY_TEXT_FIELDS, awkward_text),
    numbers=_edits(CAPABILITY_NUMBER_FIELDS, number_as_text),
)
@example(texts={"key_specs": "续航\x00８小时"}, numbers={"price_min_cny": "１５０，０００"})
def test_capability_form_cleans_any_text_without_raising(
    bob: User, taxonomy: dict[str, Any], texts: dict[str, str], numbers: dict[str, str]
) -> None:
    data = {
        "title": "康复外骨骼",
        "description": "下肢康复训练。",
        "robot_type": str(taxonomy["exoskeleton"].pk),
        "maturity": "pilot",
        "domains": [str(taxonomy["health"].pk)],
        "service_regions": [str(taxonomy["regions"]["全国"].pk)],
        **texts,
        **numbers,
    }

    _check(CapabilityForm(data=data, user=bob))


@WITH_DATABASE
@given(texts=_edits(SIGNUP_TEXT_FIELDS, awkward_text))
@example(texts={"full_name": "王\x00五", "password1": "\x00" * 12})
def test_signup_form_cleans_any_text_without_raising(db: None, texts: dict[str, str]) -> None:
    data = {
        "email": "wang@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "full_name": "王五",
        "organization_name": "崂山颐养院",
        "kind": "demand",
        "sub_type": "elder_care",
        "city": "青岛市",
        **texts,
    }

    _check(SignupForm(data=data))


@WITH_DATABASE
@given(budget=st.integers(min_value=0, max_value=10**9))
def test_a_budget_typed_in_full_width_digits_is_read_as_the_number(
    alice: User, taxonomy: dict[str, Any], budget: int
) -> None:
    # Given a budget typed with a Chinese IME's full-width digits
    data = {
        "title": "送餐机器人",
        "description": "三餐从厨房送到各楼层。",
        "domain": str(taxonomy["civil"].pk),
        "region": str(taxonomy["regions"]["青岛市"].pk),
        "budget_max_cny": str(budget).translate(
            str.maketrans("0123456789", "０１２３４５６７８９")
        ),
    }
    form = NeedForm(data=data, user=alice)

    # When the form is cleaned, then it is the number
    assert form.is_valid(), form.errors
    assert form.cleaned_data["budget_max_cny"] == budget
