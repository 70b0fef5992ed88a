from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    UserChangeForm,
)
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.forms import PasswordServiceMixin
from accounts.models import Organization, User


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)
        field_classes = {"email": forms.EmailField}


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"email": forms.EmailField}


class AdminPasswordSetForm(PasswordServiceMixin, AdminPasswordChangeForm):
    """An administrator's new password for a user revokes the user's API tokens too."""


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = EmailUserCreationForm
    change_password_form = AdminPasswordSetForm
    form = EmailUserChangeForm
    ordering = ("email",)
    list_display = ("email", "full_name", "organization", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "organization__kind")
    search_fields = ("email", "full_name", "organization__name")
    autocomplete_fields = ("organization",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("个人信息"), {"fields": ("full_name", "first_name", "last_name", "organization")}),
        (
            _("权限"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "organization", "usable_password", "password1", "password2"),
            },
        ),
    )


class MemberInline(admin.TabularInline):
    model = User
    fields = ("email", "full_name", "is_active")
    readonly_fields = ("email", "full_name", "is_active")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Organization | None = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "sub_type",
        "district",
        "review_status",
        "is_demo",
        "created_at",
    )
    list_filter = ("kind", "sub_type", "review_status", "is_demo", "district")
    search_fields = ("name", "ref", "contact_person", "email", "phone")
    # Reviews go through the review queue, whose service also publishes the needs waiting on it.
    readonly_fields = (
        "review_status",
        "reviewed_by",
        "reviewed_at",
        "review_note",
        "created_at",
        "updated_at",
    )
    inlines = (MemberInline,)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
