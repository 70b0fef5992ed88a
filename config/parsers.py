"""JSON with a bounded nesting depth, for request bodies (``JSONParser``, the API's default) and
for uploaded files (``json_loads``).

Python parses JSON recursively: a document nested a thousand levels deep raises RecursionError
while it is read, and one nested a few hundred levels deep is read but breaks whatever walks it
next (validation, ``json.dumps``, a ``repr`` in a log line). No input of ours nests more than a
few levels, so anything deeper than ``MAX_DEPTH`` is refused as a parse error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


class JSONTooDeepError(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"JSON nested more than {limit} levels deep")
        self.limit = limit


def json_depth_exceeds(document: Any, limit: int) -> bool:
    """Whether objects and arrays nest more than ``limit`` levels (a scalar is level 0).
    Walked with a stack, not recursion, so any document that was parsed can be measured."""
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth + 1 > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def json_loads(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that raises ``JSONTooDeepError`` (a ValueError, as a syntax error is) for
    a document nested deeper than ``max_depth``, never RecursionError."""
    try:
        document = json.loads(text)
    except RecursionError:
        raise JSONTooDeepError(max_depth) from None
    if json_depth_exceeds(document, max_depth):
        raise JSONTooDeepError(max_depth)
    return document


def too_deep_message(limit: int) -> str:
    return str(_("JSON 嵌套层数过多：最多允许 %(limit)s 层。") % {"limit": limit})


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, answering 400 (``parse_error``) for a body nested deeper than
    ``MAX_DEPTH`` instead of failing with RecursionError (500)."""

    max_depth = MAX_DEPTH

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(too_deep_message(self.max_depth)) from None
        if json_depth_exceeds(data, self.max_depth):
            raise ParseError(too_deep_message(self.max_depth))
        return data
