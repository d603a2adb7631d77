"""Manually scheduled activities (MS Project 2010+ ``Manual=1``) are never critical."""

from __future__ import annotations

from datetime import datetime

import pytest

from podium.engine import Activity, Link, Network, ScheduleOptions, schedule

START = datetime(2024, 1, 1, 8)


def _network(*, manual: set[str]) -> Network:
    """A -> B -> C on the critical path, D beside it with a day of float, under summary S."""
    acts = [
        Activity("S", "Summary", kind="summary"),
        Activity("A", "A", 480, parent="S", manual="A" in manual),
        Activity("B", "B", 960, parent="S", manual="B" in manual),
        Activity("C", "C", 480, parent="S", manual="C" in manual),
        Activity("D", "D", 960, parent="S", manual="D" in manual),
    ]
    return Network(acts, [Link("A", "B"), Link("B", "C"), Link("A", "D")], START)


@pytest.mark.parametrize("fast_path", [True, False])
def test_manual_activity_is_never_critical(fast_path: bool) -> None:
    auto = schedule(_network(manual=set()), ScheduleOptions(fast_path=fast_path))
    got = schedule(_network(manual={"B", "D"}), ScheduleOptions(fast_path=fast_path))
    assert auto.critical_ids() == ["S", "A", "B", "C"]
    assert got.critical_ids() == ["S", "A", "C"]
    assert got["B"].total_float_minutes == 0 and not got["B"].critical
    for name in ("start", "finish", "late_start", "late_finish", "total_float", "free_float"):
        assert getattr(got, name).tolist() == getattr(auto, name).tolist(), name
    assert got.longest_path() == auto.longest_path()  # dates and logic are unchanged


def test_fast_and_general_paths_agree_with_manual_activities() -> None:
    net = _network(manual={"A", "C"})
    fast = schedule(net, ScheduleOptions(fast_path=True))
    general = schedule(net, ScheduleOptions(fast_path=False))
    assert (fast.method, general.method) == ("fast", "general")
    assert fast.critical.tolist() == general.critical.tolist() == [True, False, True, False, False]
    assert [r.critical for r in fast] == [r.critical for r in general]


def test_manual_defaults_to_false() -> None:
    assert Activity("A").manual is False
