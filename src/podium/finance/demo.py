"""Demo budget for a program: cost accounts per component, a baseline approved at the
delivery gate, a change request that made version 2, and some actual costs
(:func:`seed_finance`); then earned value (:func:`seed_earned_value`): the budget
detailed into work packages (version 3), earning rules, actual costs that follow the
work, and status snapshots at past month ends.

Called by the demo loader (``podium.demo``) after the program's components (and, when
present, schedules and resource pool) exist; everything goes through the services, so
the history reads like a real one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from podium.accounts.models import User
from podium.finance import evm, services
from podium.finance.models import (
    ActualCost,
    BudgetBaseline,
    BudgetLine,
    Category,
    CostAccount,
    StatusSnapshot,
)
from podium.programs.models import Program
from podium.resources.models import Assignment, Resource
from podium.schedule.models import Activity, ScheduleSettings
from podium.schedule.wall import to_wall

__all__ = ["seed_earned_value", "seed_finance"]

# Per component: (account suffix, name, category, amount in thousands)
_ACCOUNTS = [
    ("LAB", "Staff and contractors", Category.LABOUR, 620),
    ("MAT", "Licences, devices and material", Category.MATERIAL, 240),
]


def seed_finance(program: Program, manager: User | None = None) -> BudgetBaseline:
    """Seed ``program``'s finances and return its current (approved) baseline, v2.

    Needs: components, a program in planning or delivery and ``manager`` (the program
    manager; None acts as the system). Uses activities and the resource pool when they
    exist (lines on the components' first summary activities, a time entry); works
    without them.
    """
    pm = manager if manager is not None else program.manager
    components = list(program.components.order_by("code"))
    accounts: list[CostAccount] = []
    for component in components:
        wbs = (
            Activity.objects.filter(component=component, kind=Activity.Kind.SUMMARY)
            .order_by("order")
            .first()
        )
        for suffix, name, _, _ in _ACCOUNTS:
            accounts.append(
                services.create_cost_account(
                    actor=pm,
                    program=program,
                    component=component,
                    code=f"{component.code}-{suffix}",
                    name=f"{component.code} {name.lower()}",
                    activity=wbs,
                )
            )
    baseline = services.create_baseline(
        actor=pm,
        program=program,
        management_reserve=Decimal("1500000.00"),
        contingency=Decimal("900000.00"),
        notes="Prepared in planning from the component estimates (P50).",
    )
    for index, account in enumerate(accounts):
        _, _, category, thousands = _ACCOUNTS[index % len(_ACCOUNTS)]
        scale = Decimal(1 + (index // len(_ACCOUNTS)) % 3)
        services.add_line(
            actor=pm, baseline=baseline, cost_account=account,
            amount=Decimal(thousands * 1000) * scale, category=category,
            description="Component estimate", activity=account.activity,
        )  # fmt: skip
    baseline = services.approve_baseline(
        actor=pm,
        baseline=baseline,
        expected_version=None,
        note="Approved with the program management plan at gate G2 (definition → delivery).",
    )
    first = BudgetLine.objects.filter(baseline=baseline).order_by("id").first()
    assert first is not None
    request = services.propose_change(
        actor=pm,
        baseline=baseline,
        title="Data migration wave 2 is larger than estimated",
        reason="Legacy archives hold 40% more records than the estimate assumed.",
        changes=[
            {"op": "change", "line": first.pk, "amount": first.amount + Decimal("180000")},
            {"op": "reserve", "field": "contingency", "amount": Decimal("820000.00")},
        ],
    )
    _, current = services.approve_change(
        actor=pm,
        request=request,
        expected_version=None,
        note="Funded from contingency; total budget unchanged.",
    )
    # Monthly invoices on the accounts of the components that start first, from when
    # their work starts (booked to the account, not to an activity).
    invoiced = sorted(
        accounts, key=lambda a: (a.component.start_date or dt.date.min, a.component.code)
    )[:4]
    for month in range(6):
        for account in invoiced:
            begin = account.component.start_date or program.start_date or dt.date(2026, 1, 5)
            day = begin + dt.timedelta(days=30 * month + 14)
            services.record_actual(
                actor=pm, program=program, cost_account=account, date=day,
                amount=Decimal(21000 + 1500 * month + 700 * accounts.index(account)),
                description=f"Invoices {day:%B %Y}",
            )  # fmt: skip
    resource = Resource.objects.filter(program=program, standard_rate__gt=0).first()
    if resource is not None and invoiced:
        begin = invoiced[0].component.start_date or program.start_date or dt.date(2026, 1, 5)
        services.record_time(
            actor=pm, program=program, cost_account=invoiced[0], resource=resource,
            date=begin + dt.timedelta(days=20), hours=Decimal("7.5"),
            description="Workshop preparation",
        )  # fmt: skip
    return current


# -- earned value ---------------------------------------------------------------------

# Cost of the work done, per component, as a factor of its earned value by month
# ("YYYY-MM"; the last month given holds on). The story: the network was delivered
# under budget; the EHR build was on budget until the summer, then interface rework and
# extra vendor days pushed its cost up month after month; the portal ran a little over
# from the start. The program's CPI drifts from about 1 to well below it.
COST_FACTORS: dict[str, list[tuple[str, float]]] = {
    "NET": [("2025-01", 0.96)],
    "EHR": [("2026-01", 1.0), ("2026-07", 1.1), ("2026-08", 1.22), ("2026-09", 1.32),
            ("2026-10", 1.4), ("2026-11", 1.45)],
    "PORTAL": [("2026-01", 1.05), ("2026-09", 1.12)],
    "DATA": [("2026-01", 1.0), ("2026-11", 1.04)],
}  # fmt: skip
SNAPSHOT_MONTHS = 4  # status snapshots at the last four month ends before the data date


def _factor(component: str, day: dt.date) -> float:
    factor = 1.0
    for month, value in COST_FACTORS.get(component, []):
        if f"{day:%Y-%m}" >= month:
            factor = value
    return factor


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """Month ends after ``first`` and before ``last``, then ``last``."""
    out = []
    day = dt.date(first.year, first.month, 1)
    while True:
        nxt = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        end = nxt - dt.timedelta(days=1)
        if end >= last:
            break
        out.append(end)
        day = nxt
    return [*out, last]


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _detail_budget(program: Program, pm: User | None, baseline: BudgetBaseline) -> None:
    """Version 3: each line on a component's WBS summary is spread over the component's
    tasks in proportion to their durations (one line per task and account)."""
    tasks: dict[int, list[Activity]] = defaultdict(list)
    for task in Activity.objects.filter(program=program, kind=Activity.Kind.TASK).order_by(
        "component_id", "order", "id"
    ):
        if task.duration_minutes > 0:
            tasks[task.component_id].append(task)
    changes: list[dict[str, object]] = []
    lines = BudgetLine.objects.filter(baseline=baseline, activity__kind=Activity.Kind.SUMMARY)
    for line in lines.select_related("cost_account").order_by("id"):
        work = tasks.get(line.cost_account.component_id)
        if not work:
            continue
        total = sum(t.duration_minutes for t in work)
        left = line.amount
        changes.append({"op": "remove", "line": line.pk})
        for i, task in enumerate(work):
            share = (
                left
                if i == len(work) - 1
                else (line.amount * task.duration_minutes / total).quantize(Decimal("0.01"))
            )
            left -= share
            changes.append({
                "op": "add", "cost_account": line.cost_account.code, "activity": task.pk,
                "category": line.category, "amount": share, "description": "Work package",
            })  # fmt: skip
    if not changes:
        return
    request = services.propose_change(
        actor=pm, baseline=baseline, title="Budget detailed into work packages",
        reason="Control accounts planned at phase level are now detailed into one work "
        "package per task, in proportion to the planned work. Totals are unchanged.",
        changes=changes,
    )  # fmt: skip
    services.approve_change(
        actor=pm, request=request, expected_version=None,
        note="Rolling-wave detailing; no change to the cost baseline.",
    )  # fmt: skip


def _earning_rules(program: Program, pm: User | None) -> None:
    """Short work packages earn 0/100 (up to a week) or 50/50 (up to two weeks); the long
    build tasks by weighted milestones (design review, code complete, accepted)."""
    for task in Activity.objects.filter(program=program, kind=Activity.Kind.TASK):
        days = task.duration_minutes / 480
        if task.name.startswith("Build ") and days >= 20:
            evm.set_earning_rule(actor=pm, activity=task, rule="weighted_milestones",
                                 weights=[20, 50, 30])  # fmt: skip
        elif 0 < days <= 5:
            evm.set_earning_rule(actor=pm, activity=task, rule="zero_hundred")
        elif 5 < days <= 10:
            evm.set_earning_rule(actor=pm, activity=task, rule="fifty_fifty")


def seed_earned_value(program: Program, manager: User | None = None) -> list[StatusSnapshot]:
    """Give ``program`` (after :func:`seed_finance`, with schedules progressed to a
    data date) earned value that tells a story, and return the snapshots taken.

    1. Budget version 3 details the phase-level lines into work packages (one per task).
    2. Earning rules: 0/100, 50/50 and weighted milestones on suitable tasks.
    3. Actual costs follow the work: for each month up to the data date, the earned
       value gained by each activity that month (progress before the data date is
       estimated linearly between actual start and finish, as
       :mod:`podium.finance.evm` does for past status dates) × the component's cost
       factor of that month (:data:`COST_FACTORS`) is what the component should have
       spent by the month end; what :func:`seed_finance`'s invoices have not covered is
       booked to the activities in proportion to what they earned, on the last working
       day of the month, some of it as time entries of their resources.
    4. Status snapshots at the last :data:`SNAPSHOT_MONTHS` month ends before the data
       date, so the trend (CPI drifting below 1) shows per period.
    """
    pm = manager if manager is not None else program.manager
    baseline = BudgetBaseline.objects.get(program=program, status=BudgetBaseline.Status.APPROVED)
    _detail_budget(program, pm, baseline)
    _earning_rules(program, pm)
    settings = ScheduleSettings.objects.filter(program=program).first()
    if settings is None or settings.data_date is None:
        return []
    status = evm.default_status_date(program)
    starts = [
        to_wall(a.actual_start)
        for a in Activity.objects.filter(program=program, actual_start__isnull=False)
    ]
    first = min((s.date() for s in starts if s is not None), default=status)
    ends = _month_ends(first, status)
    earned = evm.earned_by_activity(program, ends)
    activities = {a.pk: a for a in Activity.objects.filter(program=program).select_related(
        "component")}  # fmt: skip
    accounts = {
        a.component_id: a
        for a in CostAccount.objects.filter(program=program, code__endswith="-LAB")
    }
    rated: dict[int, Assignment] = {}
    for asg in Assignment.objects.filter(
        activity__program=program, resource__standard_rate__gt=0
    ).select_related("resource"):
        rated.setdefault(asg.activity_id, asg)
    previous: dict[int, float] = {}
    target: dict[int, float] = defaultdict(float)  # per component, cumulative
    for end in ends:
        gained: dict[int, dict[int, float]] = defaultdict(dict)  # component → activity → ΔEV
        for pk, value in earned[end].items():
            delta = value - previous.get(pk, 0.0)
            if delta > 0.005:
                activity = activities[pk]
                gained[activity.component_id][pk] = delta
                target[activity.component_id] += delta * _factor(activity.component.code, end)
        previous = earned[end]
        day = _weekday(end)
        for component_id, deltas in gained.items():
            account = accounts.get(component_id)
            if account is None:
                continue
            booked = ActualCost.objects.filter(
                program=program, cost_account__component_id=component_id, date__lte=end
            ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
            needed = Decimal(str(round(target[component_id], 2))) - booked
            if needed <= 0:
                continue
            total = sum(deltas.values())
            for pk, delta in sorted(deltas.items()):
                amount = (needed * Decimal(delta / total)).quantize(Decimal("0.01"))
                if amount <= 0:
                    continue
                rated_asg = rated.get(pk)
                hours = Decimal(min(24, round(8 * max(rated_asg.units, 0.5)))) if rated_asg else 0
                if (
                    rated_asg is not None
                    and end == status
                    and hours * rated_asg.resource.standard_rate <= amount
                ):
                    entry = services.record_time(
                        actor=pm, program=program, cost_account=account,
                        resource=rated_asg.resource, date=day, hours=hours,
                        activity=activities[pk],
                        description=f"Timesheet {day:%d %b %Y}",
                    )  # fmt: skip
                    amount -= entry.amount
                if amount > 0:
                    services.record_actual(
                        actor=pm, program=program, cost_account=account, date=day,
                        amount=amount, activity=activities[pk],
                        description=f"Work {end:%B %Y}",
                    )  # fmt: skip
    return [
        evm.take_snapshot(pm, program, end, f"{end:%B %Y}") for end in ends[:-1][-SNAPSHOT_MONTHS:]
    ]
