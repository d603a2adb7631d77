"""PSPLIB ``.sm`` reader: arrays, network, resources and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from podium.engine import ParseError, schedule
from podium.interchange.psplib import (
    PERIOD_MINUTES,
    makespan_periods,
    read_psplib,
    read_psplib_arrays,
)

SMALL = """\
************************************************************************
jobs (incl. supersource/sink ):  5
horizon                       :  10
RESOURCES
  - renewable                 :  2   R
************************************************************************
PROJECT INFORMATION:
pronr.  #jobs rel.date duedate tardcost  MPM-Time
    1      3      0       7        1        7
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           5
   4        1          1           5
   5        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  R 2
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     3       2    0
  3      1     2       0    1
  4      1     4       1    1
  5      1     0       0    0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1  R 2
    2    1
************************************************************************
"""


def test_arrays_follow_the_file() -> None:
    inst = read_psplib_arrays(SMALL)
    assert inst.durations.tolist() == [0, 3, 2, 4, 0]
    assert inst.successors == ((1, 2), (3,), (4,), (4,), ())
    assert inst.capacities.tolist() == [2, 1]
    assert inst.requests.tolist() == [[0, 0], [2, 0], [0, 1], [1, 1], [0, 0]]
    assert (inst.horizon, inst.critical_path) == (10, 7)


def test_project_has_jobs_links_resources_and_requests() -> None:
    project = read_psplib(SMALL)
    net = project.network
    assert net.ids == ("1", "2", "3", "4", "5")
    assert net.activities[3].duration_minutes == 4 * PERIOD_MINUTES
    assert net.activities[0].kind == "milestone"
    assert {(ln.pred, ln.succ, ln.type, ln.lag_minutes) for ln in net.links} == {
        ("1", "2", "FS", 0),
        ("1", "3", "FS", 0),
        ("2", "4", "FS", 0),
        ("3", "5", "FS", 0),
        ("4", "5", "FS", 0),
    }
    assert [(r.id, r.max_units) for r in project.resources] == [("R1", 2.0), ("R2", 1.0)]
    assert {(a.activity_id, a.resource_id, a.units) for a in project.assignments} == {
        ("2", "R1", 2.0),
        ("3", "R2", 1.0),
        ("4", "R1", 1.0),
        ("4", "R2", 1.0),
    }


def test_cpm_makespan_is_the_critical_path_in_periods() -> None:
    project = read_psplib(SMALL)
    result = schedule(project.network)
    assert makespan_periods(result, project) == 7
    assert result.longest_path() == ["1", "2", "4", "5"]


def test_reads_a_path(tmp_path: Path) -> None:
    path = tmp_path / "x.sm"
    path.write_text(SMALL)
    assert read_psplib(path).name == "x.sm"


def _break(old: str, new: str) -> str:
    assert old in SMALL
    return SMALL.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (
            _break("   2        1          1           4", "   2        1          1           9"),
            14,
            "unknown successor job 9",
        ),
        (
            _break("   2        1          1           4", "   2        1          2           4"),
            14,
            "announces 2 successors",
        ),
        (
            _break("  2      1     3       2    0", "  2      1     x       2    0"),
            23,
            "expected whole numbers",
        ),
        (
            _break("  2      1     3       2    0", "  2      1     -3       2    0"),
            23,
            "negative duration",
        ),
        (
            _break("  3      1     2       0    1", "  7      1     2       0    1"),
            24,
            "expected job 3, got 7",
        ),
        (_break("    2    1\n", "    2\n"), 30, "expected 2 capacities"),
        (
            _break("   3        1          1           5", "   3        2          1           5"),
            15,
            "only single-mode",
        ),
        (
            _break("jobs (incl. supersource/sink ):  5", "jobs (incl. supersource/sink ):  x"),
            2,
            "not a whole number",
        ),
        (SMALL[: SMALL.index("  4      1     4")], 24, "truncated"),
        (SMALL[: SMALL.index("RESOURCEAVAILABILITIES")], 27, "not found"),
    ],
)
def test_bad_input_names_line_and_reason(text: str, line: int, reason: str) -> None:
    with pytest.raises(ParseError) as info:
        read_psplib(text)
    err = info.value
    assert (err.file, err.line_or_element) == ("<text>", line)
    assert reason in err.reason
    assert "\n" not in str(err)


def test_missing_file_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read file"):
        read_psplib(tmp_path / "nope.sm")


def test_cycle_is_reported_by_the_scheduler() -> None:
    text = _break("   4        1          1           5", "   4        1          1           2")
    project = read_psplib(text)
    from podium.engine import CycleError

    with pytest.raises(CycleError):
        schedule(project.network)
