"""The matrix's objects, built once per test module and rolled back at its end; each test
runs in its own savepoint on top (pytest-django's ``db``), so no cell sees another's
writes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings

from tests.conftest import ApiClient
from tests.security.matrix_targets import PREPARE, Targets, build
from tests.security.permission_matrix import ARGS, Row

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass
class Built:
    targets: Targets
    clients: dict[str, ApiClient]


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Built]:
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        targets = build()
        clients = {role: ApiClient(user) for role, user in targets.users.items()}
    try:
        yield Built(targets, clients)
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        media.disable()


def values_for(built: Built, role: str, where: str) -> dict[str, Any]:
    values = dict(built.targets.own if where == "own" else built.targets.other)
    mine = built.targets.personal.get(role) or built.targets.personal["program_manager"]
    if mine:
        values["notification"] = mine["notification" if where == "own" else "other_notification"]
    return values


def fill(value: Any, values: dict[str, Any]) -> Any:
    """``"{key}"`` → the target value (keeping its type); inside longer text, its text."""
    if isinstance(value, str):
        whole = PLACEHOLDER.fullmatch(value)
        if whole:
            return values[whole[1]]
        return PLACEHOLDER.sub(lambda m: str(values[m[1]]), value)
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, values) for v in value]
    return value


def url_of(row: Row, values: dict[str, Any]) -> str:
    def arg(match: re.Match[str]) -> str:
        name = match[1]
        return str(values[row.args[name] if name in row.args else ARGS[name]])

    return PLACEHOLDER.sub(arg, row.path) + fill(row.query, values)


def prepare(built: Built, row: Row, role: str, where: str) -> dict[str, Any]:
    """The path and body values of the cell, after the row's state step (if any)."""
    values = values_for(built, role, where)
    if row.prepare:
        values.update(PREPARE[row.prepare](values, built.targets.users[role]))
    return values


def call(built: Built, row: Row, role: str, values: dict[str, Any]) -> Any:
    """Call the row as ``role`` with the cell's ``values``."""
    client = built.clients[role]
    url = url_of(row, values)
    if not row.upload:
        return client.call(row.method, url, fill(row.body, values))
    form: dict[str, Any] = {}
    for key, value in (row.body or {}).items():
        if isinstance(value, tuple):
            name, content = value
            form[key] = SimpleUploadedFile(name, content)
        else:
            form[key] = fill(value, values)
    return client.client.post(f"/api/v1{url}", form, headers=client.headers)


def json_of(response: Any) -> str:
    try:
        return json.dumps(response.json())[:300]
    except ValueError:
        return str(response.content[:300])
