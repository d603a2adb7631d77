"""Monte Carlo with every estimate fixed reproduces ``schedule()`` on real files.

Every MSPDI and XER project of ``../shared/data`` and the DSLIB workbooks: with all
three points equal to the activity's duration, each iteration's finish is the CPM
finish to the minute (calendars, link types, lags, constraints, progress, summaries and
levels of effort as the files have them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from podium.engine import EngineError, schedule
from podium.engine.montecarlo import Distribution, simulate
from podium.interchange.registry import read_any

pytestmark = pytest.mark.reference

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
FILES = (
    sorted((DATA / "mspdi").glob("*.xml"))
    + sorted((DATA / "xer").glob("*.xer"))
    + sorted((DATA / "dslib" / "Excel").glob("*.xlsx"))[:8]
)


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is absent")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_fixed_estimates_reproduce_the_cpm_finish(path: Path) -> None:
    try:
        projects = read_any(path)
    except EngineError:
        pytest.skip(f"{path.name} is not readable (deliberately invalid test file)")
    for project in projects:
        net = project.network
        fixed = {
            a.id: Distribution("triangular", a.duration_minutes, a.duration_minutes,
                               a.duration_minutes)
            for a in net.activities
            if a.kind == "task"
        }  # fmt: skip
        res = simulate(net, fixed, iterations=8, seed=1)
        assert (res.finishes == schedule(net).project_finish_minutes).all(), project.name
