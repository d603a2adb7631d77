"""Build the load program (LOAD): components x activities with links, resources,
assignments, a schedule baseline, a budget and risks.

How each part is made (the services where they are fast enough):

* activities, links, resources and assignments: one ``ProjectFile`` per component through
  ``podium.schedule.services.import_project`` (which bulk-creates the rows), with its
  per-import recompute deferred: the program is recomputed once at the end, not 50
  times on a growing program;
* cross-component links: ``Link.objects.bulk_create`` (the service recomputes per link);
* one recompute (``podium.schedule.services.recompute``), then the schedule baseline:
  ``save_baseline``, with a tenth of its
  entries moved 2-10 days earlier by ``update`` (slipped milestones without a second
  recompute); the budget: ``podium.finance.demo.seed_finance``
  (cost accounts per component, an approved baseline, a change, actual costs, all
  through the finance services); risks: ``create_risk``.

Run on its own: ``python -m bench.load.build --url postgres://...`` (the run script calls
:func:`build` itself).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import secrets
import time
from typing import Any

CODE = "LOAD"
USERNAME = "load.pm"


def configure(url: str) -> None:
    """Django on ``url`` (a database made for the benchmark), migrated."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    os.environ["PODIUM_HTTPS"] = "0"
    os.environ["PODIUM_TASKS"] = "immediate"
    os.environ["EMAIL_URL"] = "locmem"
    os.environ.pop("PODIUM_DEBUG", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "podium.config.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def _component_file(c: int, per_component: int, rng: random.Random) -> Any:
    """One component: work packages (summaries) of up to 49 activities, ~5% milestones,
    1-3 links to recent activities, 8 people and one assignment per task."""
    from podium.engine import Activity as EActivity
    from podium.engine import Calendar as ECalendar
    from podium.engine import Link as ELink
    from podium.engine import Network
    from podium.interchange.base import Assignment, ProjectFile, Resource

    acts: list[EActivity] = []
    links: list[ELink] = []
    packages = max(1, per_component // 50)
    per_package = per_component // packages - 1
    for p in range(packages):
        wp = f"WP{p:02d}"
        acts.append(EActivity(wp, f"Work package {c}.{p}", kind="summary"))
        first = len(acts)
        for k in range(per_package):
            code = f"{wp}-{k:03d}"
            milestone = rng.random() < 0.05
            days = 0 if milestone else rng.randint(1, 10)
            acts.append(
                EActivity(
                    code, f"Activity {c}.{p}.{k}", days * 480,
                    kind="milestone" if milestone else "task", parent=wp,
                )
            )  # fmt: skip
            if k:
                window = acts[max(first, len(acts) - 8) : len(acts) - 1]
                for pred in rng.sample(window, min(len(window), rng.choice([1, 1, 2, 3]))):
                    links.append(ELink(pred.id, code))
        if p:
            links.append(ELink(f"WP{p - 1:02d}-{per_package - 1:03d}", f"{wp}-000"))
    people = [
        Resource(f"R{c:02d}-{i}", f"Engineer {c}.{i}", standard_rate=80.0 + i) for i in range(8)
    ]
    assignments = [
        Assignment(a.id, people[i % len(people)].id, units=1.0)
        for i, a in enumerate(acts)
        if a.kind == "task"
    ]
    network = Network(
        acts, links, project_start=dt.datetime(2026, 1, 5, 8),
        default_calendar=ECalendar.standard("Standard"),
    )  # fmt: skip
    return ProjectFile(
        name=f"Component {c:02d}", format="json", network=network, source="load bench",
        resources=people, assignments=assignments,
    )  # fmt: skip


def build(components: int = 50, per_component: int = 400, seed: int = 12) -> dict[str, Any]:
    """Make LOAD (managed by ``load.pm``) and return what was built and how long it took."""
    from unittest import mock

    from django.db.models import F

    from podium.accounts.services import create_user
    from podium.finance.demo import seed_finance
    from podium.programs.models import Stage
    from podium.programs.services import create_program
    from podium.risks.services import create_risk
    from podium.schedule import services
    from podium.schedule.models import Activity, BaselineActivity, Link, ScheduleSettings
    from podium.schedule.wall import to_db

    rng = random.Random(seed)
    started = time.perf_counter()
    pm = create_user(actor=None, username=USERNAME, password=secrets.token_urlsafe(16))
    program = create_program(actor=None, code=CODE, name="Load program", manager=pm)
    with mock.patch.object(services, "recompute"):  # once at the end instead
        for c in range(components):
            services.import_project(
                actor=None, program=program, project=_component_file(c, per_component, rng)
            )
    imported = time.perf_counter()
    # each component's first work package after the first waits for the previous one
    firsts = list(Activity.objects.filter(program=program, code="WP01-000").order_by("component"))
    lasts = list(Activity.objects.filter(program=program, code="WP00-010").order_by("component"))
    Link.objects.bulk_create(
        [Link(program=program, pred=lasts[i], succ=firsts[i + 1]) for i in range(len(firsts) - 1)]
    )
    ScheduleSettings.objects.filter(program=program).update(
        data_date=to_db(dt.datetime(2026, 4, 1, 8))
    )
    tasks = list(Activity.objects.filter(program=program, kind="task").order_by("pk"))
    started_ones = rng.sample(tasks, len(tasks) // 10)
    for a in started_ones:
        a.percent_complete = float(rng.choice([25, 50, 75]))
    Activity.objects.bulk_update(started_ones, ["percent_complete"], batch_size=2000)
    services.recompute(actor=None, program=program)  # once, for the whole program
    baseline = services.save_baseline(actor=None, program=program, name="Approved plan")
    # the plan was earlier than today's schedule for a tenth of the activities, so the
    # dashboard has slipped milestones to show (instead of a second recompute)
    rows = list(BaselineActivity.objects.filter(baseline=baseline).values_list("pk", flat=True))
    for days in (2, 5, 10):
        chosen = rng.sample(rows, len(rows) // 30)
        BaselineActivity.objects.filter(pk__in=chosen).update(
            start=F("start") - dt.timedelta(days=days), finish=F("finish") - dt.timedelta(days=days)
        )
    scheduled = time.perf_counter()
    program.stage = Stage.PLANNING  # the budget is approved in planning or delivery
    program.save(update_fields=["stage"])
    seed_finance(program, pm)
    for i in range(200):
        create_risk(
            actor=pm, program=program, title=f"Risk {i}",
            probability=rng.choice([0.1, 0.3, 0.5, 0.7]),
            schedule_score=rng.randint(1, 5), cost_score=rng.randint(1, 5),
            cause="Because", event="Something happens", effect="Late",
        )  # fmt: skip
    return {
        "activities": Activity.objects.filter(program=program).count(),
        "links": Link.objects.filter(program=program).count(),
        "import_s": imported - started,
        "schedule_s": scheduled - imported,
        "build_s": time.perf_counter() - started,
    }


def existing() -> dict[str, Any] | None:
    """The figures of LOAD when an earlier run built it, else None."""
    from podium.risks.models import Risk
    from podium.schedule.models import Activity, Link

    if not Risk.objects.filter(program__code=CODE).exists():
        return None
    return {
        "activities": Activity.objects.filter(program__code=CODE).count(),
        "links": Link.objects.filter(program__code=CODE).count(),
        "build_s": 0.0,
    }
