"""Leveling options: fixed starts, leveling priority, deadlines (latest starts)."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.engine.test_leveling import problems

from podium.engine.errors import InfeasibleError, NetworkError
from podium.engine.leveling import (
    RcpspProblem,
    check_feasible,
    check_options,
    float_deadlines,
    level,
    lft_single_pass,
)

EXAMPLES = int(os.environ.get("PODIUM_EXAMPLES", "40"))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MODES = ["heuristic", "auto", "optimize"]


def crane(
    durations: list[int], successors: list[list[int]] | None = None, free: int = 0
) -> RcpspProblem:
    """Activities A, B, ... sharing one crane, except the last ``free`` activities."""
    n = len(durations)
    return RcpspProblem(
        durations,
        successors if successors is not None else [[] for _ in range(n)],
        [1],
        [[1 if j < n - free else 0] for j in range(n)],
        names=[chr(ord("A") + j) for j in range(n)],
        resource_names=["Crane"],
    )


@pytest.mark.parametrize("mode", MODES)
def test_no_options_keeps_todays_result(mode: Any) -> None:
    p = crane([2, 2])
    r = level(p, time_limit=1, mode=mode)
    assert r.starts.tolist() == [0, 2] and r.violations == [] and r.status == "optimal"


@pytest.mark.parametrize("mode", MODES)
def test_fixed_activity_occupies_the_resource_and_the_other_moves(mode: Any) -> None:
    # A would go first; B is fixed at 0 (another manager's plan), so A moves after it
    p = crane([2, 3])
    r = level(p, time_limit=2, mode=mode, fixed={1: 0})
    assert r.starts.tolist() == [3, 0]
    assert r.status == "optimal" and r.violations == [] and r.makespan == 5
    assert r.delays[0].blocking == [1]


@pytest.mark.parametrize("mode", MODES)
def test_fixed_activity_in_the_middle_leaves_a_gap(mode: Any) -> None:
    # B fixed at 1 blocks [1, 3): A (2 periods) cannot fit before it
    p = crane([2, 2])
    r = level(p, time_limit=2, mode=mode, fixed={1: 1})
    assert r.starts.tolist() == [3, 1] and r.makespan == 5
    assert check_options(p, r.starts, fixed={1: 1}) == []


@pytest.mark.parametrize("mode", MODES)
def test_priority_flips_which_competing_activity_goes_first(mode: Any) -> None:
    p = crane([2, 2])
    assert level(p, time_limit=1, mode=mode, priority=[5, 0]).starts.tolist() == [0, 2]
    r = level(p, time_limit=1, mode=mode, priority=[0, 5])
    assert r.starts.tolist() == [2, 0] and r.status == "optimal"


def test_priority_never_costs_makespan() -> None:
    # A -> C (long, no crane); B shares the crane with A. Makespan comes first, so
    # A (on the critical path) still goes first despite B's priority.
    p = crane([2, 2, 3], [[2], [], []], free=1)
    r = level(p, time_limit=2, mode="optimize", priority=[0, 9, 0])
    assert r.makespan == 5 and r.starts.tolist()[:2] == [0, 2]


@pytest.mark.parametrize("mode", MODES)
def test_deadline_changes_the_natural_answer(mode: Any) -> None:
    # A -> C: running A first is optimal (makespan 5); B must start by 0 -> makespan 7
    p = crane([2, 2, 3], [[2], [], []], free=1)
    assert level(p, time_limit=1, mode=mode).starts.tolist() == [0, 2, 2]
    r = level(p, time_limit=2, mode=mode, deadlines={1: 0})
    assert r.starts.tolist() == [2, 0, 4] and r.makespan == 7
    assert r.violations == [] and r.status == ("optimal" if mode != "heuristic" else "feasible")


def test_cpsat_proves_deadlines_infeasible_and_the_result_says_so() -> None:
    # A and B both must start by 0 on one crane: impossible, though each alone is fine
    p = crane([2, 2])
    r = level(p, time_limit=2, mode="optimize", deadlines={0: 0, 1: 0})
    assert r.status == "infeasible"
    assert r.violations[0].startswith("CP-SAT proved")
    assert any("after its deadline 0" in v for v in r.violations)
    assert check_feasible(p, r.starts) == []  # still a usable schedule


def test_heuristic_only_reports_a_missed_deadline() -> None:
    p = crane([2, 2])
    r = level(p, time_limit=0.2, mode="heuristic", deadlines={0: 0, 1: 0})
    assert r.status == "violated"
    assert r.violations == [check_options(p, r.starts, deadlines={0: 0, 1: 0})[0]]


def test_deadline_before_earliest_start_is_infeasible_without_search() -> None:
    p = crane([2, 3], [[1], []])
    r = level(p, time_limit=2, deadlines={1: 1})
    assert r.status == "infeasible"
    assert r.violations[0] == (
        "activity 'B' cannot start by its deadline 1: its earliest start is period 2"
    )


def test_within_float_deadlines() -> None:
    p = crane([3, 1, 1], [[2], [2], []], free=1)
    due = float_deadlines(p)
    assert due == {0: 0, 1: 2, 2: 3}
    # within float: B's float is 2 but the crane is busy with A for 3 periods
    r = level(p, time_limit=2, deadlines=due)
    assert r.status == "infeasible" and "no schedule" in r.violations[0]
    # up to a later finish: B may start by 4
    assert float_deadlines(p, [1], finish=6) == {1: 4}
    r = level(p, time_limit=2, deadlines=float_deadlines(p, finish=6))
    assert r.status == "optimal" and r.starts.tolist() == [0, 3, 4] and r.violations == []


def test_infeasible_fixed_set_names_activities_and_resource() -> None:
    p = crane([2, 3])
    with pytest.raises(
        InfeasibleError,
        match=r"fixed activities 'A', 'B' use 2 units of resource 'Crane' in period 1, "
        r"whose capacity is 1",
    ):
        level(p, fixed={0: 0, 1: 1})


def test_fixed_start_before_its_predecessors_allow_is_named() -> None:
    p = crane([2, 3], [[1], []])
    with pytest.raises(
        InfeasibleError,
        match=r"activity 'B' is fixed to start in period 1, but its predecessors let it "
        r"start no earlier than period 2 \(after 'A'\)",
    ):
        level(p, fixed={1: 1})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fixed": {5: 0}}, "unknown activity index 5"),
        ({"deadlines": {0: -1}}, "has period -1"),
        ({"priority": [1]}, "priority must have 2 entries"),
    ],
)
def test_bad_options_raise_network_error(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        level(crane([1, 1]), **kwargs)


def test_check_options_messages() -> None:
    p = crane([2, 2])
    assert check_options(p, [0, 2]) == []
    assert check_options(p, [0, 2], fixed={1: 1}, deadlines={1: 1, 0: 0}) == [
        "activity B starts at 2, not at its fixed start 1",
        "activity B starts at 2, after its deadline 1 (latest start)",
    ]


# ------------------------------------------------------------------ properties


@st.composite
def problems_with_options(
    draw: st.DrawFn,
) -> tuple[RcpspProblem, dict[int, int], dict[int, int], list[int]]:
    """A problem with fixed starts and deadlines that a known schedule meets."""
    p = draw(problems())
    witness = lft_single_pass(p).tolist()
    chosen = draw(st.lists(st.sampled_from(range(p.n)), unique=True, max_size=p.n))
    split = draw(st.integers(0, len(chosen)))
    fixed = {j: witness[j] for j in chosen[:split]}
    deadlines = {j: witness[j] + draw(st.integers(0, 2)) for j in chosen[split:]}
    priority = draw(st.lists(st.integers(0, 3), min_size=p.n, max_size=p.n))
    return p, fixed, deadlines, priority


@FAST
@given(problems_with_options(), st.sampled_from(MODES))
def test_results_respect_fixed_starts_and_deadlines(case: Any, mode: Any) -> None:
    p, fixed, deadlines, priority = case
    r = level(
        p,
        time_limit=1.0 if mode != "heuristic" else 0.2,
        mode=mode,
        workers=1,
        fixed=fixed,
        deadlines=deadlines,
        priority=priority,
    )
    problems_found = check_options(p, r.starts, fixed=fixed, deadlines=deadlines)
    problems_found += check_feasible(p, r.starts)
    if r.status in ("optimal", "feasible"):
        assert problems_found == [] and r.violations == []
    else:  # never silent
        assert r.status == "violated" and r.violations and mode == "heuristic"
        assert r.violations[0] == problems_found[0]
    assert all(r.starts[j] == t for j, t in fixed.items())
    assert r.makespan == int((r.starts + p.durations).max(initial=0))
    if r.status == "optimal":
        assert r.makespan == r.lower_bound


@FAST
@given(problems(), st.data())
def test_any_deadlines_are_met_or_reported(p: RcpspProblem, data: st.DataObject) -> None:
    deadlines = data.draw(st.dictionaries(st.integers(0, p.n - 1), st.integers(0, 6)))
    r = level(p, time_limit=0.5, mode="auto", workers=1, deadlines=deadlines)
    missed = check_options(p, r.starts, deadlines=deadlines)
    assert (r.status in ("optimal", "feasible")) == (r.violations == [])
    if r.violations:
        assert r.status in ("infeasible", "violated")
    else:
        assert missed == [] and check_feasible(p, r.starts) == []
    assert np.all(r.starts >= 0)
