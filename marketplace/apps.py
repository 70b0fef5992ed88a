from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("供需市场")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from accounts import signals as accounts_signals
        from marketplace import audit_receivers
        from marketplace.models.taxonomy import TAXONOMY_MODELS
        from marketplace.taxonomy_version import taxonomy_changed

        # Whatever is built from the taxonomy is kept under its version (taxonomy_version.py).
        for model in TAXONOMY_MODELS:
            uid = f"taxonomy-version:{model._meta.label}"
            post_save.connect(taxonomy_changed, sender=model, dispatch_uid=f"{uid}:save")
            post_delete.connect(taxonomy_changed, sender=model, dispatch_uid=f"{uid}:delete")

        # The audit log records an organisation's data export and an account's deletion.
        accounts_signals.organization_exported.connect(
            audit_receivers.organization_exported, dispatch_uid="audit:organization-exported"
        )
        accounts_signals.account_deleted.connect(
            audit_receivers.account_deleted, dispatch_uid="audit:account-deleted"
        )
