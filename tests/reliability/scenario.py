"""Setup steps of the reliability tests, run as a script against an instance's database
(``DATABASE_URL`` and ``DJANGO_SETTINGS_MODULE`` come from the environment); each prints
JSON.

    scenario.py programs PREFIX COUNT        programs PREFIX1..PREFIXn, managed by the admin
    scenario.py leveling-runs CODE COUNT     COUNT ready leveling results for program CODE,
                                             alternating two sets of moves (A, B, A, ...)
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from typing import Any


def _setup() -> None:
    import django

    django.setup()


def programs(prefix: str, count: int) -> list[str]:
    from podium.accounts.models import User
    from podium.programs.services import create_program

    admin = User.objects.get(username="reladmin")
    codes = []
    for i in range(1, count + 1):
        code = f"{prefix}{i}"
        create_program(actor=admin, code=code, name=f"Reliability {code}", manager=admin)
        codes.append(code)
    return codes


def leveling_runs(code: str, count: int) -> list[int]:
    """Ready leveling results as the leveling job leaves them: pattern A moves every
    third activity by one to three days, pattern B every fifth by two to four days."""
    from podium.accounts.models import User
    from podium.programs.models import Program
    from podium.resources.models import LevelingRun
    from podium.schedule.models import Activity
    from podium.schedule.wall import to_wall

    admin = User.objects.get(username="reladmin")
    program = Program.objects.get(code=code)
    acts = list(Activity.objects.filter(program=program).order_by("pk"))
    patterns = []
    for step, shift in ((3, 1), (5, 2)):
        moves = []
        for i, act in enumerate(acts):
            if i % step or act.start is None:
                continue
            start = to_wall(act.start) + timedelta(days=shift + i % 3)
            moves.append({
                "id": act.pk, "code": act.code, "name": act.name,
                "component": "", "start_after": start.strftime("%Y-%m-%d %H:%M"),
            })  # fmt: skip
        patterns.append(moves)
    ids = []
    for n in range(count):
        run = LevelingRun.objects.create(
            program=program, status=LevelingRun.Status.READY, time_limit=1,
            summary={"finish_before": None}, moves=patterns[n % 2],
            created_by=admin, updated_by=admin,
        )  # fmt: skip
        ids.append(run.pk)
    return ids


def main(argv: list[str]) -> None:
    _setup()
    command, *args = argv
    if command == "programs":
        out: Any = programs(args[0], int(args[1]))
    elif command == "leveling-runs":
        out = leveling_runs(args[0], int(args[1]))
    else:
        raise SystemExit(f"unknown step {command!r}")
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
