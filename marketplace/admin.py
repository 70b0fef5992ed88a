from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from marketplace.models import (
    AuditEntry,
    Capability,
    Certification,
    Domain,
    Event,
    ImportJob,
    Need,
    NeedRevision,
    ProductClass,
    Region,
    RobotType,
    ServiceCategory,
)


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "order")
    list_editable = ("order",)
    search_fields = ("code", "name_zh", "name_en")


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "domain")
    list_filter = ("domain",)
    search_fields = ("code", "name_zh", "name_en")


@admin.register(ProductClass)
class ProductClassAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(RobotType)
class RobotTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("name",)
    autocomplete_fields = ("parent",)


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en")
    search_fields = ("name", "name_en")


class NeedRevisionInline(admin.TabularInline):
    model = NeedRevision
    fields = ("created_at", "edited_by", "snapshot")
    readonly_fields = ("created_at", "edited_by", "snapshot")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Need | None = None) -> bool:
        return False


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "organization",
        "domain",
        "region",
        "status",
        "expires_at",
        "updated_at",
    )
    list_filter = ("status", "domain", "organization__review_status")
    search_fields = ("title", "description", "ref", "organization__name")
    autocomplete_fields = ("organization", "region")
    filter_horizontal = ("categories", "product_classes", "required_certifications")
    readonly_fields = ("published_at", "created_by", "created_at", "updated_at", "embedding_dirty")
    date_hierarchy = "updated_at"
    inlines = (NeedRevisionInline,)


@admin.register(Capability)
class CapabilityAdmin(admin.ModelAdmin):
    list_display = ("title", "organization", "robot_type", "maturity", "status", "updated_at")
    list_filter = ("status", "maturity", "robot_type", "domains")
    search_fields = ("title", "description", "ref", "organization__name")
    autocomplete_fields = ("organization",)
    filter_horizontal = (
        "domains",
        "categories",
        "product_classes",
        "service_regions",
        "certifications",
    )
    readonly_fields = ("created_by", "created_at", "updated_at", "embedding_dirty")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("name", "date", "venue", "district", "organizer")
    list_filter = ("district",)
    search_fields = ("name", "venue", "description")
    filter_horizontal = ("domains",)
    date_hierarchy = "date"


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = (
        "original_name",
        "status",
        "processed_rows",
        "total_rows",
        "created_by",
        "created_at",
    )
    list_filter = ("status",)
    readonly_fields = (
        "file",
        "original_name",
        "status",
        "total_rows",
        "processed_rows",
        "errors",
        "summary",
        "created_by",
        "created_at",
        "finished_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Imports start from the import page, which validates the file and queues the task.
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is only ever added to, by the services."""

    list_display = (
        "created_at",
        "actor_email",
        "action",
        "target_type",
        "target_id",
        "target_label",
    )
    list_filter = ("action", "target_type")
    search_fields = ("actor_email", "target_label")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
