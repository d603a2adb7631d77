"""Property-based tests: calendar arithmetic against a minute-by-minute reference, CPM
invariants on random networks, and the fast path agreeing with the general path."""

import os
from datetime import date, datetime, timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podium.engine import (
    Activity,
    Calendar,
    CalendarException,
    Link,
    Network,
    ScheduleOptions,
    ScheduleResult,
    YearlyException,
    schedule,
)
from podium.engine.calendars import to_minutes
from podium.engine.network import LINK_TYPES

# PODIUM_EXAMPLES=5000 for a long local run
EXAMPLES = int(os.environ.get("PODIUM_EXAMPLES", "150"))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- calendars
HORIZON_START = datetime(2023, 12, 1)
HORIZON_DAYS = 120

intervals = st.lists(st.integers(0, 1440), max_size=6).map(
    lambda xs: tuple(zip(*[iter(sorted(set(xs)))] * 2, strict=False))
)


@st.composite
def calendars(draw: st.DrawFn) -> tuple[Calendar, dict[date, tuple[tuple[int, int], ...]]]:
    week = [draw(intervals) for _ in range(7)]
    if not any(week):
        week[0] = ((480, 1020),)
    exc: dict[date, tuple[tuple[int, int], ...]] = {}
    for _ in range(draw(st.integers(0, 6))):
        day = date(2024, 1, 1) + timedelta(days=draw(st.integers(-20, 60)))
        exc[day] = draw(intervals)
    cal = Calendar(week, [CalendarException(k, intervals=v) for k, v in exc.items()])
    return cal, exc


def reference_w(cal: Calendar, exc: dict[date, tuple[tuple[int, int], ...]]) -> np.ndarray:
    """Cumulative working minutes, minute by minute, over the horizon."""
    flags = np.zeros(HORIZON_DAYS * 1440, dtype=np.int64)
    for k in range(HORIZON_DAYS):
        day = HORIZON_START.date() + timedelta(days=k)
        ivs = exc.get(day, cal.week[day.weekday()])
        for s, e in ivs:
            flags[k * 1440 + s : k * 1440 + e] = 1
    return np.concatenate([[0], np.cumsum(flags)])


@FAST
@given(calendars(), st.integers(30 * 1440, 60 * 1440), st.integers(-5000, 5000))
def test_calendar_matches_minute_by_minute_reference(
    cal_exc: tuple[Calendar, dict[date, tuple[tuple[int, int], ...]]], offset: int, n: int
) -> None:
    cal, exc = cal_exc
    w = reference_w(cal, exc)
    t = HORIZON_START + timedelta(minutes=offset)
    base = to_minutes(HORIZON_START)
    wt = int(w[offset])
    target = wt + n
    if not 0 < target < w[-1]:
        return
    hits = np.flatnonzero(w == target)
    got = to_minutes(cal.add_work(t, n)) - base
    if n > 0:
        assert got == hits[0]
    elif n < 0:
        assert got == hits[-1]
    else:
        assert got == offset
    assert to_minutes(cal.next_work_start(t)) - base == np.flatnonzero(w == wt)[-1]
    if wt > 0:
        assert to_minutes(cal.prev_work_end(t)) - base == np.flatnonzero(w == wt)[0]
    later = t + timedelta(minutes=abs(n))
    assert cal.work_between(t, later) == w[offset + abs(n)] - wt


# ---------------------------------------------------------------- networks
STD = Calendar.standard()
CALENDARS = [
    STD,
    Calendar.twenty_four_hour(),
    Calendar.seven_day(((360, 600), (660, 900))),
    Calendar(
        STD.week,
        [
            CalendarException(date(2024, 1, 3)),
            CalendarException(date(2024, 1, 6), intervals=((600, 720),)),
        ],
        [YearlyException(1, 15)],
    ),
]
STARTS = [datetime(2024, 1, 1, 8), datetime(2024, 1, 3, 12, 30), datetime(2024, 1, 6)]
LAGS = [0, 0, 0, 15, 60, 480, -60, -480, -1000]
DURATIONS = [0, 30, 60, 240, 480, 500, 960, 2000]


@st.composite
def networks(draw: st.DrawFn, max_n: int = 25) -> Network:
    n = draw(st.integers(1, max_n))
    acts = [Activity(f"A{i}", duration_minutes=draw(st.sampled_from(DURATIONS))) for i in range(n)]
    links = []
    for j in range(1, n):
        for _ in range(draw(st.integers(0, 3))):
            i = draw(st.integers(0, j - 1))
            links.append(
                Link(
                    f"A{i}",
                    f"A{j}",
                    draw(st.sampled_from(LINK_TYPES)),
                    draw(st.sampled_from(LAGS)),
                )
            )
    perm = draw(st.permutations(range(n)))  # ids are not in topological order
    acts = [acts[p] for p in perm]
    return Network(
        acts,
        links,
        draw(st.sampled_from(STARTS)),
        default_calendar=draw(st.sampled_from(CALENDARS)),
    )


ARRAYS = [
    "start",
    "finish",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_float",
    "free_float",
    "critical",
]


