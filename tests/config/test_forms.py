"""Validation messages in plain words (config/forms.py), as the project's forms show them."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from accounts.forms import SignupForm
from accounts.models import User
from marketplace.needs.forms import NeedForm
from tests.marketplace.form_data import need_form_data, signup_form_data


def test_an_overlong_description_is_refused_in_plain_chinese(
    taxonomy: dict[str, Any], alice: User
) -> None:
    # given a pasted description 321 characters over the limit
    form = NeedForm(need_form_data(taxonomy, description="送" * 5321), user=alice)

    # when / then
    assert not form.is_valid()
    assert form.errors["description"] == ["需求描述最多 5000 字，当前 5321 字。"]


def test_an_overlong_description_is_refused_in_plain_english(
    taxonomy: dict[str, Any], alice: User
) -> None:
    with translation.override("en"):
        form = NeedForm(need_form_data(taxonomy, description="送" * 5321), user=alice)
        assert not form.is_valid()
        errors = form.errors["description"]

    assert errors == ["Description can be at most 5000 characters long; it has 5321."]


def test_missing_fields_are_named_and_a_menu_asks_to_choose(
    taxonomy: dict[str, Any], alice: User
) -> None:
    form = NeedForm(need_form_data(taxonomy, title="", region=""), user=alice)

    assert not form.is_valid()
    assert form.errors["title"] == ["请填写标题。"]
    assert form.errors["region"] == ["请选择所在地区。"]


def test_missing_fields_in_english(taxonomy: dict[str, Any], alice: User) -> None:
    with translation.override("en"):
        form = NeedForm(need_form_data(taxonomy, title="", region=""), user=alice)
        assert not form.is_valid()
        errors = {name: list(messages) for name, messages in form.errors.items()}

    assert errors == {
        "title": ["Title is required."],
        "region": ["Please make a choice for Region."],
    }


@pytest.mark.django_db
def test_a_message_a_form_sets_itself_is_kept() -> None:
    # the sign-up form's own password rule, and a field that is not too long
    form = SignupForm(signup_form_data(password2="something-else", introduction="床" * 2001))

    assert not form.is_valid()
    assert form.errors["password2"] == ["两次输入的密码不一致。"]
    assert form.errors["introduction"] == ["机构简介最多 2000 字，当前 2001 字。"]


def test_a_long_text_field_shows_its_limit_as_text_without_javascript(
    taxonomy: dict[str, Any], alice: User
) -> None:
    form = NeedForm(user=alice)

    html = form["description"].as_widget()
    rendered = render_to_string("includes/field.html", {"field": form["description"]})

    assert 'maxlength="5000"' in html
    assert 'data-char-count-for="id_description"' in rendered
    assert ">最多 5000 字</small>" in rendered
    assert 'data-counting="已输入 {count} / 5000 字"' in rendered
