"""Resource leveling: problem validation, known optima, explanations, properties."""

from __future__ import annotations

import os
from itertools import product
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podium.engine.errors import CycleError, InfeasibleError, NetworkError
from podium.engine.leveling import (
    Delay,
    Progress,
    RcpspProblem,
    check_feasible,
    level,
    lft_single_pass,
    static_lower_bound,
)
from podium.engine.leveling_sgs import PRIORITY_RULES, priority_keys, serial_sgs, topo_order

EXAMPLES = int(os.environ.get("PODIUM_EXAMPLES", "40"))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def brute_force(p: RcpspProblem, horizon: int) -> int:
    """Optimal makespan by enumerating every start vector up to ``horizon``."""
    best = 10**9
    for starts in product(range(horizon + 1), repeat=p.n):
        s = np.array(starts)
        ms = int((s + p.durations).max())
        if ms < best and not check_feasible(p, s):
            best = ms
    return best


# ------------------------------------------------------------------ validation


def test_request_above_capacity_names_activity_and_resource() -> None:
    with pytest.raises(
        InfeasibleError,
        match=r"activity 'Pour' requests 3 units of resource "
        r"'Crane', whose capacity is 2",
    ):
        RcpspProblem(
            [1, 2], [[1], []], [2], [[1], [3]], names=["Dig", "Pour"], resource_names=["Crane"]
        )


def test_cycle_names_its_activities() -> None:
    with pytest.raises(CycleError) as info:
        RcpspProblem([1, 1, 1, 1], [[1], [2], [3], [1]], [1], [[0]] * 4, names=["A", "B", "C", "D"])
    assert set(info.value.activity_ids) == {"B", "C", "D"}
    assert "B" in str(info.value)


def test_self_loop_is_a_cycle() -> None:
    with pytest.raises(CycleError, match="X -> X"):
        RcpspProblem([1], [[0]], [1], [[0]], names=["X"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"durations": [-1]}, "whole numbers"),
        ({"requests": [[0, 0]]}, "shape"),
        ({"successors": [[5]]}, "unknown successor"),
        ({"successors": []}, "successors must have"),
        ({"lags": [[1, 2]]}, "same shape"),
    ],
)
def test_bad_input_raises_network_error(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, Any] = {
        "durations": [1],
        "successors": [[]],
        "capacities": [1],
        "requests": [[1]],
    }
    args.update(kwargs)
    with pytest.raises(NetworkError, match=message):
        RcpspProblem(**args)


def test_from_links_converts_every_type_to_start_to_start_lags() -> None:
    p = RcpspProblem.from_links(
        [4, 2, 3, 5],
        [(0, 1, "FS", 1), (0, 2, "SS", 2), (1, 3, "FF", 0), (2, 3, "SF", 7)],
        [1],
        [[0]] * 4,
    )
    assert p.edges == [(0, 1, 5), (0, 2, 2), (1, 3, -3), (2, 3, 2)]
    r = level(p, time_limit=2, mode="heuristic")
    # ES: 0, 5, 2, max(5-3, 2+2)=4 -> makespan max(4, 7, 5, 9) = 9
    assert r.starts.tolist() == [0, 5, 2, 4]
    assert r.makespan == 9 and r.status == "optimal"
    with pytest.raises(NetworkError, match="unknown link type"):
        bad: Any = [(0, 1, "XX", 0)]
        RcpspProblem.from_links([1, 1], bad, [1], [[0], [0]])


# ------------------------------------------------------------------ small known optima


def test_two_activities_on_one_unit_run_in_sequence() -> None:
    p = RcpspProblem([3, 4], [[], []], [1], [[1], [1]])
    r = level(p, time_limit=2)
    assert r.makespan == 7 and r.lower_bound == 7 and r.status == "optimal"
    assert sorted(r.starts.tolist()) == [0, 3]


def test_small_instance_matches_brute_force_and_beats_the_critical_path() -> None:
    p = RcpspProblem(
        durations=[0, 2, 3, 4, 2, 0],
        successors=[[1, 2, 3], [4], [5], [5], [5], []],
        capacities=[3],
        requests=[[0], [2], [1], [2], [2], [0]],
    )
    r = level(p, time_limit=2)
    assert r.makespan == brute_force(p, 9) == 8
    assert static_lower_bound(p) < 8
    assert r.status == "optimal" and r.lower_bound == r.makespan
    assert check_feasible(p, r.starts) == []
    assert int((lft_single_pass(p) + p.durations).max()) >= r.makespan


def test_cpsat_proves_optimum_above_the_static_bound() -> None:
    # 3 jobs each needing 2 of 3 units: no two overlap -> optimum = sum of durations
    p = RcpspProblem([2, 2, 2], [[], [], []], [3], [[2], [2], [2]])
    assert static_lower_bound(p) == 4
    r = level(p, time_limit=5, mode="optimize")
    assert r.makespan == 6 and r.lower_bound == 6 and r.status == "optimal"
    assert "cp-sat" in r.solver


def test_empty_and_resource_free_problems() -> None:
    empty = RcpspProblem([], [], [1], np.zeros((0, 1)))
    assert level(empty, time_limit=1).makespan == 0
    free = RcpspProblem([2, 3], [[1], []], [], np.zeros((2, 0)))
    r = level(free, time_limit=1)
    assert r.starts.tolist() == [0, 2] and r.status == "optimal" and r.delays == {}


