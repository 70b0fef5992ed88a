from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("供需市场")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from marketplace.taxonomy.models import TAXONOMY_MODELS
        from marketplace.taxonomy.version import taxonomy_changed

        # Whatever is built from the taxonomy is kept under its version (taxonomy_version.py).
        for model in TAXONOMY_MODELS:
            uid = f"taxonomy-version:{model._meta.label}"
            post_save.connect(taxonomy_changed, sender=model, dispatch_uid=f"{uid}:save")
            post_delete.connect(taxonomy_changed, sender=model, dispatch_uid=f"{uid}:delete")
