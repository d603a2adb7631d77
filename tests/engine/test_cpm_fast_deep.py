"""The vectorised path on deep networks (thousands of topological levels, narrow levels,
duplicate links, milestones on chains) agrees with the general path, both level by level
in numpy and with the plain loops used for deep networks of narrow levels."""

from datetime import datetime

import numpy as np
import pytest

from podium.engine import (
    Activity,
    CycleError,
    Link,
    Network,
    ScheduleOptions,
    ScheduleResult,
    cpm_fast,
    schedule,
)
from podium.engine.network import LINK_TYPES

START = datetime(2024, 1, 1, 8)
ARRAYS = [
    "start",
    "finish",
    "late_start",
    "late_finish",
    "total_float",
    "free_float",
    "critical",
]


@pytest.fixture(autouse=True, params=["levels", "loops"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run every test with numpy levels only, and with the loops from the first level."""
    if request.param == "levels":
        monkeypatch.setattr(cpm_fast, "_NARROW_WIDTH", 0)
    else:
        monkeypatch.setattr(cpm_fast, "_NARROW_LEVELS", 1)
        monkeypatch.setattr(cpm_fast, "_NARROW_WIDTH", 10**9)
    return str(request.param)


def both(net: Network) -> tuple[ScheduleResult, ScheduleResult]:
    fast = schedule(net, ScheduleOptions(fast_path=True))
    general = schedule(net, ScheduleOptions(fast_path=False))
    assert (fast.method, general.method) == ("fast", "general")
    return fast, general


def assert_agree(net: Network) -> None:
    fast, general = both(net)
    for name in ARRAYS:
        assert getattr(fast, name).tolist() == getattr(general, name).tolist(), name
    assert fast.project_finish == general.project_finish
    assert fast.longest_path() == general.longest_path()
    # the driving links, in whatever order each path lists them
    pairs = [
        sorted(zip(r.driving_pred.tolist(), r.driving_succ.tolist(), strict=True))
        for r in (fast, general)
    ]
    assert pairs[0] == pairs[1]


def local_network(n: int, window: int, seed: int) -> Network:
    """Each activity has up to 3 predecessors among the ``window`` before it (deep)."""
    rng = np.random.default_rng(seed)
    durations = rng.choice([0, 30, 60, 480, 960], n, p=[0.2, 0.2, 0.2, 0.2, 0.2])
    acts = [Activity(f"A{i}", duration_minutes=int(x)) for i, x in enumerate(durations)]
    links = []
    for j in range(1, n):
        for i in rng.integers(max(0, j - window), j, rng.integers(1, 4)).tolist():
            typ = LINK_TYPES[int(rng.integers(4))]
            lag = int(rng.choice([0, 0, 0, 15, 480, -60, -480]))
            links.append(Link(f"A{i}", f"A{j}", typ, lag))  # duplicates allowed
    perm = rng.permutation(n)  # ids not in topological order
    return Network([acts[p] for p in perm], links, START)


@pytest.mark.parametrize(("n", "window", "seed"), [(600, 3, 1), (600, 12, 2), (2000, 40, 3)])
def test_deep_local_networks_agree_with_the_general_path(n: int, window: int, seed: int) -> None:
    assert_agree(local_network(n, window, seed))


@pytest.mark.parametrize("typ", LINK_TYPES)
@pytest.mark.parametrize("lag", [0, 60, -60])
def test_long_chain_of_tasks_and_milestones(typ: str, lag: int) -> None:
    # a milestone keeps the side of its instant: zero lags through milestones matter
    acts = [Activity(f"A{i}", duration_minutes=(0 if i % 3 else 240)) for i in range(300)]
    links = [Link(f"A{i}", f"A{i + 1}", typ, lag) for i in range(299)]
    assert_agree(Network(acts, links, START))


def test_one_node_reached_by_many_links_from_the_same_level() -> None:
    acts = [Activity(f"A{i}", duration_minutes=60 * (i % 4)) for i in range(50)]
    links = [Link("A0", f"A{i}") for i in range(1, 48)]
    links += [Link(f"A{i}", "A48", "FF", 30) for i in range(1, 48)]
    links += [Link(f"A{i}", "A48") for i in range(1, 48, 2)]  # duplicated pairs
    links += [Link("A48", "A49", "SS"), Link("A48", "A49", "SS")]
    assert_agree(Network(acts, links, START))


def test_cycle_deep_in_a_long_network_is_named() -> None:
    acts = [Activity(f"A{i}", duration_minutes=60) for i in range(500)]
    links = [Link(f"A{i}", f"A{i + 1}") for i in range(499)] + [Link("A402", "A400")]
    with pytest.raises(CycleError) as info:
        schedule(Network(acts, links, START), ScheduleOptions(fast_path=True))
    assert info.value.activity_ids == ("A400", "A401", "A402")
