"""Forms for signing up, logging in and editing one's organisation.

They validate; services write."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from accounts.services import user_password_set
from accounts.throttling import PasswordResetEmailRateThrottle
from config.forms import PlainMessagesMixin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Offered as suggestions (a datalist), not a closed list: vendors come from all over China.
QINGDAO_DISTRICTS = (
    "市南区",
    "市北区",
    "李沧区",
    "崂山区",
    "黄岛区",
    "城阳区",
    "即墨区",
    "胶州市",
    "平度市",
    "莱西市",
)


def sub_type_choices(*kinds: str) -> list[tuple[StrOrPromise, list[tuple[str, StrOrPromise]]]]:
    """Sub-types grouped by organisation kind, so the select shows which belongs to which."""
    labels = dict(Organization.SubType.choices)
    kind_labels = dict(Organization.Kind.choices)
    return [
        (
            kind_labels[kind],
            [(value, labels[value]) for value in Organization.SUB_TYPES_BY_KIND[kind]],
        )
        for kind in kinds
    ]


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError next to the matching field, or above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("邮箱"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _("邮箱或密码不正确。"),
        "inactive": _("该账号已停用。"),
    }


class PasswordServiceMixin:
    """Django's password forms (reset, admin) save through ``user_password_set``, which also
    revokes the user's API tokens."""

    cleaned_data: dict[str, Any]

    def set_password_and_save(
        self, user: User, password_field_name: str = "password1", commit: bool = True
    ) -> User:
        usable = self.cleaned_data.get("set_usable_password", True)
        password = self.cleaned_data[password_field_name] if usable else None
        if not commit:
            if password is None:
                user.set_unusable_password()
            else:
                user.set_password(password)
            return user
        return user_password_set(user=user, password=password)


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's reset request, sending at most ``password_reset_email`` e-mails per address.

    Over the limit nothing is sent and the page answers as always, so it tells nobody whether
    the address has an account or how often it was asked for."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        request: HttpRequest | None = kwargs.get("request")
        throttle = PasswordResetEmailRateThrottle(self.cleaned_data["email"])
        if request is not None and not throttle.allow_request(request, None):  # type: ignore[arg-type]
            return
        super().save(*args, **kwargs)


class PasswordResetSetForm(PasswordServiceMixin, SetPasswordForm):
    """The new password chosen through the e-mailed reset link."""


class SignupForm(PlainMessagesMixin, forms.Form):
    email = forms.EmailField(
        label=_("邮箱"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 8 位，不能全是数字，不能与邮箱或姓名过于相似。"),
    )
    password2 = forms.CharField(
        label=_("确认密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    full_name = forms.CharField(label=_("姓名"), max_length=100)
    organization_name = forms.CharField(label=_("机构名称"), max_length=200)
    kind = forms.ChoiceField(
        label=_("机构类型"),
        choices=[
            (Organization.Kind.DEMAND, _("需求方（养老机构、企业等，发布需求）")),
            (Organization.Kind.VENDOR, _("供应方（机器人厂商、集成商，发布能力）")),
        ],
        widget=forms.RadioSelect,
    )
    sub_type = forms.ChoiceField(
        label=_("细分类型"),
        choices=[
            ("", "---------"),
            *sub_type_choices(Organization.Kind.DEMAND, Organization.Kind.VENDOR),
        ],
    )
    district = forms.CharField(
        label=_("区/市"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"list": "qingdao-districts"}),
    )
    city = forms.CharField(label=_("城市"), max_length=64, initial="青岛市")
    contact_person = forms.CharField(
        label=_("联系人"), max_length=64, required=False, help_text=_("留空则使用您的姓名。")
    )
    phone = forms.CharField(
        label=_("电话"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    website = forms.URLField(label=_("网站"), required=False, assume_scheme="https")
    introduction = forms.CharField(
        label=_("机构简介"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_email(self) -> str:
        # An e-mail that already has an account is not refused here: the page would tell anyone
        # which addresses are registered (accounts.services.signup_submit).
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif password1:
            user = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, user)
            except ValidationError as error:
                self.add_error("password1", error)
        kind, sub_type = cleaned.get("kind"), cleaned.get("sub_type")
        if kind and sub_type and sub_type not in Organization.SUB_TYPES_BY_KIND.get(kind, ()):
            self.add_error("sub_type", _("所选细分类型与机构类型不符。"))
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "email": data["email"],
            "password": data["password1"],
            "full_name": data["full_name"],
            "organization_name": data["organization_name"],
            "kind": data["kind"],
            "sub_type": data["sub_type"],
            "district": data["district"],
            "city": data["city"],
            "contact_person": data["contact_person"],
            "phone": data["phone"],
            "website": data["website"],
            "introduction": data["introduction"],
        }


class OrganizationForm(PlainMessagesMixin, forms.ModelForm):
    website = forms.URLField(label=_("网站"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = (
            "name",
            "sub_type",
            "district",
            "city",
            "contact_person",
            "phone",
            "email",
            "website",
            "introduction",
        )
        widgets = {
            "district": forms.TextInput(attrs={"list": "qingdao-districts"}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "introduction": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["sub_type"]).choices = sub_type_choices(
            self.instance.kind
        )
        self.fields["email"].label = _("联系邮箱")


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("请输入密码以确认注销账号。"),
    )
