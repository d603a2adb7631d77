"""Lessons fixtures: the shared ``world`` (ALPHA with a person per role, BETA with its own
manager), lessons in both programs, and the labelled relevance set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from podium.lessons import semantic, services
from podium.lessons.models import Lesson
from podium.programs import services as program_services
from podium.programs.models import Program
from tests.conftest import World
from tests.lessons.relevance_set import LESSONS


@pytest.fixture(autouse=True)
def fresh_model() -> Any:
    """Each test decides for itself whether the model is there (it loads once anyway)."""
    semantic.reset()
    yield
    semantic.reset()


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The optional embedding model is not installed."""

    def missing() -> Any:
        raise ImportError("No module named 'wordllama'")

    monkeypatch.setattr(semantic, "_load", missing)
    semantic.reset()


@dataclass
class Lessons:
    alpha: Lesson  # ALPHA, by the program manager: vendor release late
    beta: Lesson  # BETA, by pm_b: vendor release late too (the cross-program find)
    beta_other: Lesson  # BETA: asbestos


@pytest.fixture
def lessons(world: World) -> Lessons:
    alpha = services.create_lesson(
        actor=world.pm, program=world.alpha, title="Supplier release slipped",
        description="The vendor's release came late and testing was squeezed.",
        category="suppliers", tags="vendor, release",
    )  # fmt: skip
    beta = services.create_lesson(
        actor=world.pm_b, program=world.beta, title="Vendor releases arrive weeks late",
        description="Fix releases from the vendor slipped; system test started late.",
        recommendation="Penalty clause on release dates; weekly release review.",
        category="suppliers", phase="delivery", tags="vendor, contract",
    )  # fmt: skip
    other = services.create_lesson(
        actor=world.pm_b, program=world.beta, title="Asbestos behind the ceilings",
        description="Refurbishment stopped until licensed removal.", category="risk",
        tags="asbestos",
    )  # fmt: skip
    return Lessons(alpha, beta, other)


@dataclass
class Labelled:
    keys: dict[str, Lesson]  # "LAB-1" → lesson
    programs: dict[str, Program]


def load_relevance_set(admin: Any) -> Labelled:
    keys: dict[str, Lesson] = {}
    programs: dict[str, Program] = {}
    for code, (name, rows) in LESSONS.items():
        program = program_services.create_program(actor=admin, code=code, name=name)
        programs[code] = program
        for key, title, desc, cause, rec, category, domain, tags in rows:
            keys[key] = services.create_lesson(
                actor=None, program=program, title=title, description=desc, root_cause=cause,
                recommendation=rec, category=category, performance_domain=domain, tags=tags,
            )  # fmt: skip
    return Labelled(keys, programs)
