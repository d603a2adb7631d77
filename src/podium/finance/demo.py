"""Demo budget for a program: cost accounts per component, a baseline approved at the
delivery gate, a change request that made version 2, and some actual costs.

Called by the demo loader (``podium.demo``) after the program's components (and, when
present, schedules and resource pool) exist; everything goes through the services, so
the history reads like a real one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from podium.accounts.models import User
from podium.finance import services
from podium.finance.models import BudgetBaseline, BudgetLine, Category, CostAccount
from podium.programs.models import Program
from podium.resources.models import Resource
from podium.schedule.models import Activity

__all__ = ["seed_finance"]

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
    start = program.start_date or dt.date(2026, 1, 5)
    for month in range(6):
        day = start + dt.timedelta(days=30 * month + 14)
        for account in accounts[:4]:
            services.record_actual(
                actor=pm, program=program, cost_account=account, date=day,
                amount=Decimal(21000 + 1500 * month + 700 * accounts.index(account)),
                activity=account.activity, description=f"Invoices {day:%B %Y}",
            )  # fmt: skip
    resource = Resource.objects.filter(program=program, standard_rate__gt=0).first()
    if resource is not None and accounts:
        services.record_time(
            actor=pm, program=program, cost_account=accounts[0], resource=resource,
            date=start + dt.timedelta(days=20), hours=Decimal("7.5"),
            description="Workshop preparation",
        )  # fmt: skip
    return current
