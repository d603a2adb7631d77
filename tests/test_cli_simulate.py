"""`podium simulate` as a user runs it: native JSON with estimates, a DSLIB workbook."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from podium.engine import Activity, Calendar, Link, Network, schedule
from podium.engine.montecarlo import Distribution
from podium.interchange.base import ProjectFile
from podium.interchange.native import read_native_estimates, write_native
from tests.test_cli import env, run  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow

DSLIB = Path(__file__).resolve().parents[2] / "shared" / "data" / "dslib" / "Excel"
START = datetime(2024, 1, 1, 8)


def _plan(path: Path) -> tuple[Path, Network]:
    net = Network(
        [Activity("A", "Design", 960), Activity("B", "Build", 1440), Activity("C", "Docs", 240),
         Activity("D", "Done", kind="milestone")],
        [Link("A", "B"), Link("A", "C"), Link("B", "D"), Link("C", "D")],
        START, default_calendar=Calendar.standard(),
    )  # fmt: skip
    estimates = {
        "A": Distribution("triangular", 720, 960, 1920),
        "B": Distribution("pert", 1200, 1440, 2880),
        "C": Distribution("uniform", 120, 120, 480),
    }
    path.write_text(write_native(ProjectFile("Shed", "json", net), estimates=estimates))
    assert read_native_estimates(path.read_text()) == estimates
    return path, net


def test_json_output_has_exactly_the_documented_shape(
    tmp_path: Path,
    env: dict[str, str],  # noqa: F811
) -> None:
    path, net = _plan(tmp_path / "shed.json")
    out = run(["simulate", str(path), "--iterations", "2000", "--seed", "7", "--json"], env)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert set(doc) == {"iterations", "finish", "criticality", "sensitivity"}
    assert doc["iterations"] == 2000
    assert set(doc["finish"]) == {"p10", "p50", "p80", "p90", "mean"}
    p = [datetime.fromisoformat(doc["finish"][k]) for k in ("p10", "p50", "p80", "p90")]
    assert p == sorted(p) and p[0] < p[-1]
    assert set(doc["criticality"]) == set(doc["sensitivity"]) == {"A", "B", "C", "D"}
    assert doc["criticality"]["A"] == 1.0 and doc["criticality"]["C"] < 0.05
    assert doc["sensitivity"]["B"] > doc["sensitivity"]["C"]
    # the mean of B (PERT) is above its most likely value: the P50 is after the CPM date
    assert p[1] > schedule(net).project_finish
    again = run(["simulate", str(path), "--iterations", "2000", "--seed", "7", "--json"], env)
    assert json.loads(again.stdout) == doc


def test_table_output_names_the_percentiles_and_drivers(
    tmp_path: Path,
    env: dict[str, str],  # noqa: F811
) -> None:
    path, _ = _plan(tmp_path / "shed.json")
    out = run(["simulate", str(path), "--iterations", "500"], env)
    assert out.returncode == 0, out.stderr
    for word in ("deterministic finish", "P10", "P90", "MEAN", "sensitivity", "Build"):
        assert word in out.stdout


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("{not json", [], "invalid JSON"),
        (None, ["--iterations", "0"], "at least 1"),
    ],
)
def test_errors_are_one_line(
    tmp_path: Path,
    env: dict[str, str],  # noqa: F811
    content: str | None,
    args: list[str],
    message: str,
) -> None:
    path = tmp_path / "plan.json"
    if content is None:
        _plan(path)
    else:
        path.write_text(content)
    out = run(["simulate", str(path), *args], env)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and out.stderr.startswith("podium: error:")
    assert message in out.stderr and "Traceback" not in out.stderr


@pytest.mark.reference
@pytest.mark.skipif(not DSLIB.is_dir(), reason="../shared/data/dslib is absent")
def test_dslib_workbook_uses_its_risk_analysis_sheet(env: dict[str, str]) -> None:  # noqa: F811
    from podium.interchange.dslib import read_dslib_workbook

    path = DSLIB / "C2011-03 Family Day.xlsx"
    book = read_dslib_workbook(path)
    assert book.risk, "the workbook has a Risk Analysis sheet"
    out = run(["simulate", str(path), "--iterations", "3000", "--json"], env)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    ids = {a.id for a in book.project.network.activities}
    assert set(doc["criticality"]) == ids
    spread = [datetime.fromisoformat(doc["finish"][k]) for k in ("p10", "p90")]
    assert spread[0] < spread[1]  # the estimates make the finish uncertain
    uncertain = [k for k, e in book.risk.items() if e.optimistic_minutes < e.pessimistic_minutes]
    assert any(abs(doc["sensitivity"][k]) > 0.1 for k in uncertain)
