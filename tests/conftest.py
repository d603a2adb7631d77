"""Shared fixtures: people in every role, two programs, and API clients with tokens."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from podium.accounts.models import User
from podium.accounts.services import create_token, create_user
from podium.programs import services
from podium.programs.models import Component, Program, Role

PASSWORD = "correct-horse-battery-9"

# Suites that never touch a database: the engine, the file readers and the reference
# comparisons. The PostgreSQL pass of ``make test`` (PODIUM_DATABASE_TESTS_ONLY=1) leaves
# them out, since running them again would prove nothing new about PostgreSQL.
DATABASE_FREE = ("engine", "interchange", "reference", "hostile/test_parsers.py")
_TESTS = Path(__file__).resolve().parent
_DB_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server", "world"}


def _database_free(item: pytest.Item) -> bool:
    relative = Path(str(item.path)).resolve().relative_to(_TESTS).as_posix()
    return any(relative == d or relative.startswith(d + "/") for d in DATABASE_FREE)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("PODIUM_DATABASE_TESTS_ONLY") != "1":
        return
    keep, drop = [], []
    for item in items:
        if not _database_free(item):
            keep.append(item)
            continue
        uses = _DB_FIXTURES & set(getattr(item, "fixturenames", ()))
        if uses or item.get_closest_marker("django_db"):
            raise pytest.UsageError(
                f"{item.nodeid} uses the database ({', '.join(sorted(uses)) or 'django_db'})"
                " but lies in a suite listed as database-free in tests/conftest.py"
            )
        drop.append(item)
    config.hook.pytest_deselected(items=drop)
    items[:] = keep


@dataclass
class World:
    """Program A (code ALPHA) with one person per role, program B (BETA) with its own
    manager, and an administrator."""

    admin: User
    pm: User
    cm: User
    team: User
    stakeholder: User
    viewer: User
    outsider: User
    pm_b: User
    alpha: Program
    beta: Program
    comp: Component  # ALPHA's component managed by ``cm``
    comp_b: Component

    def by_role(self, name: str) -> User | None:
        return {
            "anonymous": None,
            "non_member": self.outsider,
            "stakeholder": self.stakeholder,
            "team_member": self.team,
            "viewer": self.viewer,
            "component_manager": self.cm,
            "program_manager": self.pm,
            "admin": self.admin,
        }[name]


def make_user(username: str, **extra: Any) -> User:
    return create_user(actor=None, username=username, password=PASSWORD, **extra)


@pytest.fixture
def world(db: Any) -> World:
    admin = make_user("admin", is_staff=True)
    pm, cm, team, stakeholder, viewer, outsider, pm_b = (
        make_user(name)
        for name in ("pm", "cm", "team", "stakeholder", "viewer", "outsider", "pm_b")
    )
    alpha = services.create_program(actor=admin, code="ALPHA", name="Alpha program", manager=pm)
    for user, role in (
        (cm, Role.COMPONENT_MANAGER),
        (team, Role.TEAM_MEMBER),
        (stakeholder, Role.STAKEHOLDER),
        (viewer, Role.VIEWER),
    ):
        services.add_member(actor=pm, program=alpha, user=user, role=role)
    comp = services.create_component(
        actor=pm,
        program=alpha,
        code="C1",
        name="First component",
        manager=cm,
        business_case="Because it pays back.",
    )
    beta = services.create_program(actor=admin, code="BETA", name="Beta program", manager=pm_b)
    comp_b = services.create_component(actor=pm_b, program=beta, code="B1", name="Beta one")
    return World(admin, pm, cm, team, stakeholder, viewer, outsider, pm_b, alpha, beta, comp,
                 comp_b)  # fmt: skip


class ApiClient:
    """JSON calls to /api/v1 as one user (bearer token), or anonymous."""

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            _, raw = create_token(actor=None, user=user, name="tests")
            self.headers["Authorization"] = f"Bearer {raw}"

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        kwargs: dict[str, Any] = {"headers": {**self.headers, **headers}}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method.lower())(f"/api/v1{path}", **kwargs)

    def get(self, path: str, **headers: str) -> Any:
        return self.call("GET", path, **headers)

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.call("POST", path, body if body is not None else {}, **headers)

    def patch(self, path: str, body: Any, **headers: str) -> Any:
        return self.call("PATCH", path, body, **headers)

    def delete(self, path: str, **headers: str) -> Any:
        return self.call("DELETE", path, **headers)


@pytest.fixture
def api_as(db: Any) -> Any:
    return ApiClient
