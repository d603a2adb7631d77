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
