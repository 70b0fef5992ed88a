"""Every page is served with a Content-Security-Policy that forbids inline script, and no template
or rendered page relies on one: no inline <script>, no on…= handler, no javascript: URL."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.template import engines
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import User

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
# Data for scripts travels in json_script blocks, which the browser never runs.
DATA_BLOCK = re.compile(r"""\btype\s*=\s*["']application/json["']""", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
# The API viewers' pages alone allow inline styles (config/api_urls.py).
INLINE_STYLE_ALLOWED = {"templates/api/redoc.html"}
# Parameters would need objects; those pages share their templates with the ones listed here.
ROUTE_WITH_PARAMETERS = re.compile(r"[<(^$?*\\]")
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def _directives(policy: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def _plain_paths(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if ROUTE_WITH_PARAMETERS.search(route):
            continue
        if isinstance(pattern, URLResolver):
            yield from _plain_paths(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield "/" + route


def _inline_scripts(html: str) -> list[str]:
    return [tag for tag in INLINE_SCRIPT.findall(html) if not DATA_BLOCK.search(tag)]


def _inline_code(html: str, *, styles_allowed: bool = False) -> list[str]:
    """Each inline script, on…= handler, javascript: URL, style attribute and (unless
    ``styles_allowed``) <style> element in ``html``."""
    return [
        *_inline_scripts(html),
        *EVENT_HANDLER.findall(html),
        *JAVASCRIPT_URL.findall(html),
        *STYLE_ATTRIBUTE.findall(html),
        *([] if styles_allowed else STYLE_ELEMENT.findall(html)),
    ]


def _template_dirs() -> list[Path]:
    """The project's template folders: the template engines' folders (``DIRS`` and the installed
    apps' ``templates/``) inside the project, not those of the packages in the virtualenv."""
    project = Path(settings.BASE_DIR).resolve()
    virtualenv = Path(sys.prefix).resolve()
    folders = {
        Path(folder).resolve() for engine in engines.all() for folder in engine.template_dirs
    }
    return sorted(
        folder
        for folder in folders
        if folder.is_relative_to(project) and not folder.is_relative_to(virtualenv)
    )


def _templates() -> list[Path]:
    return sorted(
        path for folder in _template_dirs() if folder.is_dir() for path in folder.rglob("*.html")
    )


def test_the_policy_allows_scripts_from_this_site_only() -> None:
    # given
    response = Client().get("/accounts/login/")

    # when
    directives = _directives(response["Content-Security-Policy"])

    # then
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]


@pytest.mark.usefixtures("taxonomy")
def test_every_page_carries_the_policy_and_no_inline_script(
    alice: User, bob: User, olga: User
) -> None:
    # given: every page without a parameter, for the public and for each kind of member
    paths = [*sorted(set(_plain_paths(get_resolver().url_patterns))), "/no-such-page/"]
    visitors: dict[str, Client] = {"anonymous": Client()}
    for user in (alice, bob, olga):
        visitors[user.email] = Client()
        visitors[user.email].force_login(user)

    # when
    pages: dict[str, TestResponse] = {}
    for name, client in visitors.items():
        for path in paths:
            response = client.get(path)
            if response["Content-Type"].startswith("text/html"):
                pages[f"{name} {path}"] = response

    # then
    assert pages["anonymous /"].status_code == 200
    assert pages["anonymous /accounts/login/"].status_code == 200
    assert pages["anonymous /api/docs/"].status_code == 200
    assert pages["anonymous /no-such-page/"].status_code == 404
    assert pages["olga@office.example.com /dashboard/"].status_code == 200
    assert len(pages) > 60
    without_policy = [
        page for page, response in pages.items() if "Content-Security-Policy" not in response
    ]
    assert without_policy == []
    unsafe = {
        page: response["Content-Security-Policy"]
        for page, response in pages.items()
        if {"'unsafe-inline'", "'unsafe-eval'"}
        & set(_directives(response["Content-Security-Policy"]).get("script-src", ["missing"]))
    }
    assert unsafe == {}
    inline = {
        page: _inline_scripts(response.content.decode())
        for page, response in pages.items()
        if _inline_scripts(response.content.decode())
    }
    assert inline == {}
    missing_headers = {
        page: name
        for page, response in pages.items()
        for name, value in SECURITY_HEADERS.items()
        if response.get(name) != value
    }
    assert missing_headers == {}


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_api_viewers_relax_styles_only(db: None, path: str) -> None:
    # when
    response = Client().get(path)

    # then
    directives = _directives(response["Content-Security-Policy"])
    assert response.status_code == 200
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["worker-src"] == ["'self'", "blob:"]
    assert _inline_scripts(response.content.decode()) == []


def test_swagger_ui_start_up_script_is_a_file_of_its_own(db: None) -> None:
    # given
    page = Client().get("/api/docs/").content.decode()
    script_url = re.findall(r'<script src="(/api/docs/\?[^"]*)"', page)

    # when
    script = Client().get(script_url[0].replace("&amp;", "&"))

    # then
    assert script_url == ["/api/docs/?script="]
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()


def test_no_template_has_inline_script_handlers_javascript_urls_or_styles() -> None:
    # given
    templates = _templates()

    # when
    findings: dict[str, list[str]] = {}
    for path in templates:
        name = str(path.relative_to(settings.BASE_DIR))
        text = path.read_text(encoding="utf-8")
        if found := _inline_code(text, styles_allowed=name in INLINE_STYLE_ALLOWED):
            findings[name] = found

    # then
    assert len(templates) > 50
    assert findings == {}


def test_the_scan_would_catch_each_kind_of_inline_code() -> None:
    # given
    offenders = [
        '<script>alert("hi")</script>',
        '<script type="module">import "x";</script>',
        '<button type="button" onclick="go()">去</button>',
        '<body onload="start()">',
        '<a href="javascript:void(0)">链接</a>',
        '<p style="color: red">红</p>',
        "<style>p { color: red }</style>",
    ]
    allowed = [
        '<script src="/static/js/app.js" defer></script>',
        '<script id="dashboard-charts" type="application/json">{"a": 1}</script>',
        '<button type="submit" data-confirm="确定吗？">确定</button>',
        "<p>Python is not only for scripts</p>",
    ]

    # then
    assert [html for html in offenders if not _inline_code(html)] == []
    assert [html for html in allowed if _inline_code(html)] == []
