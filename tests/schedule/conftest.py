from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from podium.engine import Activity, Calendar, Link, Network
from podium.interchange.base import BaselineEntry, ProjectFile
from podium.schedule import services
from tests.conftest import World

DAY = 480


def small_project(name: str = "Ward refit", links: list[Link] | None = None) -> ProjectFile:
    """A: 2d -> B: 3d -> D (milestone), A -> C: 1d (float 2d); starts Mon 2026-03-02 08:00."""
    acts = [
        Activity("P", "Refit", kind="summary"),
        Activity("A", "Strip out", 2 * DAY, parent="P"),
        Activity("B", "Rewire", 3 * DAY, parent="P"),
        Activity("C", "Order beds", 1 * DAY, parent="P"),
        Activity("D", "Ward reopens", kind="milestone", parent="P"),
    ]
    links = links if links is not None else [
        Link("A", "B"), Link("B", "D"), Link("A", "C"), Link("C", "D"),
    ]  # fmt: skip
    network = Network(acts, links, project_start=dt.datetime(2026, 3, 2, 8),
                      default_calendar=Calendar.standard("Hospital"))  # fmt: skip
    return ProjectFile(
        name=name,
        format="json",
        network=network,
        source="test.json",
        baselines={"B": BaselineEntry(dt.datetime(2026, 3, 4, 8), dt.datetime(2026, 3, 6, 17))},
    )


@pytest.fixture
def scheduled(world: World) -> Any:
    """ALPHA with one imported component schedule."""
    return services.import_project(actor=world.pm, program=world.alpha, project=small_project())
