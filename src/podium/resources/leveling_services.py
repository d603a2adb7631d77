"""Leveling runs: start one (a background job), review it, accept or discard it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse

from podium.accounts.models import User
from podium.core import audit
from podium.core.errors import TransitionRefused, ValidationFailed
from podium.core.jobs import JobContext, JobFailed, job_handler, start_job
from podium.core.models import Job
from podium.engine import EngineError
from podium.engine.leveling import Progress
from podium.programs.models import Program
from podium.programs.permissions import can_change_program, require
from podium.resources.leveling import (
    PERIOD,
    SCALE,
    LevelingOptions,
    ProgramProblem,
    level_program,
)
from podium.resources.models import LevelingRun
from podium.resources.selectors import external_load
from podium.schedule.models import Activity, ScheduleSettings
from podium.schedule.services import recompute
from podium.schedule.wall import to_db, to_wall

__all__ = ["accept_leveling", "discard_leveling", "start_leveling"]


@transaction.atomic
def start_leveling(
    *,
    actor: User,
    program: Program,
    time_limit: float = 10,
    options: dict[str, Any] | None = None,
) -> tuple[LevelingRun, Job]:
    """Queue a leveling proposal; ``options`` as :class:`LevelingOptions` (JSON form)."""
    require(can_change_program(actor, program), "Only the program manager can level the program.")
    if not 1 <= time_limit <= 600:
        raise ValidationFailed({"time_limit": ["Between 1 and 600 seconds."]})
    options = options or {}
    known = set(program.components.values_list("code", flat=True))
    unknown = sorted(set(options.get("components") or ()) - known)
    if unknown:
        raise ValidationFailed({"components": [f"No component {', '.join(unknown)}."]})
    if options.get("components") == []:
        raise ValidationFailed({"components": ["Choose at least one component that may move."]})
    LevelingOptions.from_json(options)  # refuses a bad date before anything is stored
    run = LevelingRun.objects.create(
        program=program, time_limit=time_limit, options=options, created_by=actor,
        updated_by=actor,
    )  # fmt: skip
    job = start_job(
        "resources.level", user=actor, params={"run_id": run.pk}, program_id=program.pk,
        link=reverse("resources:leveling", args=[program.code, run.pk]),
    )  # fmt: skip
    return run, job


@job_handler("resources.level")
def run_leveling(ctx: JobContext, run_id: int) -> dict[str, Any]:
    run = LevelingRun.objects.select_related("program").get(pk=run_id)
    ctx.progress(2, "building the problem")

    def report(p: Progress) -> None:
        share = min(0.95, p.seconds / max(run.time_limit, 0.1))
        ctx.progress(5 + 90 * share, f"{p.phase}: makespan {p.makespan} h, bound {p.lower_bound} h")

    try:
        built, result = level_program(
            run.program,
            time_limit=run.time_limit,
            options=LevelingOptions.from_json(run.options),
            progress=report,
            # organisation resources: other programs' work on them is fixed capacity
            external_load=external_load(run.program),
        )
    except (EngineError, ValueError) as exc:
        LevelingRun.objects.filter(pk=run_id).update(
            status=LevelingRun.Status.FAILED, error=str(exc)
        )
        raise JobFailed(f"Leveling refused: {exc}") from exc
    if result.status in ("infeasible", "violated"):
        message = "; ".join(result.violations[:3]) or result.status
        LevelingRun.objects.filter(pk=run_id).update(
            status=LevelingRun.Status.FAILED,
            error=f"Leveling within these limits failed: {message}",
        )
        raise JobFailed(f"Leveling within these limits failed: {message}")
    res_codes = list(built.problem.resource_names)
    moves = []
    for i, activity in enumerate(built.activities, start=1):
        delay = result.delays.get(i)
        if delay is None or delay.delay <= 0:
            continue
        minutes = (
            activity.remaining_minutes
            if activity.remaining_minutes is not None
            else (activity.duration_minutes)
        )
        new_start = built.to_datetime(int(result.starts[i]), start=True)
        new_finish = built.calendar.add_work(new_start, minutes) if minutes else new_start
        moves.append({
            "id": activity.pk,
            "code": activity.code,
            "name": activity.name,
            "component": activity.component.code,
            "start_before": _iso(to_wall(activity.start)),
            "finish_before": _iso(to_wall(activity.finish)),
            "start_after": _iso(new_start),
            "finish_after": _iso(new_finish),
            "delay_hours": delay.delay * PERIOD // 60,
            # "unavailable" (only a calendar, availability or other programs' load was in
            # the way) is shown as a full resource, with the reason saying why
            "cause": "resources" if delay.cause == "unavailable" else delay.cause,
            "resources": [res_codes[k] for k in delay.resources],
            "blocking": [built.problem.names[b] for b in delay.blocking if b > 0][:8],
            "unavailable": [res_codes[k] for k in delay.unavailable],
            "reason": _reason(built, delay, int(result.early_starts[i]), int(result.starts[i])),
        })  # fmt: skip
    settings = ScheduleSettings.objects.get(program=run.program)
    summary = {
        "finish_before": _iso(to_wall(settings.finish)),
        "finish_after": _iso(built.to_datetime(result.makespan)),
        "makespan_hours": result.makespan,
        "lower_bound_hours": result.lower_bound,
        "status": result.status,
        "solver": result.solver,
        "seconds": round(result.seconds, 2),
        "activities": len(built.activities),
        "moved": len(moves),
    }
    LevelingRun.objects.filter(pk=run_id).update(
        status=LevelingRun.Status.READY, summary=summary, moves=moves
    )
    return summary


def _reason(built: ProgramProblem, delay: Any, early: int, start: int) -> str:
    """Why an activity moved, in words: the resources held by other activities, the
    hours in which a resource is unavailable or reduced, or delayed predecessors."""
    names = built.problem.names
    codes = built.problem.resource_names
    parts = []
    held = [names[b] for b in delay.blocking if b > 0][:8]
    if delay.cause == "precedence":
        return "waits for delayed predecessors" + (f": {'; '.join(held)}" if held else "")
    if held:
        full = ", ".join(codes[k] for k in delay.resources)
        parts.append(f"{full} full: held by {'; '.join(held)}")
    for k in delay.unavailable:
        base = int(built.problem.capacities[k])
        hit = [
            (max(a, early), min(b, start), c)
            for a, b, c in built.profile.get(k, ())
            if a < start and b > early and c < base
        ]
        if not hit:
            continue
        lowest = min(c for _, _, c in hit)
        what = "unavailable" if lowest == 0 else f"reduced to {lowest / SCALE:g} units"
        first = built.to_datetime(hit[0][0], start=True)
        last = built.to_datetime(hit[-1][1])
        parts.append(
            f"{codes[k]} {what} from {_iso(first)} to {_iso(last)} "
            "(its calendar, availability or other programs' load)"
        )
    return "; ".join(parts)


def _iso(value: Any) -> str | None:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else None


@transaction.atomic
def accept_leveling(*, actor: User, run: LevelingRun) -> LevelingRun:
    """Hold every moved activity back to its leveled start and recompute: one audited
    change. The previous leveling's holds are replaced."""
    require(can_change_program(actor, run.program), "Only the program manager can accept.")
    locked = LevelingRun.objects.select_for_update().get(pk=run.pk)
    if locked.status != LevelingRun.Status.READY:
        raise TransitionRefused(f"This leveling is {locked.get_status_display().lower()}.")
    Activity.objects.filter(program=run.program).update(leveled_start=None)
    for move in locked.moves:
        Activity.objects.filter(pk=move["id"], program=run.program).update(
            leveled_start=to_db(_parse(move["start_after"]))
        )
    LevelingRun.objects.filter(pk=run.pk).update(status=LevelingRun.Status.ACCEPTED)
    settings = recompute(actor=actor, program=run.program)
    audit.record(
        user=actor, action="update", obj=locked,
        before={"finish": locked.summary.get("finish_before")},
        after={"finish": _iso(to_wall(settings.finish)), "moved": len(locked.moves)},
        program_id=run.program_id, note="resource leveling accepted",
    )  # fmt: skip
    locked.refresh_from_db()
    return locked


def _parse(value: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(value)


@transaction.atomic
def discard_leveling(*, actor: User, run: LevelingRun) -> None:
    require(can_change_program(actor, run.program), "Only the program manager can discard.")
    if run.status != LevelingRun.Status.READY:
        raise TransitionRefused(f"This leveling is {run.get_status_display().lower()}.")
    LevelingRun.objects.filter(pk=run.pk).update(status=LevelingRun.Status.DISCARDED)
    audit.record(
        user=actor, action="update", obj=run, before={"status": "ready"},
        after={"status": "discarded"}, program_id=run.program_id,
    )  # fmt: skip
