"""The API's operations as the schema generator sees them now, so the probe's request matrix
grows with the API: every operation that takes a JSON body, and the text fields it writes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

WRITE_METHODS = ("post", "put", "patch")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # /api/v1/needs/{id}/
    text_fields: tuple[str, ...]

    @property
    def resource(self) -> str:
        return self.path.removeprefix("/api/v1/").split("/", 1)[0]

    def url(self, values: dict[str, int]) -> str:
        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            assert name in values, f"tests/security/conftest.py: give an id for {name} of {self}"
            return str(values[name])

        return re.sub(r"\{(\w+)\}", value, self.path)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


@cache
def _schema() -> dict[str, Any]:
    with translation.override(settings.LANGUAGE_CODE):
        return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def _text_fields(schema: dict[str, Any], body: dict[str, Any]) -> tuple[str, ...]:
    """Free-text string properties: no format (date, uri, email…), no enum, not read-only."""
    properties = _resolve(schema, body).get("properties", {})
    names = []
    for name, spec in properties.items():
        spec = _resolve(schema, spec) if "$ref" in spec else spec
        if (
            spec.get("type") == "string"
            and not {"format", "enum", "pattern"} & set(spec)
            and not spec.get("readOnly")
        ):
            names.append(name)
    return tuple(sorted(names))


@cache
def json_operations() -> tuple[Operation, ...]:
    """Every operation whose request body may be JSON."""
    schema = _schema()
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if method in WRITE_METHODS and "application/json" in content:
                body = content["application/json"].get("schema", {})
                found.append(Operation(method, path, _text_fields(schema, body)))
    return tuple(found)
