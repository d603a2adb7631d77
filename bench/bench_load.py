"""Benchmark: ``podium serve`` under 16 concurrent connections on a 20,000-activity
program (PostgreSQL) and SQLite's ceiling for concurrent editors.

The work is done by ``bench/load`` (see bench/load/README.md); this file lets ``make
bench`` run its long variant: 30 s per scenario. PostgreSQL must answer at 127.0.0.1:5432
(user postgres, trust); without it only the SQLite part runs.

Run: ``.venv/bin/python bench/bench_load.py`` (``--seconds 10`` for a quick run).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def postgres_answers() -> bool:
    probe = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-tAc", "SELECT 1"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    parts = ["pg", "sqlite"] if postgres_answers() else ["sqlite"]
    if parts == ["sqlite"]:
        print("PostgreSQL does not answer at 127.0.0.1:5432: the PostgreSQL part is skipped")
    for part in parts:
        command = [
            sys.executable, "-m", "bench.load.run", "--part", part,
            "--seconds", str(args.seconds), "--sqlite-seconds", str(args.seconds / 2),
        ]  # fmt: skip
        code = subprocess.run(command, cwd=ROOT).returncode
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
