"""Benchmark: ``podium.engine.montecarlo.simulate`` against a per-iteration loop.

Network: 1,000 activities (~2 links each: 80% FS, 10% SS, 5% FF, 5% SF; 30% of links
with a lag or lead; 5% milestones) on one calendar (Standard with holidays); every task
has a triangular duration (-25% / most likely / +60%), plus five risk events.

``simulate`` runs 10,000 iterations on one core (``OMP_NUM_THREADS``/BLAS threads play
no part: the pass is elementwise numpy). Sensitivity is computed lazily on first access
and timed separately.

Baseline, run in the same process: the straightforward way — for each iteration build
the ``Network`` with that iteration's sampled durations and call
:func:`podium.engine.schedule` (which picks the vectorised single-calendar CPM path).
It is timed on ``BASE_ITER`` iterations and scaled to 10,000 (it would take minutes).
Both give the same finish for the same durations; that is checked on the first baseline
iterations before the timing is printed.

Run: ``.venv/bin/python bench/bench_montecarlo.py`` (``--quick``: 2,000 iterations).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date, datetime

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

from podium.engine import Activity, Calendar, CalendarException, Link, Network, schedule
from podium.engine.calendars import to_minutes
from podium.engine.montecarlo import Distribution, RiskEvent, simulate
from podium.engine.montecarlo_sampling import sample
from podium.engine.network import LINK_TYPES

START = datetime(2024, 1, 1, 8)
HOLIDAYS = [date(2024, 1, 1), date(2024, 5, 1), date(2024, 12, 25), date(2025, 1, 1)]
BASE_ITER = 100


def build(n: int, seed: int = 7) -> Network:
    """A random DAG: activity ``j`` gets up to 2 predecessors among the 200 before it."""
    rng = np.random.default_rng(seed)
    durations = rng.integers(1, 80, n) * 60
    durations[rng.random(n) < 0.05] = 0
    acts = [
        Activity(f"A{i}", duration_minutes=int(d), kind="milestone" if d == 0 else "task")
        for i, d in enumerate(durations.tolist())
    ]
    links = []
    for j in range(1, n):
        preds = set(rng.integers(max(0, j - 200), j, 2).tolist())
        for i in sorted(preds):
            typ = LINK_TYPES[int(rng.choice(4, p=[0.8, 0.1, 0.05, 0.05]))]
            lag = int(rng.integers(-8, 17)) * 60 if rng.random() < 0.3 else 0
            links.append(Link(f"A{i}", f"A{j}", typ, lag))
    cal = Calendar(Calendar.standard().week, [CalendarException(h) for h in HOLIDAYS])
    return Network(acts, links, START, default_calendar=cal)


def estimates(net: Network) -> dict[str, Distribution]:
    return {
        a.id: Distribution("triangular", 0.75 * d, d, 1.6 * d)
        for a in net.activities
        if (d := a.duration_minutes) > 0
    }


def baseline(net: Network, dists: dict[str, Distribution], iters: int) -> tuple[float, list[int]]:
    """Per-iteration loop: sample, rebuild the network, ``schedule`` it."""
    rng = np.random.default_rng(1)
    finishes = []
    t = time.perf_counter()
    for _ in range(iters):
        d = {k: round(float(sample(v, 1, rng)[0])) for k, v in dists.items()}
        acts = [
            Activity(a.id, a.name, d.get(a.id, a.duration_minutes), kind=a.kind)
            for a in net.activities
        ]
        res = schedule(Network(acts, net.links, net.project_start, net.default_calendar))
        finishes.append(res.project_finish_minutes)
    return time.perf_counter() - t, finishes


def main() -> None:
    iters = 2_000 if "--quick" in sys.argv else 10_000
    n = 1_000
    net = build(n)
    dists = estimates(net)
    ids = [a.id for a in net.activities if a.duration_minutes > 0]
    risks = [
        RiskEvent(f"R{k}", 0.2, (ids[k * 150],), Distribution("triangular", 480, 960, 4800))
        for k in range(5)
    ]
    simulate(net, dists, iterations=200, seed=0)  # warm-up (imports, calendar tables)
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        res = simulate(net, dists, risks=risks, iterations=iters, seed=0)
        best = min(best, time.perf_counter() - t)
    t = time.perf_counter()
    sens = res.sensitivity
    t_sens = time.perf_counter() - t
    # the same durations through schedule(): the engines agree
    fixed = {k: Distribution("fixed", v.mode, v.mode, v.mode) for k, v in dists.items()}
    same = simulate(net, fixed, iterations=3)
    assert int(same.finishes[0]) == to_minutes(schedule(net).project_finish)
    t_base, _ = baseline(net, dists, BASE_ITER)
    per_iter = t_base / BASE_ITER
    top = max(sens, key=lambda k: abs(sens[k]))
    print(f"network: {n} activities, {len(net.links)} links; {iters} iterations, one core")
    print(f"simulate (finish, cost, criticality):  {best:.3f} s (best of 3)")
    print(f"sensitivity on first access:           {t_sens:.3f} s")
    print(
        f"baseline (rebuild Network + schedule() per iteration, {BASE_ITER} timed): "
        f"{per_iter * 1e3:.2f} ms/iteration -> {per_iter * iters:.1f} s for {iters}"
    )
    print(f"ratio baseline / simulate: {per_iter * iters / best:.0f}x")
    print(
        f"P10 {res.finish_percentile(10)}  P50 {res.finish_percentile(50)}  "
        f"P90 {res.finish_percentile(90)}  deterministic {res.deterministic_finish}  "
        f"top sensitivity {top} {sens[top]:.2f}"
    )


if __name__ == "__main__":
    main()
