"""CP-SAT model of leveling: the redundant disjunctions it adds are sound."""

from __future__ import annotations

import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.engine.test_leveling import problems

from podium.engine.leveling import RcpspProblem, check_feasible, level, lft_single_pass
from podium.engine.leveling_cpsat import _disjunctive_cliques, _ordered_pairs

EXAMPLES = int(os.environ.get("PODIUM_EXAMPLES", "40"))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_three_big_requests_form_one_disjunction_and_the_small_one_stays_out() -> None:
    # capacity 3: A, B, C need 2 each (no two together), D needs 1 (fits beside any)
    req = np.array([[2], [2], [2], [1]])
    sets = _disjunctive_cliques(req, np.array([1, 1, 1, 1]), np.array([3]))
    assert sets == [[0, 1, 2]]


def test_clash_on_different_resources_still_forms_a_disjunction() -> None:
    # A+B clash on R1, B+C on R2, A+C on R3 (no resource alone orders all three)
    req = np.array([[2, 0, 2], [2, 2, 0], [0, 2, 2]])
    assert _disjunctive_cliques(req, np.array([1, 1, 1]), np.array([3, 3, 3])) == [[0, 1, 2]]


def test_zero_duration_activities_are_never_in_a_disjunction() -> None:
    req = np.array([[2], [2], [2], [2]])
    sets = _disjunctive_cliques(req, np.array([1, 0, 1, 1]), np.array([3]))
    assert sets == [[0, 2, 3]]


@FAST
@given(st.data())
def test_every_disjunction_holds_only_pairs_that_cannot_run_together(data: st.DataObject) -> None:
    n = data.draw(st.integers(0, 9))
    k = data.draw(st.integers(1, 3))
    cap = np.array(data.draw(st.lists(st.integers(1, 5), min_size=k, max_size=k)))
    req = np.array(
        [[data.draw(st.integers(0, int(c))) for c in cap] for _ in range(n)], dtype=np.int64
    ).reshape(n, k)
    d = np.array(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=np.int64)
    for members in _disjunctive_cliques(req, d, cap):
        assert len(members) >= 3 and len(set(members)) == len(members)
        for a in members:
            assert d[a] > 0
            for b in members:
                if a != b:
                    assert (req[a] + req[b] > cap).any()


def test_cpsat_proves_the_sequence_of_pairwise_clashing_activities() -> None:
    # A, B, C (2 of 3 units) must run one after another: optimum 2 + 3 + 1 = 6, above
    # the static bound max(3, ceil(12 / 3)) = 4, so only CP-SAT can prove it
    p = RcpspProblem([2, 3, 1], [[], [], []], [3], [[2], [2], [2]])
    r = level(p, time_limit=5, mode="optimize", workers=1)
    assert r.makespan == 6 and r.lower_bound == 6 and r.status == "optimal"
    assert check_feasible(p, r.starts) == []


def test_links_and_resources_together_form_a_disjunction() -> None:
    # capacity 3: A and B (1 unit each) fit together but A -> B (finish-to-start);
    # C needs all 3 units, so it fits beside neither: no two of them overlap
    p = RcpspProblem([2, 2, 2], [[1], [], []], [3], [[1], [1], [3]])
    m = p._model
    ordered = _ordered_pairs(m)
    assert np.argwhere(ordered).tolist() == [[0, 1]]
    assert _disjunctive_cliques(m.req, m.d, m.cap) == []
    assert _disjunctive_cliques(m.req, m.d, m.cap, ordered) == [[0, 1, 2]]


def test_a_start_to_start_link_does_not_order_the_pair() -> None:
    # B may start when A starts (SS, lag 0): they may overlap
    p = RcpspProblem.from_links([3, 3], [(0, 1, "SS", 0)], [1], [[0], [0]])
    assert not _ordered_pairs(p._model).any()
    # with a lag of 3 (= A's duration) B can only start once A has finished
    q = RcpspProblem.from_links([3, 3], [(0, 1, "SS", 3)], [1], [[0], [0]])
    assert _ordered_pairs(q._model).tolist() == [[False, True], [False, False]]


@FAST
@given(problems())
def test_ordered_pairs_hold_in_every_feasible_schedule(p: RcpspProblem) -> None:
    ordered = _ordered_pairs(p._model)
    for s in (lft_single_pass(p), level(p, time_limit=0.2, mode="optimize", workers=1).starts):
        assert check_feasible(p, s) == []
        for i, j in np.argwhere(ordered).tolist():
            assert s[j] >= s[i] + p.durations[i]
