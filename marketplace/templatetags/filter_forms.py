"""``{% filter_form filter %}``: a list page's filter form, rendered once per distinct query.

The menus list the taxonomy (369 regions among them), and rendering them was half the time of
a list page. The HTML depends only on the filter's fields, the values asked for, the page's
path, the language and the taxonomy, so it is kept in the cache under exactly those; a taxonomy
change moves the version and with it every key. Validation is not cached: the view's queryset
still checks each value asked for.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from marketplace.taxonomy.version import taxonomy_version

register = template.Library()

TEMPLATE = "includes/filter_form.html"
KEEP_SECONDS = 600


def _key(filterset: Any, request: Any) -> str:
    fields = list(filterset.form.fields)
    asked = {name: filterset.form.data.getlist(name) for name in fields}
    identity = [type(filterset).__qualname__, fields, asked, request.path, get_language()]
    digest = hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode()).hexdigest()
    return f"filter-form:{taxonomy_version()}:{digest}"


@register.simple_tag(takes_context=True)
def filter_form(context: template.Context, filterset: Any) -> SafeString:
    request = context["request"]
    key = _key(filterset, request)
    html = cache.get(key)
    if html is None:
        html = render_to_string(TEMPLATE, {"filter": filterset, "request": request})
        cache.set(key, html, KEEP_SECONDS)
    # Rendered by the template above, which escapes every value it prints.
    return mark_safe(html)
