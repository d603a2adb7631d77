"""Demo status updates for the HDT program: last week's and this week's update of every
component with a manager (EHR, PORTAL, DATA, NET), filed and submitted by its manager
through the services, with colours that move between the two weeks (EHR slides to red
on the wave-1 migration test, PORTAL recovers, DATA gets short of data engineers, NET
closes the ward-4 Wi-Fi complaint). Weeks are relative to ``timezone.localdate()``.

Call :func:`seed_updates` at the end of the demo, once schedules, costs, risks,
deliverables and feedback exist (the updates snapshot their figures).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from podium.accounts.models import User
from podium.programs.models import Program
from podium.updates import services
from podium.updates.models import ComponentUpdate

__all__ = ["seed_updates"]

G, A, R = "green", "amber", "red"

# component → (last week, this week): each a dict of colours with reasons and the text.
UPDATES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "EHR": (
        {
            "overall": (A, "Wave-1 migration test found mapping errors in allergy records."),
            "schedule": (A, "Wave-1 test repeated next week; 4 days of float left."),
            "cost": (G, "Spend in line with the plan."),
            "scope": (G, "No change to the agreed scope."),
            "risks": (A, "Allergy mapping risk raised and owned by the vendor."),
            "resources": (A, "Two pharmacists released for testing only half-time."),
            "stakeholders": (G, "Ward leads attend the weekly demo."),
            "accomplishments": "Wave-1 test run on 42,000 patient records.\n"
            "Order-sets for cardiology signed off by the clinical safety officer.",
            "next_steps": "Fix the allergy mapping and repeat the wave-1 test.\n"
            "Start super-user training on wards 3 and 4.",
            "blockers": "Allergy codes from the old pharmacy system have no SNOMED mapping.",
            "help_needed": "",
        },
        {
            "overall": (R, "Wave-1 go-live cannot hold its date without the mapping fix."),
            "schedule": (R, "Repeat test slipped a week: go-live forecast moves by 8 days."),
            "cost": (A, "Vendor change order for the mapping work (about 60 k EUR)."),
            "scope": (G, "Scope unchanged."),
            "risks": (R, "Mapping risk occurred; clinical safety review needed."),
            "resources": (A, "Pharmacists still half-time on testing."),
            "stakeholders": (A, "Nursing asks for the training dates to be confirmed."),
            "accomplishments": "Mapping rules for 310 of 380 allergy codes written and "
            "reviewed.\nSuper-user training started on ward 3.",
            "next_steps": "Finish the remaining 70 allergy codes.\n"
            "Repeat the wave-1 test and take the go/no-go to the board.",
            "blockers": "Allergy codes from the old pharmacy system have no SNOMED mapping.\n"
            "Clinical safety officer available one day a week only.",
            "help_needed": "Board decision on moving wave-1 go-live by two weeks; "
            "release the pharmacists full-time for the repeat test.",
        },
    ),
    "PORTAL": (
        {
            "overall": (A, "Accessibility review found the booking pages hard to use."),
            "schedule": (G, "On plan for the outpatient pilot."),
            "cost": (G, "Within budget."),
            "scope": (A, "Large-text layouts added to the pilot scope."),
            "risks": (G, "No new risks."),
            "resources": (G, "Team complete."),
            "stakeholders": (A, "Patient council unhappy with readability on phones."),
            "accomplishments": "Booking flow built for three outpatient clinics.\n"
            "Accessibility review with the patient council held.",
            "next_steps": "Rework the booking pages for large text.\n"
            "Publish the clinic roll-out order.",
            "blockers": "",
            "help_needed": "",
        },
        {
            "overall": (G, "Booking pages reworked; pilot on track."),
            "schedule": (G, "Pilot starts as planned."),
            "cost": (G, "Within budget."),
            "scope": (G, "Large-text layouts delivered."),
            "risks": (G, "No new risks."),
            "resources": (G, "Team complete."),
            "stakeholders": (G, "Patient council verified the new layouts."),
            "accomplishments": "Large-text booking pages released to the test ward.\n"
            "Roll-out order published on the hospital website.",
            "next_steps": "Open online booking for the dermatology clinic.\n"
            "Measure missed appointments in the pilot clinics.",
            "blockers": "",
            "help_needed": "",
        },
    ),
    "DATA": (
        {
            "overall": (G, "Platform design approved."),
            "schedule": (G, "Authorised; build starts in the new year."),
            "cost": (G, "No spend yet beyond design."),
            "scope": (G, "Quality reporting first, research later."),
            "risks": (G, "Risks logged with owners."),
            "resources": (G, "Architect and one engineer assigned."),
            "stakeholders": (G, "Quality team engaged."),
            "accomplishments": "Data platform architecture approved by the design authority.",
            "next_steps": "Recruit two data engineers.\nAgree the first quality indicators.",
            "blockers": "",
            "help_needed": "",
        },
        {
            "overall": (A, "Build start at risk without data engineers."),
            "schedule": (A, "Build start may move four weeks if nobody is hired by January."),
            "cost": (G, "No spend yet beyond design."),
            "scope": (G, "Unchanged."),
            "risks": (A, "Recruitment risk raised."),
            "resources": (R, "No data engineer hired: both vacancies unfilled after six weeks."),
            "stakeholders": (G, "Quality team engaged."),
            "accomplishments": "First six quality indicators agreed with the quality team.",
            "next_steps": "Interview the two shortlisted contractors.\n"
            "Draft the data-sharing agreement with the EHR vendor.",
            "blockers": "Hospital pay scale below market rate for data engineers.",
            "help_needed": "Approval to hire two contractors for six months.",
        },
    ),
    "NET": (
        {
            "overall": (G, "Refresh complete on 11 of 12 wards."),
            "schedule": (G, "Handover to operations on plan."),
            "cost": (G, "Under budget by 3%."),
            "scope": (G, "All devices delivered."),
            "risks": (G, "No open high risks."),
            "resources": (G, "Field engineers available."),
            "stakeholders": (A, "Ward 4 Wi-Fi drops every afternoon."),
            "accomplishments": "Second data-centre link live.\nBedside devices on ward 11.",
            "next_steps": "Re-survey ward 4 Wi-Fi.\nHand the network over to operations.",
            "blockers": "",
            "help_needed": "",
        },
        {
            "overall": (G, "Ready for handover."),
            "schedule": (G, "Handover to operations this month."),
            "cost": (G, "Under budget by 3%."),
            "scope": (G, "All devices delivered."),
            "risks": (G, "No open high risks."),
            "resources": (G, "Field engineers available."),
            "stakeholders": (G, "Ward 4 Wi-Fi fixed; Director of Nursing confirmed."),
            "accomplishments": "Ward 4 access points moved; no drop in five days.\n"
            "Operations runbook reviewed with the service desk.",
            "next_steps": "Sign the handover to operations.\nClose the component.",
            "blockers": "",
            "help_needed": "",
        },
    ),
}


def _fields(data: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for dim in services.RATED:
        rag, reason = data[dim]
        out[f"{dim}_rag"], out[f"{dim}_reason"] = rag, reason
    for name in services.TEXTS:
        out[name] = data[name]
    return out


def seed_updates(program: Program, pm: User, users: dict[str, User]) -> None:
    """Submitted updates of last week and this week for every component of ``program``
    with a manager (see the module). ``pm`` and ``users`` are the demo's people (the
    managers file their own updates; ``pm`` files for a component whose manager is not
    among ``users``)."""
    today = timezone.localdate()
    this_week = services.period_of(today)
    last_week = this_week - dt.timedelta(weeks=1)
    by_name = {u.pk: u for u in users.values()}
    components = program.components.filter(manager__isnull=False, code__in=list(UPDATES))
    for component in components.order_by("code"):
        author = by_name.get(component.manager_id or 0, pm)
        for period, data in zip((last_week, this_week), UPDATES[component.code], strict=True):
            day = min(period + dt.timedelta(days=4), today)  # filed on Friday (or today)
            update = services.create_update(
                actor=author, component=component, period=period, today=day, **_fields(data)
            )
            services.submit_update(actor=author, update=update, today=day)
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(16, 30)))
            ComponentUpdate.objects.filter(pk=update.pk).update(submitted_at=at)
