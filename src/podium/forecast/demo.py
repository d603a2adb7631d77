"""Demo forecast: one Monte Carlo run of the demo program, computed in this process.

Called by the demo loader (``podium.demo``) after the schedules and the risk register
(three-point estimates, risks linked to activities) exist, so the P50/P80 and the tornado
point at the program's real risky components.
"""

from __future__ import annotations

from podium.accounts.models import User
from podium.forecast.models import ForecastRun
from podium.forecast.services import run_forecast
from podium.programs.models import Program

__all__ = ["DEMO_ITERATIONS", "DEMO_SEED", "seed_forecast"]

DEMO_ITERATIONS = 2_000
DEMO_SEED = 2026


def seed_forecast(program: Program, pm: User) -> ForecastRun:
    """Run one forecast of ``program`` as ``pm`` (its manager), with the program's end
    date as the target: a fixed seed, so every demo shows the same figures."""
    return run_forecast(
        actor=pm, program=program, iterations=DEMO_ITERATIONS, seed=DEMO_SEED,
        target=program.end_date,
    )  # fmt: skip
