"""Leveling with time-varying capacity: resource calendars, availability, other load."""

from __future__ import annotations

import os
from itertools import product
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.engine.test_leveling import problems

from podium.engine.errors import InfeasibleError, NetworkError
from podium.engine.leveling import (
    Delay,
    RcpspProblem,
    check_feasible,
    level,
    lft_single_pass,
    static_lower_bound,
)
from podium.engine.leveling_cpsat import solve_cpsat

EXAMPLES = int(os.environ.get("PODIUM_EXAMPLES", "40"))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MODES = ["heuristic", "auto", "optimize"]
OFF_2_TO_4 = {0: [(2, 5, 0)]}  # the crew is unavailable in periods 2, 3 and 4


def crew(durations: list[int], profile: Any = OFF_2_TO_4, **kwargs: Any) -> RcpspProblem:
    """Activities A, B, ... each needing the one-unit crew, no links."""
    names = [chr(ord("A") + j) for j in range(len(durations))]
    return RcpspProblem(
        durations,
        [[] for _ in durations],
        [1],
        [[1] for _ in durations],
        names=names,
        resource_names=["Crew"],
        capacity_profile=profile,
        **kwargs,
    )


@pytest.mark.parametrize("mode", MODES)
def test_unavailable_periods_push_the_activity_after_them(mode: Any) -> None:
    # B (3 periods) cannot run in 0-2 (A holds the crew 0-1, period 2 is off) nor
    # across 2-4: the first window is 5-7. Without the gap B would start at 2.
    p = crew([2, 3])
    r = level(p, time_limit=3, mode=mode, workers=1)
    assert r.starts.tolist() == [0, 5] and r.makespan == 8
    assert r.lower_bound == 8 and r.status == "optimal"
    assert check_feasible(p, r.starts) == []
    free = level(crew([2, 3], profile=None), time_limit=3, mode=mode, workers=1)
    assert free.makespan == 5


def test_heuristic_and_cpsat_both_respect_the_gap() -> None:
    p = crew([2, 3])
    m = p._model
    heuristic = lft_single_pass(p)
    assert check_feasible(p, heuristic) == [] and heuristic.tolist() == [0, 5]
    # CP-SAT from a poor warm start (B first, A after the gap) finds the optimum 8
    out = solve_cpsat(m, np.array([8, 5]), lower_bound=0, time_limit=5, workers=1)
    assert check_feasible(p, out.starts) == []
    assert out.makespan == 8 and out.optimal and out.bound == 8


def test_capacity_above_the_base_lets_two_run_together() -> None:
    # Two crews in periods 0-2 only: A and B together there, C (base: one crew) after.
    p = crew([3, 3, 2], profile={0: [(0, 3, 2)]})
    for mode in MODES:
        r = level(p, time_limit=3, mode=mode, workers=1)
        assert r.makespan == 5 and sorted(r.starts.tolist()) == [0, 0, 3], mode
        assert check_feasible(p, r.starts) == []
    out = solve_cpsat(p._model, np.array([0, 3, 6]), lower_bound=0, time_limit=5, workers=1)
    assert out.makespan == 5 and check_feasible(p, out.starts) == []


def test_check_feasible_flags_a_schedule_that_ignores_the_gap() -> None:
    p = crew([2, 3])
    assert check_feasible(p, [0, 2]) == [
        "period 2: resource Crew uses 1 > capacity 0",
        "period 3: resource Crew uses 1 > capacity 0",
        "period 4: resource Crew uses 1 > capacity 0",
    ]
    assert check_feasible(p, [0, 5]) == []


def test_explain_names_the_unavailability() -> None:
    # A alone: only the gap holds it back.
    alone = crew([3])
    r = level(alone, time_limit=2, mode="heuristic")
    assert r.starts.tolist() == [5]
    assert r.delays == {0: Delay([0], [], 5, "unavailable", [0])}
    # B: A holds the crew in 0-1 and the crew is off in 2-4; both are named.
    r = level(crew([2, 3]), time_limit=2, mode="heuristic")
    assert r.delays == {1: Delay([0], [0], 5, "resources", [0])}


def test_explain_without_profile_names_no_unavailability() -> None:
    r = level(crew([2, 3], profile=None), time_limit=2, mode="heuristic")
    assert r.delays == {1: Delay([0], [0], 2, "resources", [])}


def test_a_resource_never_available_in_the_horizon_names_activity_and_resource() -> None:
    with pytest.raises(InfeasibleError) as info:
        RcpspProblem(
            [1, 2],
            [[1], []],
            [1, 2],
            [[0, 1], [1, 0]],
            names=["Dig", "Pour"],
            resource_names=["Crew", "Crane"],
            capacity_profile={0: [(0, 3, 0), (4, 10, 0)]},
            horizon=10,
        )
    message = str(info.value)
    assert "'Pour'" in message and "'Crew'" in message and "horizon (period 10)" in message
    # with a longer horizon the crew is back from period 10 on
    p = RcpspProblem(
        [1, 2],
        [[1], []],
        [1, 2],
        [[0, 1], [1, 0]],
        capacity_profile={0: [(0, 3, 0), (4, 10, 0)]},
        horizon=12,
    )
    assert level(p, time_limit=2).starts.tolist() == [0, 10]


