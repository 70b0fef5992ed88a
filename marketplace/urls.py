"""The site's pages, one URL namespace per feature; the paths are public (bookmarks, e-mails)."""

from django.urls import include, path

urlpatterns = [
    path("", include("marketplace.needs.urls")),
    path("", include("marketplace.matches.urls")),
    path("", include("marketplace.leads.urls")),
    path("", include("marketplace.capabilities.urls")),
    path("", include("marketplace.reviews.urls")),
    path("", include("marketplace.events.urls")),
    path("", include("marketplace.notifications.urls")),
    path("", include("marketplace.imports.urls")),
    path("", include("marketplace.dashboard.urls")),
    path("", include("marketplace.audit.urls")),
    path("accounts/", include("marketplace.organizations.urls")),
    path("accounts/", include("marketplace.privacy.urls")),
]
