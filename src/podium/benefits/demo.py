"""Demo benefits of the HDT program: six benefits tied to its goals
(``podium.demo.GOALS``) and to the deliverables of their components, with realization
profiles and measurements over 2026 — the bedside-device benefit slips to "at risk"
with its latest measurement.

:func:`seed_benefits` runs after the schedules and the deliverables exist (the delivery
demo creates them); it links each benefit to the deliverables of its components and, for
a component without deliverables, to the component itself. Everything goes through the
services, so the register's history reads like a real one. Measurements dated after
today are left out.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.utils import timezone

from podium.accounts.models import User
from podium.benefits import services
from podium.benefits.models import Benefit
from podium.delivery.models import Deliverable
from podium.programs.models import Component, Program

__all__ = ["BENEFITS", "seed_benefits"]

D = dt.date


class DemoBenefit(NamedTuple):
    name: str
    category: str
    goal: str  # a title of podium.demo.GOALS
    components: tuple[str, ...]
    kpi: str
    unit: str
    direction: str
    baseline: tuple[dt.date, float]
    targets: tuple[tuple[dt.date, float], ...]
    measurements: tuple[tuple[dt.date, float, str], ...]
    owner: str
    sustainment_owner: str
    expected_value: int | None
    method: str


BENEFITS = [
    DemoBenefit(
        "Fewer medication transcription errors", "operational", "Safer care", ("EHR",),
        "Transcription errors per 1,000 medication orders", "per 1,000", "lower",
        (D(2026, 1, 15), 12.0), ((D(2028, 6, 30), 12.0), (D(2028, 12, 31), 6.0),
                                 (D(2029, 6, 30), 3.0)),
        ((D(2026, 4, 30), 12.2, "pharmacy audit Q1"), (D(2026, 7, 31), 11.8, "audit Q2"),
         (D(2026, 10, 31), 11.9, "audit Q3")),
        "sh.osei", "sh.osei", None,
        "Pharmacy audit of 500 random orders per quarter; errors found per 1,000 orders.",
    ),
    DemoBenefit(
        "More outpatient bookings made online", "strategic", "Easier access", ("PORTAL",),
        "Outpatient bookings made online", "%", "higher",
        (D(2026, 6, 1), 3.0), ((D(2027, 8, 31), 3.0), (D(2027, 12, 31), 25.0),
                               (D(2028, 6, 30), 40.0)),
        ((D(2026, 7, 31), 3.1, "phone and e-mail requests"), (D(2026, 10, 31), 3.4, "")),
        "cm.brandt", "sh.ferreira", 600_000,
        "Booking system report: online bookings / all outpatient bookings in the month.",
    ),
    DemoBenefit(
        "Fewer missed appointments", "social", "Easier access", ("PORTAL",),
        "Missed outpatient appointments", "%", "lower",
        (D(2026, 6, 1), 11.0), ((D(2027, 8, 31), 11.0), (D(2028, 6, 30), 9.35)),
        ((D(2026, 9, 30), 11.1, "summer months"),),
        "sh.osei", "sh.osei", 900_000,
        "Did-not-attend rate from the patient administration system, monthly.",
    ),
    DemoBenefit(
        "Legacy licence costs retired", "financial", "Lower running cost", ("EHR", "NET"),
        "Legacy clinical system licences", "k EUR/year", "lower",
        (D(2026, 1, 1), 1200.0), ((D(2028, 6, 30), 1200.0), (D(2028, 12, 31), 600.0),
                                  (D(2029, 6, 30), 0.0)),
        ((D(2026, 10, 1), 1200.0, "renewals signed for 2027"),),
        "pm.alvarez", "cm.okafor", 1_800_000,
        "Finance: annual licence invoices of the three legacy systems.",
    ),
    DemoBenefit(
        "Quality indicators reported automatically", "strategic", "Safer care", ("DATA",),
        "Quality indicators produced without manual work", "%", "higher",
        (D(2026, 9, 1), 0.0), ((D(2028, 3, 31), 0.0), (D(2028, 9, 30), 50.0),
                               (D(2028, 12, 31), 80.0)),
        (),
        "cm.singh", "sh.osei", None,
        "Count of the 40 national quality indicators produced by the data platform.",
    ),
    DemoBenefit(
        "Clinicians reach records at the bedside", "operational", "Safer care", ("NET",),
        "Ward rounds with a working bedside device", "%", "higher",
        (D(2026, 3, 1), 20.0), ((D(2026, 9, 30), 60.0), (D(2026, 12, 31), 90.0)),
        ((D(2026, 6, 30), 42.0, "wards 1-6 equipped"),
         (D(2026, 10, 31), 64.0, "device images fail on two wards")),
        "sh.osei", "cm.dubois", 300_000,
        "Ward round audit: rounds where the bedside device could open the record.",
    ),
]  # fmt: skip


def seed_benefits(program: Program, pm: User) -> list[Benefit]:
    """Create the demo benefits in ``program`` as ``pm`` and record their measurements
    as their owners."""
    users = {u.username: u for u in User.objects.filter(memberships__program=program)}
    users.setdefault(pm.username, pm)
    goals = {g.title: g for g in program.goals.all()}
    components = {c.code: c for c in Component.objects.filter(program=program)}
    deliverables: dict[str, list[Deliverable]] = {}
    for d in Deliverable.objects.filter(program=program).select_related("component"):
        deliverables.setdefault(d.component.code, []).append(d)
    today = timezone.localdate()
    created = []
    for spec in BENEFITS:
        linked_deliverables = [d for c in spec.components for d in deliverables.get(c, [])]
        direct = [
            components[c] for c in spec.components if c in components and c not in deliverables
        ]
        benefit = services.create_benefit(
            actor=pm, program=program, name=spec.name, category=spec.category,
            goal=goals.get(spec.goal), kpi=spec.kpi, unit=spec.unit, direction=spec.direction,
            baseline_date=spec.baseline[0], baseline_value=spec.baseline[1],
            targets=list(spec.targets), owner=users.get(spec.owner),
            sustainment_owner=users.get(spec.sustainment_owner),
            expected_value=spec.expected_value, measurement_method=spec.method,
            deliverables=linked_deliverables, components=direct,
        )  # fmt: skip
        for day, value, note in spec.measurements:
            if day > today:
                continue
            services.record_measurement(
                actor=benefit.owner or pm, benefit=Benefit.objects.get(pk=benefit.pk),
                date=day, value=value, note=note,
            )  # fmt: skip
        created.append(Benefit.objects.get(pk=benefit.pk))
    return created
