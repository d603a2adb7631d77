"""ALPHA with a second stakeholder, anonymous feedback allowed, and uploads in a
temporary folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from podium.accounts.models import User
from podium.feedback import services
from podium.programs import services as program_services
from podium.programs.models import Role
from tests.conftest import World, make_user


@dataclass
class Feedback:
    world: World
    other: User  # a second stakeholder of ALPHA

    def __getattr__(self, name: str) -> Any:
        return getattr(self.world, name)


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> Path:
    """Uploaded attachments go to a temporary folder, never the real data directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def fb(world: World) -> Feedback:
    other = make_user("stakeholder2", email="s2@example.org")
    program_services.add_member(
        actor=world.pm, program=world.alpha, user=other, role=Role.STAKEHOLDER
    )
    world.stakeholder.email = "s1@example.org"
    world.stakeholder.save()
    services.save_service_target(actor=world.pm, program=world.alpha, allow_anonymous=True)
    return Feedback(world, other)


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
