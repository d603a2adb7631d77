from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from podium.engine.montecarlo import Distribution, RiskEvent
from podium.forecast import services
from podium.risks.selectors import SimulationInputs
from podium.schedule import services as schedule_services
from podium.schedule.models import Activity
from tests.conftest import World
from tests.schedule.conftest import DAY, small_project


@pytest.fixture
def scheduled(world: World) -> Any:
    """ALPHA with the small project (A 2d -> B 3d -> D; A -> C 1d -> D) imported as the
    component WARD-REFIT."""
    return schedule_services.import_project(
        actor=world.pm, program=world.alpha, project=small_project()
    )


def pk(code: str) -> str:
    return str(Activity.objects.get(code=code).pk)


def fixed(days: float) -> Distribution:
    return Distribution("triangular", days * DAY, days * DAY, days * DAY)


Inputs = Callable[[SimulationInputs], None]


@pytest.fixture
def use_inputs(monkeypatch: pytest.MonkeyPatch) -> Inputs:
    """Replace the risk register's simulation inputs with hand-built ones."""

    def use(inputs: SimulationInputs) -> None:
        monkeypatch.setattr(services, "inputs_for", lambda program: inputs)

    return use


def fixed_inputs() -> SimulationInputs:
    return SimulationInputs(durations={pk("A"): fixed(2), pk("B"): fixed(3), pk("C"): fixed(1)})


def risky_inputs() -> SimulationInputs:
    """B may take up to a week longer (triangular 3/4/8 days); a supplier risk (60%)
    adds 2..5 days to B and costs 10k..40k."""
    inputs = fixed_inputs()
    inputs.durations[pk("B")] = Distribution("triangular", 3 * DAY, 4 * DAY, 8 * DAY)
    inputs.risks.append(
        RiskEvent(
            "R-1", 0.6, (pk("B"),),
            delay=Distribution("triangular", 2 * DAY, 3 * DAY, 5 * DAY),
            cost=Distribution("triangular", 10_000, 20_000, 40_000),
        )
    )  # fmt: skip
    return inputs
