from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from podium.engine import Activity as EActivity
from podium.engine import Calendar, Link, Network
from podium.interchange.base import Assignment as FileAssignment
from podium.interchange.base import ProjectFile
from podium.interchange.base import Resource as FileResource
from podium.schedule.services import import_project
from tests.conftest import World

DAY = 480


def staffed_project() -> ProjectFile:
    """A (3 days) and B (2 days) run in parallel from Mon 2026-03-02; C follows A.
    Both A and B need 1 of the 1-unit crew: two units on Mon and Tue."""
    acts = [
        EActivity("A", "Dig", 3 * DAY), EActivity("B", "Pour", 2 * DAY),
        EActivity("C", "Cure", 1 * DAY),
    ]  # fmt: skip
    network = Network(acts, [Link("A", "C")], project_start=dt.datetime(2026, 3, 2, 8),
                      default_calendar=Calendar.standard())  # fmt: skip
    return ProjectFile(
        name="Foundations", format="json", network=network,
        resources=[FileResource("crew", "Ground crew", max_units=1.0, standard_rate=55.0)],
        assignments=[FileAssignment("A", "crew", 1.0), FileAssignment("B", "crew", 1.0)],
    )  # fmt: skip


@pytest.fixture
def staffed(world: World) -> Any:
    return import_project(actor=world.pm, program=world.alpha, project=staffed_project())


def welding_project() -> ProjectFile:
    """W (2 days) from Mon 2026-03-02 needs the one welder; nothing else competes."""
    network = Network([EActivity("W", "Weld", 2 * DAY)], [],
                      project_start=dt.datetime(2026, 3, 2, 8),
                      default_calendar=Calendar.standard())  # fmt: skip
    return ProjectFile(
        name="Pipes", format="json", network=network,
        resources=[FileResource("welder", "Welder", max_units=1.0, standard_rate=60.0)],
        assignments=[FileAssignment("W", "welder", 1.0)],
    )  # fmt: skip


@pytest.fixture
def welding(world: World) -> Any:
    return import_project(actor=world.pm, program=world.alpha, project=welding_project())
