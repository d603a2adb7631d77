"""Leveling a program: proposal in the background, before/after with reasons, accept as
one audited change, or discard."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from podium.core.errors import PermissionDenied, TransitionRefused, ValidationFailed
from podium.core.models import AuditRecord, Job
from podium.resources import leveling_services
from podium.resources.models import LevelingRun
from podium.schedule.models import Activity, ScheduleSettings
from podium.schedule.wall import to_wall
from tests.conftest import World


def _level(world: World, capture: Any) -> LevelingRun:
    with capture(execute=True):
        run, _ = leveling_services.start_leveling(actor=world.pm, program=world.alpha, time_limit=2)
    run.refresh_from_db()
    return run


def test_leveling_proposes_moves_with_reasons(
    world: World,
    staffed: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    run = _level(world, django_capture_on_commit_callbacks)
    assert run.status == LevelingRun.Status.READY, run.error
    # A and B both need the single crew: one of them waits for the other.
    assert len(run.moves) >= 1
    moved = run.moves[0]
    assert moved["cause"] == "resources" and moved["resources"] == ["CREW"]
    assert any(name.split()[1] in {"A", "B"} for name in moved["blocking"])
    assert run.summary["status"] in {"optimal", "feasible"}
    assert run.summary["finish_after"] > run.summary["finish_before"]
    # Nothing changed in the schedule yet.
    assert not Activity.objects.filter(leveled_start__isnull=False).exists()


def test_accepting_is_one_audited_change_that_moves_the_schedule(
    world: World,
    staffed: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    run = _level(world, django_capture_on_commit_callbacks)
    before = to_wall(ScheduleSettings.objects.get(program=world.alpha).finish)
    with pytest.raises(PermissionDenied):
        leveling_services.accept_leveling(actor=world.cm, run=run)
    leveling_services.accept_leveling(actor=world.pm, run=run)
    after = to_wall(ScheduleSettings.objects.get(program=world.alpha).finish)
    assert before is not None and after is not None and after > before
    assert after.strftime("%Y-%m-%d %H:%M") == run.summary["finish_after"]
    record = AuditRecord.objects.filter(note="resource leveling accepted").get()
    assert record.user == world.pm and record.after["moved"] == len(run.moves)
    with pytest.raises(TransitionRefused):
        leveling_services.accept_leveling(actor=world.pm, run=run)


def test_discard_leaves_the_schedule_alone(
    world: World,
    staffed: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    run = _level(world, django_capture_on_commit_callbacks)
    leveling_services.discard_leveling(actor=world.pm, run=run)
    assert LevelingRun.objects.get(pk=run.pk).status == LevelingRun.Status.DISCARDED
    assert not Activity.objects.filter(leveled_start__isnull=False).exists()


def test_leveling_pages(
    world: World,
    staffed: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    pm = Client()
    pm.force_login(world.pm)
    with django_capture_on_commit_callbacks(execute=True):
        response = pm.post("/programs/ALPHA/resources/level/", {"time_limit": "2"})
    job = Job.objects.get(kind="resources.level")
    assert response["Location"] == f"/jobs/{job.pk}/" and job.status == "succeeded"
    run = LevelingRun.objects.get()
    page = pm.get(f"/programs/ALPHA/resources/leveling/{run.pk}/").content.decode()
    assert "CREW full: held by" in page and "Accept" in page
    pm.post(f"/programs/ALPHA/resources/leveling/{run.pk}/decide/", {"decision": "accept"})
    assert LevelingRun.objects.get().status == LevelingRun.Status.ACCEPTED
    team = Client()
    team.force_login(world.team)
    assert team.post("/programs/ALPHA/resources/level/").status_code == 403


def _level_with(world: World, capture: Any, **options: Any) -> LevelingRun:
    with capture(execute=True):
        run, _ = leveling_services.start_leveling(
            actor=world.pm, program=world.alpha, time_limit=2, options=options
        )
    run.refresh_from_db()
    return run


def test_within_float_refuses_to_move_the_finish(
    world: World, staffed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # A (3 d) is critical; B (2 d) has 2 days of float; both need the only crew, so one
    # of them has to pass the program finish: impossible within float.
    run = _level_with(world, django_capture_on_commit_callbacks, within_float=True)
    assert run.status == LevelingRun.Status.FAILED
    assert "Leveling within these limits failed" in run.error


def test_frozen_components_do_not_move(
    world: World, staffed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # Only C1 (no activities) may move: the imported component keeps A and B where they
    # are, and two fixed activities on one crew cannot be leveled.
    run = _level_with(world, django_capture_on_commit_callbacks, components=["C1"])
    assert run.status == LevelingRun.Status.FAILED
    assert "CREW" in run.error
    with pytest.raises(ValidationFailed):
        leveling_services.start_leveling(
            actor=world.pm, program=world.alpha, options={"components": ["NOPE"]}
        )


def test_leveling_priority_reaches_the_solver(world: World, staffed: Any, api_as: Any) -> None:
    from podium.resources.leveling import build_problem

    b = Activity.objects.get(code="B")
    response = api_as(world.pm).patch(f"/activities/{b.pk}", {"leveling_priority": 1000})
    assert response.status_code == 200 and response.json()["leveling_priority"] == 1000
    built = build_problem(world.alpha)
    by_code = {a.code: built.priority[i] for i, a in enumerate(built.activities, start=1)}
    assert by_code == {"A": 500, "B": 1000, "C": 500}


# ------------------------------------------------------------- time-varying capacity


def _weld_move(world: World, capture: Any) -> dict[str, Any]:
    run = _level(world, capture)
    assert run.status == LevelingRun.Status.READY, run.error
    assert [m["code"] for m in run.moves] == ["W"]
    move: dict[str, Any] = run.moves[0]
    return move


def test_a_week_without_the_welder_moves_the_work_past_it(
    world: World, welding: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from podium.resources.models import Resource

    Resource.objects.filter(code="WELDER").update(
        availability=[{"start": "2026-03-02", "end": "2026-03-06", "units": 0.0}]
    )
    move = _weld_move(world, django_capture_on_commit_callbacks)
    assert (move["start_before"], move["finish_before"]) == ("2026-03-02 08:00", "2026-03-03 17:00")
    assert (move["start_after"], move["finish_after"]) == ("2026-03-09 08:00", "2026-03-10 17:00")
    assert move["delay_hours"] == 40 and move["blocking"] == []
    assert move["resources"] == ["WELDER"] and move["unavailable"] == ["WELDER"]
    assert move["reason"] == (
        "WELDER unavailable from 2026-03-02 08:00 to 2026-03-06 17:00 "
        "(its calendar, availability or other programs' load)"
    )


def test_a_holiday_in_the_welders_calendar_moves_the_work_past_it(
    world: World, welding: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from podium.resources.models import Resource
    from podium.schedule.models import Calendar

    day = [[480, 720], [780, 1020]]
    holiday = Calendar.objects.create(
        program=world.alpha, name="Welder", week=[day] * 5 + [[], []],
        exceptions=[{"start": "2026-03-03", "end": "2026-03-03", "intervals": []}],
    )  # fmt: skip
    Resource.objects.filter(code="WELDER").update(calendar=holiday)
    move = _weld_move(world, django_capture_on_commit_callbacks)
    # Mon alone is too short for 2 days of work and Tue is off: Wed and Thu
    assert (move["start_after"], move["finish_after"]) == ("2026-03-04 08:00", "2026-03-05 17:00")
    assert move["reason"].startswith("WELDER unavailable from 2026-03-03 08:00 to 2026-03-03 17:00")
    # the page shows it as a full resource for now (see the run template)
    assert move["cause"] == "resources"


def test_shorter_hours_on_a_working_day_do_not_take_the_welder_away(
    world: World, welding: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from podium.resources.leveling import build_problem
    from podium.resources.models import Resource
    from podium.schedule.models import Calendar

    mornings = Calendar.objects.create(
        program=world.alpha, name="Mornings", week=[[[480, 720]]] * 5 + [[], []]
    )
    Resource.objects.filter(code="WELDER").update(calendar=mornings)
    # a part-time welder still works every program day: nothing is cut out of them, so
    # a two-day weld is not refused (part time is expressed by fractional units)
    assert build_problem(world.alpha).profile == {}
    run = _level(world, django_capture_on_commit_callbacks)
    assert run.status == LevelingRun.Status.READY, run.error
    assert run.moves == []


def test_organisation_resources_come_through_assignments(world: World, welding: Any) -> None:
    from podium.resources.leveling import build_problem
    from podium.resources.models import Assignment, Resource

    rig = Resource.objects.create(
        program=None, code="RIG", name="Shared rig", capacity=1.0,
        availability=[{"start": "2026-03-02", "end": "2026-03-02", "units": 0.0}],
    )  # fmt: skip
    Assignment.objects.create(activity=Activity.objects.get(code="W"), resource=rig, units=1.0)
    built = build_problem(world.alpha)
    assert [r.code for r in built.resources] == ["WELDER", "RIG"]
    assert built.profile == {1: [(0, 8, 0)]}  # Monday's eight hours


def test_external_load_takes_capacity_away(world: World, welding: Any) -> None:
    import datetime as dt

    from podium.engine.leveling import level
    from podium.resources.leveling import build_problem
    from podium.resources.models import Resource

    welder = Resource.objects.get(code="WELDER")
    other = [(dt.datetime(2026, 3, 2, 8), dt.datetime(2026, 3, 2, 12), 1.0),
             (dt.datetime(2026, 3, 3, 8), dt.datetime(2026, 3, 3, 10), 0.5)]  # fmt: skip
    built = build_problem(world.alpha, external_load={welder.pk: other})
    assert built.profile == {0: [(0, 4, 0), (8, 10, 5)]}
    result = level(built.problem, time_limit=1, priority=built.priority)
    # W needs the whole welder for 16 hours: from Tue 10:00 on
    assert built.to_datetime(int(result.starts[1]), start=True) == dt.datetime(2026, 3, 3, 10)
    assert result.delays[1].cause == "unavailable"


def test_a_welder_who_is_never_available_is_refused_by_name(
    world: World, welding: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from podium.resources.models import Resource

    Resource.objects.filter(code="WELDER").update(
        availability=[{"start": "2026-01-01", "end": "2036-12-31", "units": 0.0}]
    )
    run = _level(world, django_capture_on_commit_callbacks)
    assert run.status == LevelingRun.Status.FAILED
    assert "'PIPES W Weld'" in run.error and "'WELDER'" in run.error


def test_another_programs_work_on_a_shared_rig_holds_this_program_back(
    world: World, welding: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from podium.resources.models import Assignment, Resource
    from podium.schedule.services import import_project
    from tests.resources.conftest import welding_project

    import_project(actor=world.pm_b, program=world.beta, project=welding_project())
    rig = Resource.objects.create(program=None, code="RIG", name="Shared rig", capacity=1.0)
    for program in (world.alpha, world.beta):
        weld = Activity.objects.get(program=program, code="W")
        Assignment.objects.create(activity=weld, resource=rig, units=1.0)
    move = _weld_move(world, django_capture_on_commit_callbacks)
    # BETA welds Mon-Tue with the only rig: ALPHA's weld waits until Wednesday
    assert (move["start_after"], move["finish_after"]) == ("2026-03-04 08:00", "2026-03-05 17:00")
    assert move["reason"].startswith("RIG unavailable from 2026-03-02 08:00 to 2026-03-03 17:00")
    assert "BETA" not in str(move)  # the other program is never named
