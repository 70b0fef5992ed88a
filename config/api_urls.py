"""``/api/``: version 1 of the API, its OpenAPI schema and the schema's two viewers.

Swagger UI and ReDoc load their assets from drf-spectacular-sidecar's static files, not a CDN
(templates/api/redoc.html drops the web fonts drf-spectacular's ReDoc page would fetch).

Both keep the site's Content-Security-Policy on scripts: Swagger UI's start-up script is served as
a file (the "split" view) rather than inline. Both viewers style their pages from JavaScript, so
these two pages alone allow inline styles; ReDoc also runs its search in a worker started from a
blob: URL.
"""

from typing import Any

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils import translation
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from accounts.api import AuthTokenApi
from config.api import not_found

app_name = "api"


class SchemaView(SpectacularAPIView):
    """The schema, always written in the platform's language (``LANGUAGE_CODE``), as
    openapi.yaml is. Its field titles come from serializer instances made once per process: a
    schema first made in English would keep English titles (or none, where the English equals
    the field's name) for every later reader."""

    def _get_schema_response(self, request: Any) -> Any:
        with translation.override(settings.LANGUAGE_CODE):
            return super()._get_schema_response(request)


API_VIEWER_POLICY = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})

v1: list[URLPattern | URLResolver] = [
    path("auth/token/", AuthTokenApi.as_view(), name="auth_token"),
    path("", include("marketplace.api_urls")),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path(
        "docs/",
        API_VIEWER_POLICY(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path(
        "redoc/",
        API_VIEWER_POLICY(
            SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
        ),
        name="redoc",
    ),
    # Last: any other path under /api/ (an id that is not a number) is a JSON 404. Only paths
    # ending in "/", so APPEND_SLASH still redirects "/api/v1/needs" to "/api/v1/needs/".
    re_path(r"^[\s\S]*/$", not_found, name="not_found"),
]
