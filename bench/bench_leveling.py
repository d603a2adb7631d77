"""Benchmark: ``podium.engine.leveling.level`` on PSPLIB j30, j60, j90 and j120.

For each set (a sample of instances, or all with ``--sample 0``) it runs
``level(problem, time_limit=T, workers=W)`` and, in the same process, a single-pass
serial SGS with the LFT priority rule (the classic leveling baseline). Every schedule
is checked with :func:`podium.engine.leveling.check_feasible` (independent of the
solvers) before it is counted. Per set it prints the mean deviation (j30 from the
proven optimum in ``solutions/j30opt.sm``; j60–j120 from the critical-path lower bound
and from the best-known upper bound in ``solutions/<set>hrs.sm``), the number proven
optimal, and the mean and max seconds per instance.

Run::

    .venv/bin/python bench/bench_leveling.py --sets j30 --sample 0 --time-limit 1
    .venv/bin/python bench/bench_leveling.py --sets j120 --sample 30 --time-limit 10
    .venv/bin/python bench/bench_leveling.py --sets j30 --time-limit 10 \
        --instances j3045_2 j3029_3 j3045_6 j3013_2 j3029_6 j3029_8 j3013_6 j3013_5

Published figures to compare with are in ``../shared/data/psplib/REFERENCE_FIGURES.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from podium.engine.leveling import RcpspProblem, check_feasible, level, lft_single_pass
from podium.interchange.psplib import read_psplib_arrays

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "psplib"
DEFAULT_SAMPLE = {"j30": 0, "j60": 24, "j90": 16, "j120": 12}
"""Default instances per set (0 = all): about two minutes per set at the default limit."""


def best_known(set_name: str) -> dict[str, int]:
    """``{"j301_1.sm": 43, ...}``: j30 optima, else best-known UBs from ``*hrs.sm``."""
    path = DATA / "solutions" / ("j30opt.sm" if set_name == "j30" else f"{set_name}hrs.sm")
    out: dict[str, int] = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        words = line.split()
        if len(words) >= 3 and all(w.isdigit() for w in words[:3]):
            out[f"{set_name}{words[0]}_{words[1]}.sm"] = int(words[2])
    return out


def sample_files(set_name: str, sample: int) -> list[Path]:
    """Every ``len/sample``-th file in natural (parameter, instance) order."""

    def natural(p: Path) -> tuple[int, int]:
        par, inst = p.stem[len(set_name) :].split("_")
        return int(par), int(inst)

    files = sorted((DATA / set_name).glob("*.sm"), key=natural)
    if sample and sample < len(files):
        idx = np.linspace(0, len(files) - 1, sample).round().astype(int)
        files = [files[i] for i in sorted(set(idx.tolist()))]
    return files


def run_set(
    set_name: str, sample: int, time_limit: float, workers: int, only: list[str] | None = None
) -> None:
    files = sample_files(set_name, sample)
    if only:
        files = [f for f in sample_files(set_name, 0) if f.stem in set(only)]
    ref = best_known(set_name)
    rows = []
    infeasible = 0
    for path in files:
        inst = read_psplib_arrays(path)
        problem = RcpspProblem.from_psplib(inst)
        t = time.perf_counter()
        base = lft_single_pass(problem)
        base_s = time.perf_counter() - t
        res = level(problem, time_limit=time_limit, workers=workers)
        bad = check_feasible(problem, res.starts) + check_feasible(problem, base)
        if bad:
            infeasible += 1
            print(f"  INFEASIBLE {path.name}: {bad[:3]}", file=sys.stderr)
            continue
        cp = int(inst.critical_path or res.early_starts.max())
        base_ms = int((base + problem.durations).max())
        rows.append(
            (path.name, res.makespan, base_ms, cp, ref[path.name], res.status, res.seconds, base_s)
        )
        if os.environ.get("BENCH_VERBOSE"):
            print(
                f"  {path.name}: {res.makespan} (ref {ref[path.name]}, cp {cp}) "
                f"{res.status} {res.seconds:.2f}s {res.solver}"
            )
    ms = np.array([r[1] for r in rows], dtype=float)
    base = np.array([r[2] for r in rows], dtype=float)
    cpl = np.array([r[3] for r in rows], dtype=float)
    ub = np.array([r[4] for r in rows], dtype=float)
    secs = np.array([r[6] for r in rows])
    base_secs = np.array([r[7] for r in rows])
    n_opt = sum(r[5] == "optimal" for r in rows)
    at_ref = int((ms <= ub).sum())

    def dev(x: np.ndarray, y: np.ndarray) -> float:
        return float(((x - y) / y).mean() * 100)

    label = "optimum" if set_name == "j30" else "best UB"
    print(
        f"\n{set_name}: {len(rows)} of {len(list((DATA / set_name).glob('*.sm')))} instances, "
        f"time limit {time_limit:g} s, {workers} workers; infeasible schedules: {infeasible}"
    )
    print(
        f"| method | dev. from {label} | dev. from CP-LB | proven optimal | "
        f"= {label} | mean s | max s |"
    )
    print("|---|---|---|---|---|---|---|")
    print(
        f"| podium level | {dev(ms, ub):.3f} % | {dev(ms, cpl):.2f} % | {n_opt}/{len(rows)} | "
        f"{at_ref}/{len(rows)} | {secs.mean():.3f} | {secs.max():.3f} |"
    )
    print(
        f"| LFT serial SGS, 1 pass | {dev(base, ub):.3f} % | {dev(base, cpl):.2f} % | - | "
        f"{int((base <= ub).sum())}/{len(rows)} | {base_secs.mean():.4f} | "
        f"{base_secs.max():.4f} |"
    )
    print(f"| reference: best-known UB | 0 | {dev(ub, cpl):.2f} % | | | | |")
    for solver, proved, dev_cp, dev_ub in published(set_name):
        print(f"| published: {solver} (4 workers, 600 s) | {dev_ub} | {dev_cp} | {proved} | | | |")
    sys.stdout.flush()


def published(set_name: str) -> list[tuple[str, str, str, str]]:
    """Rows of REFERENCE_FIGURES.md's table of exact CP solvers for ``set_name``:
    (solver, proved optimal, mean dev. from CP-LB, mean dev. from the best-known UB)."""
    path = DATA / "REFERENCE_FIGURES.md"
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[1] == set_name and "/" in cells[2]:
            rows.append((cells[0], cells[2], cells[4], cells[5]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["j30", "j60", "j90", "j120"])
    parser.add_argument(
        "--sample",
        type=int,
        default=None,
        help="instances per set (0 = all; default: ~2 minutes per set)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="seconds per instance (default: 1 for j30, 5 otherwise)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--instances",
        nargs="+",
        default=None,
        help="only these instances (file stems, e.g. j3013_5), from the sets that hold them",
    )
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"PSPLIB data not found at {DATA}")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"python {platform.python_version()}"
    )
    for set_name in args.sets:
        sample = DEFAULT_SAMPLE[set_name] if args.sample is None else args.sample
        limit = (1.0 if set_name == "j30" else 5.0) if args.time_limit is None else args.time_limit
        print(
            f"\nrunning {set_name}: sample={sample or 'all'}, time limit {limit:g} s, "
            f"workers {args.workers}"
        )
        run_set(set_name, sample, limit, args.workers, args.instances)


if __name__ == "__main__":
    main()