# ------------------------------------------------------------------ explanations


def test_delay_names_resource_and_blocking_activities() -> None:
    # A (3 periods) then C; B (2 periods) shares R1 with A: the optimum runs A first
    p = RcpspProblem(
        [3, 2, 1],
        [[2], [], []],
        [1, 5],
        [[1, 0], [1, 1], [0, 0]],
        names=["A", "B", "C"],
    )
    r = level(p, time_limit=2)
    assert r.makespan == 5 and r.starts.tolist() == [0, 3, 3]
    assert r.delays == {1: Delay([0], [0], 3, "resources")}


def test_delay_by_precedence_names_the_predecessor() -> None:
    # A and B share the crane; A goes first (its successor D is long); C only waits for B
    p = RcpspProblem([2, 2, 1, 3], [[3], [2], [], []], [1], [[1], [1], [0], [0]])
    r = level(p, time_limit=2, mode="heuristic")
    assert r.makespan == 5 and r.starts.tolist() == [0, 2, 4, 2]
    assert r.delays == {
        1: Delay([0], [0], 2, "resources"),
        2: Delay([], [1], 2, "precedence"),
    }


def test_progress_reports_phases() -> None:
    seen: list[Progress] = []
    p = RcpspProblem([2, 2, 2], [[], [], []], [3], [[2], [2], [2]])
    level(p, time_limit=3, progress=seen.append)
    assert seen[-1].phase == "done" and seen[-1].makespan == 6
    assert any(e.phase == "heuristic" for e in seen)


def test_invalid_mode() -> None:
    p = RcpspProblem([1], [[]], [1], [[1]])
    with pytest.raises(ValueError, match="mode"):
        mode: Any = "fast"
        level(p, mode=mode)


def test_check_feasible_reports_violations() -> None:
    p = RcpspProblem([2, 2], [[1], []], [1], [[1], [1]], names=["A", "B"])
    assert check_feasible(p, [0, 2]) == []
    assert check_feasible(p, [0, 1]) == ["link A -> B: start 1 < 0 + 2"]
    q = RcpspProblem([2, 2], [[], []], [1], [[1], [1]])
    assert check_feasible(q, [0, 1]) == ["period 1: resource R1 uses 2 > capacity 1"]
    assert check_feasible(q, [-1, 3])[0].startswith("activity 0 starts before 0")
    assert "expected 2 starts" in check_feasible(q, [0])[0]


def test_priority_rules_all_give_feasible_schedules() -> None:
    p = RcpspProblem(
        [0, 3, 2, 4, 1, 0],
        [[1, 2], [3], [4], [5], [5], []],
        [2],
        [[0], [1], [2], [1], [1], [0]],
    )
    m = p._model
    for rule in PRIORITY_RULES:
        s = serial_sgs(m, topo_order(m, priority_keys(m, rule), use_rank=False))
        assert check_feasible(p, s) == []
    with pytest.raises(ValueError, match="unknown priority rule"):
        priority_keys(m, "nope")


# ------------------------------------------------------------------ properties


@st.composite
def problems(draw: st.DrawFn) -> RcpspProblem:
    n = draw(st.integers(1, 9))
    k = draw(st.integers(1, 3))
    caps = [draw(st.integers(1, 4)) for _ in range(k)]
    durations = [draw(st.integers(0, 5)) for _ in range(n)]
    requests = [[draw(st.integers(0, c)) for c in caps] for _ in range(n)]
    succ: list[list[int]] = [[] for _ in range(n)]
    lags: list[list[int]] = [[] for _ in range(n)]
    for j in range(1, n):
        for i in draw(st.sets(st.integers(0, j - 1), max_size=2)):
            typ = draw(st.sampled_from(["FS", "SS", "FF", "SF"]))
            lag = draw(st.integers(-2, 3))
            g = {
                "FS": durations[i],
                "SS": 0,
                "FF": durations[i] - durations[j],
                "SF": -durations[j],
            }[typ] + lag
            succ[i].append(j)
            lags[i].append(g)
    return RcpspProblem(durations, succ, caps, requests, lags)


@FAST
@given(problems(), st.sampled_from(["heuristic", "auto", "optimize"]))
def test_every_result_is_feasible_and_bounded(p: RcpspProblem, mode: Any) -> None:
    r = level(p, time_limit=0.3, mode=mode, workers=1)
    assert check_feasible(p, r.starts) == []
    assert r.makespan == int((r.starts + p.durations).max(initial=0))
    assert r.makespan >= r.lower_bound >= static_lower_bound(p)
    assert (r.status == "optimal") == (r.makespan == r.lower_bound)
    assert (r.starts >= r.early_starts).all()
    assert set(r.delays) == set(np.flatnonzero(r.starts > r.early_starts).tolist())
    base = lft_single_pass(p)
    assert check_feasible(p, base) == []


@settings(max_examples=15, deadline=None)
@given(problems())
def test_optimize_matches_brute_force_on_tiny_problems(p: RcpspProblem) -> None:
    if p.n > 4 or int(p.durations.sum()) > 8:
        return
    r = level(p, time_limit=5, mode="optimize", workers=1)
    horizon = int(p.durations.sum()) + sum(max(lag, 0) for _, _, lag in p.edges)
    assert r.status == "optimal"
    assert r.makespan == brute_force(p, horizon)
