"""Benchmark: ``podium.engine.schedule`` against a straightforward networkx CPM.

For 1k, 10k and 100k activities (~2 links each: 80% FS, 10% SS, 5% FF, 5% SF; 30% of
links with a lag or lead; 5% milestones) on one calendar (Standard, with holidays), both
implementations run on the same network in the same process, after loading (building
the ``Network`` and the ``DiGraph`` is not timed). The baseline does topological sort and
forward/backward passes in Python over a ``networkx.DiGraph`` in integer working minutes
— cheaper than the engine, which also returns calendar dates, free float and the
driving links. Results are checked to agree before timing is reported.

Three network shapes: ``uniform`` draws each activity's predecessors from all earlier
activities (shallow: tens of topological levels); ``local`` draws them from the 200
previous activities (deep: thousands of levels — the engine's cost grows with depth);
``narrow`` from the 10 previous ones (~3 activities a level: the engine switches from
numpy levels to plain loops).

Run: ``.venv/bin/python bench/bench_cpm.py`` (``--quick`` skips 100k).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date, datetime

import networkx as nx
import numpy as np

from podium.engine import Activity, Calendar, CalendarException, Link, Network, schedule
from podium.engine.calendars import to_minutes
from podium.engine.network import LINK_TYPES

START = datetime(2024, 1, 1, 8)
HOLIDAYS = [date(2024, 1, 1), date(2024, 5, 1), date(2024, 12, 25), date(2025, 1, 1)]


def build(n: int, window: int | None, seed: int = 7) -> Network:
    """A random DAG: activity ``j`` gets up to 2 distinct predecessors before it."""
    rng = np.random.default_rng(seed)
    durations = rng.integers(1, 80, n) * 60
    durations[rng.random(n) < 0.05] = 0
    acts = [
        Activity(f"A{i}", duration_minutes=int(d), kind="milestone" if d == 0 else "task")
        for i, d in enumerate(durations.tolist())
    ]
    links = []
    for j in range(1, n):
        lo = 0 if window is None else max(0, j - window)
        preds = set(rng.integers(lo, j, 2).tolist())
        for i in sorted(preds):
            typ = LINK_TYPES[int(rng.choice(4, p=[0.8, 0.1, 0.05, 0.05]))]
            lag = int(rng.integers(-8, 17)) * 60 if rng.random() < 0.3 else 0
            links.append(Link(f"A{i}", f"A{j}", typ, lag))
    cal = Calendar(Calendar.standard().week, [CalendarException(h) for h in HOLIDAYS])
    return Network(acts, links, START, default_calendar=cal)


def to_digraph(net: Network) -> nx.DiGraph:  # type: ignore[type-arg]
    g: nx.DiGraph = nx.DiGraph()  # type: ignore[type-arg]
    for a in net.activities:
        g.add_node(a.id, d=a.duration_minutes)
    for ln in net.links:
        g.add_edge(ln.pred, ln.succ, type=ln.type, lag=ln.lag_minutes)
    return g


def networkx_cpm(g: nx.DiGraph) -> tuple[dict[str, int], dict[str, int], int]:  # type: ignore[type-arg]
    """Textbook CPM in working minutes from the project start: returns ES, TF, finish."""
    order = list(nx.topological_sort(g))
    d = g.nodes
    es: dict[str, int] = {}
    ef: dict[str, int] = {}
    for v in order:
        dv = d[v]["d"]
        best = 0
        for u, _, e in g.in_edges(v, data=True):
            t, lag = e["type"], e["lag"]
            if t == "FS":
                c = ef[u] + lag
            elif t == "SS":
                c = es[u] + lag
            elif t == "FF":
                c = ef[u] + lag - dv
            else:
                c = es[u] + lag - dv
            best = max(best, c)
        es[v] = best
        ef[v] = best + dv
    finish = max(ef.values())
    lf: dict[str, int] = {}
    tf: dict[str, int] = {}
    for u in reversed(order):
        du = d[u]["d"]
        best = finish
        for _, v, e in g.out_edges(u, data=True):
            t, lag = e["type"], e["lag"]
            if t == "FS":
                c = lf[v] - d[v]["d"] - lag
            elif t == "SS":
                c = lf[v] - d[v]["d"] - lag + du
            elif t == "FF":
                c = lf[v] - lag
            else:
                c = lf[v] - lag + du
            best = min(best, c)
        lf[u] = best
        tf[u] = best - ef[u]
    return es, tf, finish


def best_of(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    sizes = [1_000, 10_000] if "--quick" in sys.argv else [1_000, 10_000, 100_000]
    print(
        f"{'shape':8} {'activities':>10} {'links':>7} {'levels':>6} {'podium s':>9} "
        f"{'networkx s':>10} {'ratio':>7}"
    )
    for shape, window in (("uniform", None), ("local", 200), ("narrow", 10)):
        for n in sizes:
            net = build(n, window)
            g = to_digraph(net)
            t_engine, res = best_of(lambda net=net: schedule(net), 7)
            t_nx, base = best_of(lambda g=g: networkx_cpm(g), 3 if n < 100_000 else 2)
            check(net, res, base)  # type: ignore[arg-type]
            levels = nx.dag_longest_path_length(g) + 1
            print(
                f"{shape:8} {n:>10,} {len(net.links):>7,} {levels:>6} {t_engine:>9.4f} "
                f"{t_nx:>10.4f} {t_nx / t_engine:>6.0f}x"
            )


def check(net: Network, res: object, base: tuple[dict[str, int], dict[str, int], int]) -> None:
    """The engine and the baseline agree on early starts, total floats and the finish."""
    from podium.engine.results import ScheduleResult

    assert isinstance(res, ScheduleResult) and res.method == "fast"
    es, tf, finish = base
    cal = net.default_calendar
    p = cal.w_m(to_minutes(net.project_start))
    assert cal.w_m(res.project_finish_minutes) - p == finish
    got_es = [cal.w_m(t) - p for t in res.early_start.tolist()]
    assert got_es == [es[i] for i in net.ids]
    assert res.total_float.tolist() == [tf[i] for i in net.ids]


if __name__ == "__main__":
    main()