@FAST
@given(networks())
def test_fast_path_and_general_path_agree(net: Network) -> None:
    fast = schedule(net, ScheduleOptions(fast_path=True))
    general = schedule(net, ScheduleOptions(fast_path=False))
    assert (fast.method, general.method) == ("fast", "general")
    for name in ARRAYS:
        assert getattr(fast, name).tolist() == getattr(general, name).tolist(), name
    assert fast.project_finish == general.project_finish
    assert fast.longest_path() == general.longest_path()


def w(cal: Calendar, arr: np.ndarray) -> list[int]:
    return [cal.w_m(int(t)) for t in arr]


def check_invariants(net: Network, res: ScheduleResult) -> None:
    cal = net.default_calendar
    es, ef = w(cal, res.early_start), w(cal, res.early_finish)
    ls, lf = w(cal, res.late_start), w(cal, res.late_finish)
    p = cal.w_m(to_minutes(net.project_start))
    pf = cal.w_m(res.project_finish_minutes)
    for i in range(len(net.activities)):
        assert es[i] <= ls[i] and ef[i] <= lf[i]
        assert p <= es[i] and ef[i] <= pf and lf[i] <= pf
        assert 0 <= res.free_float[i] <= res.total_float[i]
        assert res.total_float[i] == lf[i] - ef[i]
    for k, ln in enumerate(net.links):
        i, j, lag = int(net.link_pred[k]), int(net.link_succ[k]), int(net.link_lag[k])
        for s, f in ((es, ef), (ls, lf)):
            pred_point = f[i] if ln.type in ("FS", "FF") else s[i]
            succ_point = s[j] if ln.type in ("FS", "SS") else f[j]
            assert succ_point >= pred_point + lag, (ln, s is es)
    lp = [net.index[x] for x in res.longest_path()]
    assert lp and all(res.total_float[i] == 0 for i in lp)


@FAST
@given(networks())
def test_invariants_hold_on_unconstrained_networks(net: Network) -> None:
    res = schedule(net)
    check_invariants(net, res)


@settings(max_examples=max(EXAMPLES // 3, 30), deadline=None)
@given(networks(max_n=12), st.data())
def test_progress_keeps_actuals_and_nothing_remains_before_the_data_date(
    net: Network, data: st.DataObject
) -> None:
    cal = net.default_calendar
    dd = to_minutes(net.project_start) + data.draw(st.integers(0, 5 * 1440))
    acts = []
    for a in net.activities:
        state = data.draw(st.sampled_from(["none", "started", "done"]))
        if state == "none" or a.duration_minutes == 0:
            acts.append(a)
            continue
        actual = cal.next_work_start(net.project_start)
        fin = actual + timedelta(minutes=1) if state == "done" else None
        acts.append(
            Activity(
                a.id, duration_minutes=a.duration_minutes, actual_start=actual, actual_finish=fin
            )
        )
    ddt = datetime(1, 1, 1) + timedelta(minutes=dd)
    for mode in ("retained_logic", "progress_override"):
        progressed = Network(acts, net.links, net.project_start, net.default_calendar, ddt)
        res = schedule(progressed, ScheduleOptions(progress=mode))  # type: ignore[arg-type]
        floor = cal.w_m(dd)
        for i, a in enumerate(acts):
            r = res.at(i)
            if a.actual_finish is not None:
                assert (r.start, r.finish, r.early_start) == (a.actual_start, a.actual_finish, None)
                continue
            if a.actual_start is not None:
                assert r.start == a.actual_start
            assert cal.w_m(int(res.early_start[i])) >= floor
            assert res.total_float[i] == cal.w_m(int(res.late_finish[i])) - cal.w_m(
                int(res.early_finish[i])
            )


def as_p6(net: Network, flags: list[bool]) -> Network:
    """``net`` with zero-duration activities as milestones (start ones where flagged)."""
    acts = [
        Activity(
            a.id,
            duration_minutes=a.duration_minutes,
            kind="milestone" if a.duration_minutes == 0 else "task",
            start_milestone=a.duration_minutes == 0 and flag,
        )
        for a, flag in zip(net.activities, flags, strict=True)
    ]
    return Network(acts, net.links, net.project_start, default_calendar=net.default_calendar)


@FAST
@given(networks(), st.lists(st.booleans(), min_size=25, max_size=25))
def test_p6_convention_moves_instants_not_working_time(net: Network, flags: list[bool]) -> None:
    """P6 placement only picks another instant of the same working offset."""
    p6net = as_p6(net, flags[: len(net.activities)])
    p6 = schedule(p6net, ScheduleOptions(convention="p6"))
    ms = schedule(net)
    check_invariants(p6net, p6)
    cal = net.default_calendar
    for name in ("early_start", "early_finish", "late_start", "late_finish"):
        assert w(cal, getattr(p6, name)) == w(cal, getattr(ms, name)), name
    assert p6.total_float.tolist() == ms.total_float.tolist()
    assert p6.free_float.tolist() == ms.free_float.tolist()
