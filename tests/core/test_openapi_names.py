"""The OpenAPI document names each schema once: django-ninja files every schema (and every
choice list) under its class name, so two API schemas of one name (``ActionIn`` of risks
and of meetings) would make one operation's documented body the other's, and clients
built from the document would send the wrong fields."""

from __future__ import annotations

import enum
import typing
from collections import defaultdict
from typing import Any

from django.test import Client
from ninja import Schema
from ninja.constants import NOT_SET
from ninja.schema import NinjaGenerateJsonSchema
from typing_extensions import TypeAliasType

import podium.config.urls  # noqa: F401  (every router is registered)
from podium.core.api import api


def _schema_classes() -> list[type[Schema]]:
    found: list[type[Schema]] = []

    def walk(cls: type[Schema]) -> None:
        for sub in cls.__subclasses__():
            module = sub.__module__
            if module.startswith("podium."):
                found.append(sub)
            walk(sub)

    walk(Schema)
    return found


def _api_schemas() -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for cls in _schema_classes():
        found[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    return found


def _choice_lists() -> dict[str, set[str]]:
    """Document name → the enums filed under it, for every enum an API schema's field
    uses: the enum's class name, or the name of the type alias the field goes through."""
    found: dict[str, set[str]] = defaultdict(set)

    def visit(annotation: Any, name: str | None) -> None:
        if isinstance(annotation, TypeAliasType):
            visit(annotation.__value__, annotation.__name__)
        elif isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            found[name or annotation.__name__].add(
                f"{annotation.__module__}.{annotation.__qualname__}"
            )
        else:
            for arg in typing.get_args(annotation):
                visit(arg, None)

    for cls in _schema_classes():
        for field in cls.model_fields.values():
            visit(field.annotation, None)
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    shared = {name: sorted(where) for name, where in _api_schemas().items() if len(where) > 1}
    assert shared == {}


def test_no_two_choice_lists_share_a_name() -> None:
    found = _choice_lists()
    assert len(found) > 20
    shared = {name: sorted(where) for name, where in found.items() if len(where) > 1}
    assert shared == {}


def _operations() -> list[tuple[str, Any]]:
    """(label, operation) for every operation of the API."""
    found: list[tuple[str, Any]] = []
    for router in api._get_bound_routers():  # ninja's own walk over the operations
        for path, view in router.path_operations.items():
            for operation in view.operations:
                if operation.include_in_schema:
                    where = "/".join(part.strip("/") for part in (router.prefix, path) if part)
                    found.append((f"{'/'.join(operation.methods)} /{where}", operation))
    return found


def _operation_models(operation: Any) -> list[tuple[Any, str, bool]]:
    """(model, mode, by_alias) for every model the operation reads (path, query, body) or
    answers with, as ninja writes the document from them."""
    models = [(model, "validation", True) for model in operation.models]
    models.extend(
        (model, "serialization", bool(operation.by_alias))
        for model in operation.response_models.values()
        if model not in (None, NOT_SET)
    )
    return models


def test_every_component_is_the_schema_its_operations_use(db: Any) -> None:
    """The component an operation refers to is the JSON schema of that operation's own
    model: a second schema of the same name, filed later, would differ from it."""
    document = Client().get("/api/openapi.json").json()
    components = document["components"]["schemas"]
    assert len(components) > 100
    operations = _operations()
    assert len(operations) == sum(len(item) for item in document["paths"].values())
    wrong: dict[str, str] = {}
    for label, operation in operations:
        for model, mode, by_alias in _operation_models(operation):
            own = model.model_json_schema(
                by_alias=by_alias,
                ref_template="#/components/schemas/{model}",
                schema_generator=NinjaGenerateJsonSchema,
                mode=mode,
            )
            for name, definition in own.get("$defs", {}).items():
                if components.get(name) != definition:
                    wrong.setdefault(name, label)
    assert wrong == {}
