"""Writes to users and organisations."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import Organization, User


@transaction.atomic
def organization_register(
    *,
    email: str,
    password: str,
    full_name: str,
    organization_name: str,
    kind: str,
    sub_type: str,
    district: str = "",
    city: str = "青岛市",
    contact_person: str = "",
    phone: str = "",
    website: str = "",
    introduction: str = "",
) -> User:
    """Create a pending organisation and its first user, who cannot log in before confirming
    the e-mail (``user_signup_confirm``). Organisers approve the organisation later."""
    if kind == Organization.Kind.ORGANIZER:
        raise ValidationError({"kind": _("组织方账号只能由平台管理员创建。")})
    if sub_type not in Organization.SUB_TYPES_BY_KIND.get(kind, ()):
        raise ValidationError({"sub_type": _("所选细分类型与机构类型不符。")})
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("该邮箱已注册。")})
    organization = Organization(
        name=organization_name.strip(),
        kind=kind,
        sub_type=sub_type,
        district=district.strip(),
        city=city.strip() or "青岛市",
        contact_person=contact_person.strip() or full_name.strip(),
        phone=phone.strip(),
        email=email,
        website=website.strip(),
        introduction=introduction.strip(),
        review_status=Organization.ReviewStatus.PENDING,
    )
    organization.full_clean()
    organization.save()
    user = User(
        email=email, full_name=full_name.strip(), organization=organization, is_active=False
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@dataclass(frozen=True)
class Signup:
    user: User
    is_new: bool


@transaction.atomic
def signup_submit(**fields: str) -> Signup:
    """Sign up as ``organization_register`` does, or, for an e-mail that already has an account,
    create nothing and return that account: whoever signs up learns nothing about which e-mails
    are registered; the e-mail the caller sends next tells the address's owner.

    The password of a refused sign-up is hashed all the same, so the two answers take as long."""
    email = fields["email"].strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        return Signup(user=organization_register(**fields), is_new=True)
    if fields["kind"] == Organization.Kind.ORGANIZER:
        raise ValidationError({"kind": _("组织方账号只能由平台管理员创建。")})
    if fields["sub_type"] not in Organization.SUB_TYPES_BY_KIND.get(fields["kind"], ()):
        raise ValidationError({"sub_type": _("所选细分类型与机构类型不符。")})
    candidate = User(email=email, full_name=fields["full_name"].strip())
    validate_password(fields["password"], candidate)
    make_password(fields["password"])
    return Signup(user=existing, is_new=False)


@transaction.atomic
def user_signup_confirm(*, user: User) -> User:
    """The e-mailed link was followed: the account may log in."""
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def _name_key(name: str) -> str:
    """A name as people read it: case and every kind of white space ignored."""
    return "".join(name.split()).casefold()


def organization_name_taken(name: str, *, exclude: Organization | None = None) -> bool:
    """Whether another organisation already goes by ``name`` (case and white space ignored):
    an organisation may not rename itself into another one's identity."""
    key = _name_key(name)
    others = Organization.objects.exclude(pk=exclude.pk) if exclude is not None else None
    others = others if others is not None else Organization.objects.all()
    # Compared in Python: "康途 机器人" and "康途机器人" are one name, which no SQL lookup says
    # portably; a first query by the name's first character keeps the list short.
    first = key[:1]
    candidates = others.filter(name__icontains=first) if first else others
    return any(_name_key(other) == key for other in candidates.values_list("name", flat=True))


@transaction.atomic
def user_password_set(*, user: User, password: str | None) -> User:
    """Set a new password (``None``: an unusable one) and revoke the user's API tokens.

    Django ends the user's other sessions by itself (the session keeps a hash of the password);
    a token carries no such hash, so a token taken by whoever knew the old password would
    otherwise outlive the reset that was meant to lock them out."""
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    Token.objects.filter(user=user).delete()
    return user
