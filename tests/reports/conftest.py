"""ALPHA with C1's small schedule (milestone D "Ward reopens", Fri 2026-03-06) and
e-mail addresses for everyone."""

from __future__ import annotations

from typing import Any

import pytest

from podium.schedule.models import Activity
from podium.schedule.services import import_project
from tests.conftest import World
from tests.schedule.conftest import small_project


def pdf_text(data: bytes) -> str:
    """The PDF's text, whitespace folded to single spaces (table cells wrap lines)."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


@pytest.fixture
def alpha(world: World) -> World:
    import_project(actor=None, program=world.alpha, project=small_project(), component=world.comp)
    for user in (world.pm, world.cm, world.team, world.stakeholder, world.viewer, world.outsider):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return world


@pytest.fixture
def milestone(alpha: World) -> Activity:
    return Activity.objects.get(component=alpha.comp, code="D")


@pytest.fixture
def as_user(client: Any) -> Any:
    def login(user: Any) -> Any:
        client.force_login(user)
        return client

    return login
