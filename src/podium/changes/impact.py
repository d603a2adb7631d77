"""The impact of a change request, computed before anyone decides.

What-if schedule (in memory)
----------------------------
The program's stored plan (every activity and link, as :func:`podium.schedule.services.
recompute` loads them) is copied in memory, the request's schedule lines are applied to
the copies and the whole network is scheduled by the same engine call the schedule uses
(:func:`podium.schedule.convert.build_network` + :func:`podium.engine.schedule`):

- ``duration``: the activity's duration becomes ``new_duration_days`` × the working
  minutes of one day of its calendar (the program's default calendar when it has none;
  see :func:`day_minutes`). An activity in progress keeps the work it has done: its
  remaining duration changes by the same amount (never below zero).
- ``add_link``: a link with the lag in working days of the predecessor's calendar.
- ``remove_link``: the link is left out.

The plan *before* is scheduled the same way, so both sides come from one computation
and differ only by the request. ``finish_delta_days`` is the calendar days between the
two project finishes' dates; ``finish_delta_working_days`` the working time between them
on the default calendar in days. The critical path is the set of critical activities
(summaries left out): those *entering* are critical only after, those *leaving* only
before.

Cost (what finance would compute)
---------------------------------
Cost lines become operations of a finance budget change request
(:func:`budget_operations`): a positive delta adds a line of that amount to the cost
account (on the line's activity, if any); a negative delta lowers the account's lines
(those of the line's activity, if any), the largest first. The figures are those of
:func:`podium.finance.evm.program_evm` at the program's default status date:

- ``BAC`` — the program row's budget at completion;
- ``EAC`` — BAC / CPI when the CPI is defined, else AC + (BAC − EV) (the estimate the
  finance S-curve shows);
- *before*: ``program_evm`` of the stored program; *after*: ``program_evm`` of the
  program with the change applied — the activities' new durations and the what-if
  dates written to them, and the budget operations applied to the approved baseline's
  lines — in a savepoint that is rolled back at once, so the figure is exactly the one
  finance computes after approval and nothing of it is kept.

The same savepoint gives the planned-value S-curve after the change and the resources'
over-allocated days after it.

Benefits and resources
----------------------
Benefits affected: those depending on a descoped deliverable (all of it at risk, with
the value at risk from :func:`podium.benefits.selectors.descope_impact`), on a
deliverable whose milestone moves later, or on a component whose activities the
request changes. Resources affected: those assigned to a changed activity or to one
whose dates move, with their over-allocated days (load above capacity, every program's
work counted) before and after.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from podium.changes.models import ChangeLine, ChangeRequest, LineKind
from podium.core.errors import ValidationFailed
from podium.engine import ActivityResult, CycleError, EngineError, ScheduleResult, schedule
from podium.engine import calendars as ecal
from podium.engine.calendars import to_minutes
from podium.finance.models import ActualCost, BudgetBaseline, BudgetLine
from podium.programs.models import Program
from podium.schedule.convert import build_network, engine_calendar
from podium.schedule.models import Activity, Calendar, Link, ScheduleSettings
from podium.schedule.wall import to_db

__all__ = [
    "DEFAULT_DAY_MINUTES",
    "CostImpact",
    "Impact",
    "Plan",
    "apply_lines",
    "approved_baseline",
    "budget_operations",
    "compute",
    "day_minutes",
    "eac_of",
    "lag_minutes",
    "line_errors",
    "new_duration",
    "plan_fingerprint",
    "run_schedule",
    "validate_lines",
]

DEFAULT_DAY_MINUTES = 480
_MOVED_SHOWN = 50  # activities listed as moving (the biggest moves)
_RESULT_FIELDS = (
    "start", "finish", "early_start", "early_finish", "late_start", "late_finish",
    "total_float_minutes", "free_float_minutes", "critical",
)  # fmt: skip


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CostImpact:
    """Budget and estimate at completion before and after (program currency)."""

    currency: str
    status_date: dt.date
    budget_delta: float  # the sum of the cost lines
    bac_before: float
    bac_after: float
    bac_delta: float
    eac_before: float
    eac_after: float
    eac_delta: float
    baseline_number: int | None  # the approved budget baseline the figures start from


@dataclass(frozen=True)
class Impact:
    """A change request's computed impact (see the module). Dates are wall-clock times
    of the schedule; lists hold plain dicts so the whole is stored as JSON on the
    request (:meth:`to_json` / :meth:`from_json`)."""

    fingerprint: str
    computed_at: dt.datetime
    finish_before: dt.datetime | None
    finish_after: dt.datetime | None
    finish_delta_days: int | None
    finish_delta_working_days: float | None
    critical_before: int
    critical_after: int
    critical_entering: list[dict[str, Any]] = field(default_factory=list)
    critical_leaving: list[dict[str, Any]] = field(default_factory=list)
    moved: list[dict[str, Any]] = field(default_factory=list)  # biggest finish moves
    moved_count: int = 0
    cost: CostImpact | None = None
    benefits: list[dict[str, Any]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    pv_before: list[list[Any]] = field(default_factory=list)  # [[date ISO, value], …]
    pv_after: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(_plain(asdict(self)))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Impact:
        values = dict(data)
        for key in ("computed_at", "finish_before", "finish_after"):
            if values.get(key):
                values[key] = dt.datetime.fromisoformat(values[key])
        if values.get("cost"):
            cost = dict(values["cost"])
            cost["status_date"] = dt.date.fromisoformat(cost["status_date"])
            values["cost"] = CostImpact(**cost)
        return cls(**values)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def eac_of(row: Any) -> float:
    """The EAC the impact reports for a finance EVM row: BAC/CPI when CPI is defined,
    else AC + (BAC − EV)."""
    return float(row.eac_cpi if row.eac_cpi is not None else row.eac)


# --------------------------------------------------------------------------- the plan


@dataclass
class Plan:
    """The program's stored schedule as :func:`podium.schedule.services.recompute`
    loads it."""

    program: Program
    settings: ScheduleSettings
    activities: list[Activity]
    links: list[Link]
    calendars: dict[int, Calendar]

    @classmethod
    def load(cls, program: Program) -> Plan:
        settings, _ = ScheduleSettings.objects.get_or_create(program=program)
        return cls(
            program,
            settings,
            list(
                Activity.objects.filter(program=program).select_related("component").order_by("pk")
            ),
            list(Link.objects.filter(program=program).order_by("pk")),
            {c.pk: c for c in Calendar.objects.filter(program=program)},
        )

    def default_calendar(self) -> ecal.Calendar:
        row = self.calendars.get(self.settings.default_calendar_id or 0)
        return engine_calendar(row) if row is not None else ecal.Calendar.standard()


def day_minutes(calendar: Calendar | None) -> int:
    """Working minutes of one day of ``calendar``: the most common working-day length
    of its week (480, eight hours, for none or a calendar without working days)."""
    if calendar is None:
        return DEFAULT_DAY_MINUTES
    totals: list[int] = [int(sum(end - start for start, end in day)) for day in calendar.week]
    counts = Counter(t for t in totals if t > 0)
    if not counts:
        return DEFAULT_DAY_MINUTES
    best: int = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return best


def _activity_day(plan: Plan, activity: Activity) -> int:
    row = plan.calendars.get(activity.calendar_id or 0) or plan.calendars.get(
        plan.settings.default_calendar_id or 0
    )
    return day_minutes(row)


def _label(activity: Activity) -> str:
    return f"{activity.component.code} {activity.code}"


# --------------------------------------------------------------------------- validation


def validate_lines(cr: ChangeRequest, lines: list[ChangeLine]) -> None:
    """Check every line against the current plan; ValidationFailed naming
    ``lines.<n>.<field>`` (n = the line's position, from 1)."""
    errors: dict[str, list[str]] = {}
    if not lines:
        raise ValidationFailed({"lines": ["Add at least one change line."]})
    for n, line in enumerate(lines, start=1):
        for name, message in line_errors(cr, line).items():
            errors.setdefault(f"lines.{n}.{name}", []).append(f"Line {n}: {message}")
    # one line per changed thing: the key a line changes, and the field that names it
    keys: dict[tuple[Any, ...], int] = {}
    for n, line in enumerate(lines, start=1):
        key, name = _target(line)
        if key is None:
            continue
        if key in keys:
            errors.setdefault(f"lines.{n}.{name}", []).append(
                f"Line {n}: line {keys[key]} already changes this."
            )
        else:
            keys[key] = n
    if errors:
        raise ValidationFailed(errors)


def _target(line: ChangeLine) -> tuple[tuple[Any, ...] | None, str]:
    if line.kind == LineKind.DURATION and line.activity_id:
        return (LineKind.DURATION, line.activity_id), "activity"
    if line.kind == LineKind.ADD_LINK and line.predecessor_id and line.successor_id:
        return (LineKind.ADD_LINK, line.predecessor_id, line.successor_id), "successor"
    if line.kind == LineKind.REMOVE_LINK and line.link_id:
        return (LineKind.REMOVE_LINK, line.link_id), "link"
    if line.kind == LineKind.DESCOPE_DELIVERABLE and line.deliverable_id:
        return (LineKind.DESCOPE_DELIVERABLE, line.deliverable_id), "deliverable"
    return None, ""


def line_errors(cr: ChangeRequest, line: ChangeLine) -> dict[str, str]:
    """Field → message for one line (empty when it is valid)."""
    program_id = cr.program_id
    out: dict[str, str] = {}

    def own(activity: Activity | None, name: str) -> bool:
        if activity is None:
            out[name] = "choose an activity."
            return False
        if activity.program_id != program_id:
            out[name] = f"{activity.code} is not an activity of {cr.program.code}."
            return False
        return True

    if line.kind == LineKind.DURATION:
        activity = line.activity
        if own(activity, "activity"):
            assert activity is not None
            if activity.kind == Activity.Kind.SUMMARY:
                out["activity"] = (
                    f"{activity.code} is a summary: its duration follows the work below it."
                )
            elif activity.actual_finish is not None:
                out["activity"] = f"{activity.code} is finished; its duration cannot change."
        days = line.new_duration_days
        if days is None:
            out["new_duration_days"] = "give the new duration in working days."
        elif days < 0:
            out["new_duration_days"] = "a duration cannot be negative."
        elif days > 10000:
            out["new_duration_days"] = "at most 10000 working days."
        elif activity is not None and activity.kind == Activity.Kind.MILESTONE and days != 0:
            out["new_duration_days"] = f"{activity.code} is a milestone: its duration stays 0."
    elif line.kind == LineKind.ADD_LINK:
        ok_pred = own(line.predecessor, "predecessor")
        ok_succ = own(line.successor, "successor")
        if ok_pred and ok_succ:
            if line.predecessor_id == line.successor_id:
                out["successor"] = "an activity cannot follow itself."
            elif Link.objects.filter(
                pred_id=line.predecessor_id, succ_id=line.successor_id
            ).exists():
                assert line.predecessor is not None and line.successor is not None
                out["successor"] = (
                    f"{line.predecessor.code} already precedes {line.successor.code}."
                )
        if line.link_type not in Link.Type.values:
            out["link_type"] = f"unknown link type {line.link_type!r}; use FS, SS, FF or SF."
        if line.lag_days is not None and abs(line.lag_days) > 10000:
            out["lag_days"] = "at most 10000 working days."
    elif line.kind == LineKind.REMOVE_LINK:
        if line.link_id is None or line.link is None:
            out["link"] = "choose the link to remove (it may have been removed already)."
        elif line.link.program_id != program_id:
            out["link"] = f"the link is not in {cr.program.code}."
    elif line.kind == LineKind.COST:
        account = line.cost_account
        if account is None:
            out["cost_account"] = "choose a cost account."
        elif account.program_id != program_id:
            out["cost_account"] = f"{account.code} is not a cost account of {cr.program.code}."
        elif line.activity is not None and line.activity.component_id != account.component_id:
            out["activity"] = f"{line.activity.code} is not in {account.code}'s component."
        if line.amount is None or line.amount == 0:
            out["amount"] = "give the change of budget (negative to lower it)."
        elif abs(line.amount) >= Decimal("1e12"):
            out["amount"] = "the amount is too large."
        if not line.reason.strip():
            out["reason"] = "say why the budget changes."
    elif line.kind == LineKind.DESCOPE_DELIVERABLE:
        deliverable = line.deliverable
        if deliverable is None:
            out["deliverable"] = "choose a deliverable."
        elif deliverable.program_id != program_id:
            out["deliverable"] = f"{deliverable.code} is not a deliverable of {cr.program.code}."
        if not line.reason.strip():
            out["reason"] = "say why it is descoped."
    else:
        out["kind"] = f"unknown kind {line.kind!r}."
    return out


# --------------------------------------------------------------------------- applying


def apply_lines(plan: Plan, lines: list[ChangeLine]) -> tuple[list[Activity], list[Link]]:
    """The plan's activities and links with the schedule lines applied, as new
    in-memory objects (the stored rows and ``plan`` are left as they are)."""
    by_pk = {a.pk: a for a in plan.activities}
    changed: dict[int, Activity] = {}
    links = list(plan.links)
    for line in lines:
        if line.kind == LineKind.DURATION and line.activity_id in by_pk:
            original = by_pk[line.activity_id]
            act = changed.setdefault(original.pk, copy.copy(original))
            new, remaining = new_duration(plan, original, line)
            act.duration_minutes = new
            act.remaining_minutes = remaining
        elif line.kind == LineKind.ADD_LINK:
            pred = by_pk.get(line.predecessor_id or 0)
            if pred is None or line.successor_id not in by_pk:
                continue
            links.append(
                Link(
                    program_id=plan.program.pk,
                    pred_id=pred.pk,
                    succ_id=line.successor_id,
                    type=line.link_type or Link.Type.FS,
                    lag_minutes=lag_minutes(plan, pred, line),
                )
            )
        elif line.kind == LineKind.REMOVE_LINK:
            links = [link for link in links if link.pk is None or link.pk != line.link_id]
    return [changed.get(a.pk, a) for a in plan.activities], links


def new_duration(plan: Plan, activity: Activity, line: ChangeLine) -> tuple[int, int | None]:
    """(duration minutes, remaining minutes) of ``activity`` after a duration line: an
    activity in progress keeps its done work, so its remaining changes by the same
    amount."""
    assert line.new_duration_days is not None
    minutes = round(float(line.new_duration_days) * _activity_day(plan, activity))
    remaining = activity.remaining_minutes
    if remaining is not None:
        remaining = max(0, remaining + minutes - activity.duration_minutes)
    return minutes, remaining


def lag_minutes(plan: Plan, pred: Activity, line: ChangeLine) -> int:
    return round(float(line.lag_days or 0) * _activity_day(plan, pred))


def run_schedule(
    plan: Plan, activities: list[Activity], links: list[Link], what: str
) -> ScheduleResult:
    """Schedule activities and links with the program's settings; a network that cannot
    be scheduled is a ValidationFailed naming ``what`` (e.g. "the changed plan")."""
    names = {str(a.pk): _label(a) for a in activities}
    try:
        return schedule(build_network(plan.program, plan.settings, activities, links))
    except CycleError as exc:
        path = " -> ".join(names.get(i, i) for i in exc.activity_ids)
        raise ValidationFailed({"lines": [f"{what} has a cycle: {path}."]}) from exc
    except EngineError as exc:
        raise ValidationFailed({"lines": [f"{what} cannot be scheduled: {exc}"]}) from exc


# --------------------------------------------------------------------------- budget


def approved_baseline(program: Program) -> BudgetBaseline | None:
    return BudgetBaseline.objects.filter(
        program=program, status=BudgetBaseline.Status.APPROVED
    ).first()


def budget_operations(
    baseline: BudgetBaseline | None, lines: list[ChangeLine]
) -> list[dict[str, Any]]:
    """The finance change operations (see
    :class:`~podium.finance.models.BudgetChangeRequest`) that carry out the cost lines
    on ``baseline``: a positive delta adds a line; a negative one lowers the account's
    lines (of the line's activity, if any), the largest first. ValidationFailed naming
    the line when there is no approved baseline or not enough budget to lower."""
    cost_lines = [(n, ln) for n, ln in enumerate(lines, start=1) if ln.kind == LineKind.COST]
    if not cost_lines:
        return []
    if baseline is None:
        n = cost_lines[0][0]
        raise ValidationFailed(
            {f"lines.{n}.cost_account": [
                f"Line {n}: the program has no approved budget baseline to change."
            ]}
        )  # fmt: skip
    amounts = {
        line.pk: line.amount
        for line in BudgetLine.objects.filter(baseline=baseline).order_by("-amount", "pk")
    }
    rows = list(
        BudgetLine.objects.filter(baseline=baseline)
        .values("pk", "cost_account_id", "activity_id")
        .order_by("-amount", "pk")
    )
    adds: list[dict[str, Any]] = []
    touched: list[int] = []
    for n, line in cost_lines:
        assert line.amount is not None and line.cost_account is not None
        if line.amount > 0:
            adds.append(
                {
                    "op": "add",
                    "cost_account": line.cost_account.code,
                    "activity": line.activity_id,
                    "category": "other",
                    "amount": str(line.amount),
                    "description": line.reason.strip()[:200],
                }
            )
            continue
        need = -line.amount
        candidates = [
            r["pk"] for r in rows
            if r["cost_account_id"] == line.cost_account_id
            and (line.activity_id is None or r["activity_id"] == line.activity_id)
        ]  # fmt: skip
        candidates.sort(key=lambda pk: (-amounts[pk], pk))
        for pk in candidates:
            if need <= 0:
                break
            take = min(amounts[pk], need)
            if take <= 0:
                continue
            amounts[pk] -= take
            need -= take
            if pk not in touched:
                touched.append(pk)
        if need > 0:
            where = "activity" if line.activity_id else "amount"
            raise ValidationFailed(
                {f"lines.{n}.{where}": [
                    f"Line {n}: {line.cost_account.code} has less budget than the "
                    f"{-line.amount} to take off (short by {need})."
                ]}
            )  # fmt: skip
    changes = [{"op": "change", "line": pk, "amount": str(amounts[pk])} for pk in touched]
    return changes + adds


def _apply_operations(baseline: BudgetBaseline, operations: list[dict[str, Any]]) -> None:
    """Apply ``operations`` to ``baseline``'s own lines (only inside the rolled-back
    savepoint of :func:`_after`): the lines then are those approval would create."""
    from podium.finance.models import CostAccount

    accounts = {a.code: a.pk for a in CostAccount.objects.filter(program_id=baseline.program_id)}
    for op in operations:
        if op["op"] == "change":
            BudgetLine.objects.filter(pk=op["line"]).update(amount=Decimal(op["amount"]))
        elif op["op"] == "add":
            BudgetLine.objects.create(
                baseline=baseline,
                cost_account_id=accounts[op["cost_account"]],
                activity_id=op["activity"],
                category=op["category"],
                description=op["description"],
                amount=Decimal(op["amount"]),
            )


# --------------------------------------------------------------------------- fingerprint


def plan_fingerprint(cr: ChangeRequest) -> str:
    """A hash of everything the impact depends on: the program's activities (their
    editable fields and progress), links, calendars, schedule settings, approved budget
    lines, actual costs, assignments and the request's own lines. Another fingerprint
    means the stored impact is stale."""
    from podium.resources.models import Assignment

    program = cr.program
    parts: list[Any] = [
        list(
            Activity.objects.filter(program=program)
            .order_by("pk")
            .values_list(
                "pk",
                "version",
                "duration_minutes",
                "remaining_minutes",
                "percent_complete",
                "actual_start",
                "actual_finish",
                "constraint_type",
                "constraint_date",
                "leveled_start",
                "calendar_id",
                "parent_id",
                "component_id",
            )
        ),
        list(
            Link.objects.filter(program=program)
            .order_by("pk")
            .values_list("pk", "version", "pred_id", "succ_id", "type", "lag_minutes")
        ),
        list(Calendar.objects.filter(program=program).order_by("pk").values_list("pk", "version")),
        list(
            ScheduleSettings.objects.filter(program=program).values_list(
                "version", "data_date", "progress", "default_calendar_id", "project_start"
            )
        ),
        list(
            BudgetLine.objects.filter(
                baseline__program=program, baseline__status=BudgetBaseline.Status.APPROVED
            )
            .order_by("pk")
            .values_list("pk", "amount", "activity_id", "phasing")
        ),
        ActualCost.objects.filter(program=program).aggregate(
            n=Max("pk"), total=Sum("amount"), last=Max("updated_at")
        ),
        list(
            Assignment.objects.filter(activity__program=program)
            .order_by("pk")
            .values_list("pk", "resource_id", "activity_id", "units")
        ),
        list(cr.lines.order_by("pk").values_list("pk", "version")),
        list(program.components.order_by("pk").values_list("pk", "start_date")),
    ]
    text = json.dumps(parts, default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


# --------------------------------------------------------------------------- compute


class _Rollback(Exception):
    """Leaves the what-if savepoint, carrying what was measured inside it."""

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__("what-if rolled back")
        self.payload = payload


def _entry(a: Activity) -> dict[str, Any]:
    return {"id": a.pk, "code": a.code, "component": a.component.code, "name": a.name}


def _measure(
    program: Program, status_date: dt.date | None, resource_ids: set[int]
) -> dict[str, Any]:
    """EVM, planned value curve and over-allocated days of the program as stored now."""
    from podium.finance.evm import default_status_date, program_evm, s_curve
    from podium.resources.selectors import resource_load

    day = status_date or default_status_date(program)
    evm = program_evm(program, day)
    curve = s_curve(program, day)
    over: dict[int, int] = {}
    if resource_ids:
        load = resource_load(program, weeks=1)
        over = {r.resource.pk: len(r.over_days) for r in load.rows if r.resource.pk in resource_ids}
    return {
        "status_date": day,
        "bac": float(evm.program.bac),
        "eac": eac_of(evm.program),
        "baseline_number": evm.baseline_number,
        "pv": [[p.date.isoformat(), p.pv] for p in curve.points],
        "over": over,
    }


def _after(
    plan: Plan,
    scheduled: list[tuple[Activity, ActivityResult]],
    operations: list[dict[str, Any]],
    status_date: dt.date,
    resource_ids: set[int],
) -> dict[str, Any]:
    """:func:`_measure` of the changed program, in a savepoint rolled back at once."""
    try:
        with transaction.atomic():
            stored = {a.pk: a for a in Activity.objects.filter(program=plan.program)}
            dirty = []
            for activity, res in scheduled:
                row = stored[activity.pk]
                values = {
                    "start": to_db(res.start), "finish": to_db(res.finish),
                    "early_start": to_db(res.early_start),
                    "early_finish": to_db(res.early_finish),
                    "late_start": to_db(res.late_start), "late_finish": to_db(res.late_finish),
                    "total_float_minutes": res.total_float_minutes,
                    "free_float_minutes": res.free_float_minutes, "critical": res.critical,
                    "duration_minutes": activity.duration_minutes,
                    "remaining_minutes": activity.remaining_minutes,
                }  # fmt: skip
                if any(getattr(row, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(row, k, v)
                    dirty.append(row)
            Activity.objects.bulk_update(
                dirty, [*_RESULT_FIELDS, "duration_minutes", "remaining_minutes"], batch_size=2000
            )
            baseline = approved_baseline(plan.program)
            if baseline is not None and operations:
                _apply_operations(baseline, operations)
            raise _Rollback(_measure(plan.program, status_date, resource_ids))
    except _Rollback as done:
        return done.payload


def compute(cr: ChangeRequest, lines: list[ChangeLine]) -> Impact:
    """The impact of ``cr`` with ``lines`` on the program as stored now (see the
    module). Validates the lines first (ValidationFailed naming line and field)."""
    from podium.benefits.selectors import benefits_depending_on, descope_impact
    from podium.delivery.models import Deliverable
    from podium.resources.models import Assignment

    validate_lines(cr, lines)
    program = cr.program
    plan = Plan.load(program)
    fingerprint = plan_fingerprint(cr)
    operations = budget_operations(approved_baseline(program), lines)
    notes: list[str] = []

    acts_after, links_after = apply_lines(plan, lines)
    if plan.activities:
        before = run_schedule(plan, plan.activities, plan.links, "The current plan")
        after = run_schedule(plan, acts_after, links_after, "The changed plan")
        finish_before: dt.datetime | None = before.project_finish
        finish_after: dt.datetime | None = after.project_finish
        results = list(zip(plan.activities, before, after, strict=True))
    else:  # no schedule yet: nothing to move
        finish_before = finish_after = None
        results = []
    delta_days = working = None
    if finish_before is not None and finish_after is not None:
        delta_days = (finish_after.date() - finish_before.date()).days
        cal = plan.default_calendar()
        minutes = cal.w_m(to_minutes(finish_after)) - cal.w_m(to_minutes(finish_before))
        day = day_minutes(plan.calendars.get(plan.settings.default_calendar_id or 0))
        working = round(minutes / day, 2)

    summaries = {a.pk for a in plan.activities if a.kind == Activity.Kind.SUMMARY}
    crit_before = {a.pk for a, rb, _ in results if rb.critical and a.pk not in summaries}
    crit_after = {a.pk for a, _, ra in results if ra.critical and a.pk not in summaries}
    by_pk = {a.pk: a for a in plan.activities}

    # activities whose finish moves
    moves: list[tuple[int, Activity, dt.datetime, dt.datetime]] = []
    for a, rb, ra in results:
        if rb.finish != ra.finish and a.kind != Activity.Kind.SUMMARY:
            moves.append(((ra.finish.date() - rb.finish.date()).days, a, rb.finish, ra.finish))
    moves.sort(key=lambda m: (-abs(m[0]), m[1].component.code, m[1].code))
    moved_ids = {m[1].pk for m in moves}

    # what the lines touch directly
    touched: set[int] = set()
    for line in lines:
        if line.kind == LineKind.DURATION and line.activity_id:
            touched.add(line.activity_id)
        elif line.kind == LineKind.ADD_LINK and line.successor_id:
            touched.add(line.successor_id)
        elif line.kind == LineKind.REMOVE_LINK and line.link is not None:
            touched.add(line.link.succ_id)

    # resources
    assignments = list(
        Assignment.objects.filter(activity_id__in=touched | moved_ids)
        .select_related("resource")
        .order_by("resource__code")
    )
    per_resource: dict[int, dict[str, Any]] = {}
    for asg in assignments:
        entry = per_resource.setdefault(
            asg.resource_id,
            {"id": asg.resource_id, "code": asg.resource.code, "name": asg.resource.name,
             "activities": []},
        )  # fmt: skip
        act = by_pk.get(asg.activity_id)
        if act is not None:
            entry["activities"].append(_label(act))
    resource_ids = set(per_resource)

    measured_before = _measure(program, None, resource_ids)
    measured_after = _after(
        plan, [(a, ra) for a, (_, _, ra) in zip(acts_after, results, strict=True)],
        operations, measured_before["status_date"], resource_ids,
    )  # fmt: skip
    for rid, entry in per_resource.items():
        entry["over_days_before"] = measured_before["over"].get(rid, 0)
        entry["over_days_after"] = measured_after["over"].get(rid, 0)
        entry["activities"] = sorted(set(entry["activities"]))

    budget_delta = sum((ln.amount or Decimal(0) for ln in lines if ln.kind == LineKind.COST),
                       Decimal(0))  # fmt: skip
    cost = CostImpact(
        currency=program.currency,
        status_date=measured_before["status_date"],
        budget_delta=float(budget_delta),
        bac_before=measured_before["bac"],
        bac_after=measured_after["bac"],
        bac_delta=round(measured_after["bac"] - measured_before["bac"], 2),
        eac_before=round(measured_before["eac"], 2),
        eac_after=round(measured_after["eac"], 2),
        eac_delta=round(measured_after["eac"] - measured_before["eac"], 2),
        baseline_number=measured_before["baseline_number"],
    )

    # benefits
    benefits: dict[int, dict[str, Any]] = {}

    def hit(benefit: Any, reason: str, value: Any = None) -> None:
        entry = benefits.setdefault(
            benefit.pk,
            {"id": benefit.pk, "code": benefit.code, "name": benefit.name, "reasons": [],
             "value_at_risk": None},
        )  # fmt: skip
        if reason not in entry["reasons"]:
            entry["reasons"].append(reason)
        if value is not None:
            entry["value_at_risk"] = float(value) + (entry["value_at_risk"] or 0.0)

    for line in lines:
        if line.kind == LineKind.DESCOPE_DELIVERABLE and line.deliverable is not None:
            cut = descope_impact(program, deliverable=line.deliverable, cut=True)
            for row in cut.rows:
                hit(row.benefit, f"{line.deliverable.code} descoped", row.value_at_risk)
    for d in Deliverable.objects.filter(program=program, milestone_id__in=moved_ids).select_related(
        "milestone"
    ):
        days = next(m[0] for m in moves if m[1].pk == d.milestone_id)
        if days > 0:
            for b in benefits_depending_on(program, deliverable=d):
                hit(b, f"{d.code} forecast {days:+d} days")
    components = {by_pk[pk].component for pk in touched if pk in by_pk}
    for comp in sorted(components, key=lambda c: c.code):
        for b in benefits_depending_on(program, component=comp):
            hit(b, f"schedule of {comp.code} changed")

    if any(ln.kind == LineKind.DESCOPE_DELIVERABLE for ln in lines):
        notes.append(
            "Descoping a deliverable changes neither the schedule nor the budget by itself; "
            "add duration or cost lines for the work it removes."
        )

    return Impact(
        fingerprint=fingerprint,
        computed_at=timezone.now(),
        finish_before=finish_before,
        finish_after=finish_after,
        finish_delta_days=delta_days,
        finish_delta_working_days=working,
        critical_before=len(crit_before),
        critical_after=len(crit_after),
        critical_entering=[_entry(by_pk[pk]) for pk in _ordered(crit_after - crit_before, by_pk)],
        critical_leaving=[_entry(by_pk[pk]) for pk in _ordered(crit_before - crit_after, by_pk)],
        moved=[
            {
                **_entry(a),
                "finish_before": fb.isoformat(),
                "finish_after": fa.isoformat(),
                "delta_days": days,
            }
            for days, a, fb, fa in moves[:_MOVED_SHOWN]
        ],
        moved_count=len(moves),
        cost=cost,
        benefits=sorted(benefits.values(), key=lambda b: b["code"]),
        resources=sorted(per_resource.values(), key=lambda r: r["code"]),
        pv_before=measured_before["pv"],
        pv_after=measured_after["pv"],
        notes=notes,
    )


def _ordered(ids: set[int], by_pk: dict[int, Activity]) -> list[int]:
    return sorted(ids, key=lambda pk: (by_pk[pk].component.code, by_pk[pk].order, pk))
