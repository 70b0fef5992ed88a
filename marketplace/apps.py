from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("供需市场")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from marketplace.models import (
            Certification,
            Domain,
            ProductClass,
            Region,
            RobotType,
            ServiceCategory,
        )
        from marketplace.taxonomy_version import taxonomy_changed

        for model in (Domain, ServiceCategory, ProductClass, RobotType, Region, Certification):
            post_save.connect(taxonomy_changed, sender=model, dispatch_uid=f"taxonomy:{model}")
            post_delete.connect(taxonomy_changed, sender=model, dispatch_uid=f"taxonomy:{model}-")