def test_request_above_the_base_capacity_is_still_refused() -> None:
    with pytest.raises(InfeasibleError, match="'B' requests 2 units of resource 'Crew'"):
        RcpspProblem(
            [1, 1], [[], []], [1], [[1], [2]], names=["A", "B"], resource_names=["Crew"],
            capacity_profile={0: [(0, 5, 2)]},
        )  # fmt: skip


def test_fixed_activity_in_an_unavailable_period_is_refused() -> None:
    p = crew([2, 3])
    with pytest.raises(InfeasibleError, match=r"fixed activities 'A'.*'Crew' in period 2"):
        level(p, fixed={0: 1})


def test_energy_bound_counts_only_the_capacity_available() -> None:
    # 3 x 2 periods of crew work; the crew is off in 0-1: 2 + 6 = 8 periods at least.
    p = crew([2, 2, 2], profile={0: [(0, 2, 0)]})
    assert static_lower_bound(p) == 8
    assert static_lower_bound(crew([2, 2, 2], profile=None)) == 6
    r = level(p, time_limit=2)
    assert r.makespan == 8 and r.status == "optimal"


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ({1: [(0, 1, 0)]}, "unknown resource index 1"),
        ({0: [(3, 3, 0)]}, "0 <= start < end"),
        ({0: [(0, 2, -1)]}, "capacity >= 0"),
        ({0: [(0, 4, 0), (2, 6, 1)]}, "overlap"),
        ({0: [(0, 4)]}, "expected"),
    ],
)
def test_bad_profiles_raise_network_error(profile: Any, message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        crew([1], profile=profile)


# ------------------------------------------------------------------ properties


@st.composite
def profiled(draw: st.DrawFn) -> RcpspProblem:
    base = draw(problems())
    k_count = base.capacities.size
    profile: dict[int, list[tuple[int, int, int]]] = {}
    for k in range(k_count):
        cuts = sorted(draw(st.sets(st.integers(0, 14), max_size=6)))
        segs = []
        for a, b in zip(cuts[::2], cuts[1::2], strict=False):
            segs.append((a, b, draw(st.integers(0, int(base.capacities[k]) + 1))))
        if segs:
            profile[k] = segs
    lags = [list(x) for x in base.lags]
    return RcpspProblem(
        base.durations, base.successors, base.capacities, base.requests, lags,
        capacity_profile=profile,
    )  # fmt: skip


@FAST
@given(profiled(), st.sampled_from(MODES))
def test_every_result_respects_the_profile(p: RcpspProblem, mode: Any) -> None:
    r = level(p, time_limit=0.3, mode=mode, workers=1)
    assert check_feasible(p, r.starts) == []
    assert r.makespan >= r.lower_bound >= static_lower_bound(p)
    assert set(r.delays) == set(np.flatnonzero(r.starts > r.early_starts).tolist())
    assert check_feasible(p, lft_single_pass(p)) == []


def brute_force(p: RcpspProblem, horizon: int) -> int:
    best = 10**9
    for starts in product(range(horizon + 1), repeat=p.n):
        s = np.array(starts)
        ms = int((s + p.durations).max())
        if ms < best and not check_feasible(p, s):
            best = ms
    return best


@settings(max_examples=15, deadline=None)
@given(profiled())
def test_optimize_matches_brute_force_with_a_profile(p: RcpspProblem) -> None:
    if p.n > 3 or int(p.durations.sum()) > 6:
        return
    r = level(p, time_limit=5, mode="optimize", workers=1)
    horizon = 15 + int(p.durations.sum()) + sum(max(lag, 0) for _, _, lag in p.edges)
    assert r.status == "optimal"
    assert r.makespan == brute_force(p, horizon)


@pytest.mark.parametrize(("duration", "start"), [(3, 600), (4, 1000), (1, 600)])
def test_windows_far_into_a_long_profile(duration: int, start: int) -> None:
    # the crew works only in periods 600-602 before period 1000
    p = crew([duration], profile={0: [(0, 600, 0), (603, 1000, 0)]})
    r = level(p, time_limit=2)
    assert r.starts.tolist() == [start] and r.lower_bound == start + duration
    assert check_feasible(p, r.starts) == []


def test_an_activity_pushed_past_the_horizon_by_its_predecessor_is_named() -> None:
    # A waits for the crew until period 10; B (no resource) follows A and ends at 14
    with pytest.raises(InfeasibleError, match=r"'B' cannot finish by the horizon \(period 12\)"):
        RcpspProblem(
            [2, 2], [[1], []], [1], [[1], [0]], names=["A", "B"],
            capacity_profile={0: [(0, 10, 0)]}, horizon=12,
        )  # fmt: skip
