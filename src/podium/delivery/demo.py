"""Demo deliverables and a transition plan for the HDT program.

:func:`seed_delivery` runs after the demo schedules exist: it links each deliverable to
its component's milestone by name (see ``podium.demo_schedule.PLANS``). Milestones
that finished by the data date have accepted (or handed-over) deliverables, dated a
few days after the milestone; later ones are planned or in production. Network and
device refresh (NET), the component in transition, has a half-done transition plan
and one deliverable waiting for the Director of Nursing's acceptance. Everything goes
through the services, with the steps dated as they would have happened.

Accepting stakeholders must be members of the program: sh.osei (Director of Nursing)
and sh.ferreira (Patient council) are; the sponsor, sh.nakamura, is not a member, so
the demo does not name him.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from podium.accounts.models import User
from podium.delivery import services
from podium.delivery.models import Deliverable
from podium.programs.models import Component, Program
from podium.schedule.models import Activity

__all__ = ["seed_delivery"]


def _at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=dt.UTC)


class DemoDeliverable(NamedTuple):
    component: str
    name: str
    kind: str
    milestone: str | None
    stakeholder: str
    description: str
    criteria: str
    # (step, day, comment or reason) in order: start, deliver, reject, accept, transition
    steps: tuple[tuple[str, str, str], ...] = ()


DELIVERABLES = [
    DemoDeliverable(
        "NET",
        "Ward Wi-Fi network",
        "product",
        "Ward Wi-Fi live",
        "sh.osei",
        "Wi-Fi on every ward with roaming between access points.",
        "Coverage of -67 dBm or better in every patient room; roaming without dropped "
        "calls on the ward phones; survey report signed by the ward managers.",
        (
            ("start", "2026-01-05", ""),
            ("deliver", "2026-06-05", "Coverage survey attached."),
            ("accept", "2026-06-10", "Survey checked on wards 3 and 7; roaming works."),
            ("transition", "2026-09-01", "Handed to IT operations with the monitoring."),
        ),
    ),
    DemoDeliverable(
        "NET",
        "Bedside terminals and workstations on wheels",
        "product",
        "Device acceptance",
        "sh.osei",
        "Bedside terminals in every room and 60 workstations on wheels.",
        "Every terminal logs in with the staff badge; carts last a 12-hour shift on one "
        "charge; charging stations on every ward.",
        (
            ("start", "2026-03-02", ""),
            ("deliver", "2026-08-18", ""),
            ("reject", "2026-08-19", "Wards 5 and 6 have no charging stations for the carts."),
            ("deliver", "2026-08-21", "Charging stations installed on wards 5 and 6."),
            ("accept", "2026-08-24", "All wards checked; badge login works everywhere."),
        ),
    ),
    DemoDeliverable(
        "NET",
        "Network operations runbook",
        "product",
        None,
        "sh.osei",
        "How IT operations runs, monitors and repairs the ward network and devices.",
        "Covers every alarm of the monitoring; reviewed by IT operations; escalation "
        "paths agreed with the wards.",
        (
            ("start", "2026-10-12", ""),
            ("deliver", "2026-11-20", "Reviewed by IT operations; ready for your sign-off."),
        ),
    ),
    DemoDeliverable(
        "EHR",
        "Clinical data model",
        "product",
        "Clinical data model signed off",
        "sh.osei",
        "The EHR's clinical data model: problems, orders, medication, nursing notes.",
        "Signed off by the clinical design authority; maps every legacy field or says why not.",
        (
            ("start", "2026-05-04", ""),
            ("deliver", "2026-08-17", ""),
            ("accept", "2026-08-20", "Signed off by the clinical design authority."),
        ),
    ),
    DemoDeliverable(
        "EHR",
        "Patient index API",
        "product",
        "Patient index API ready",
        "sh.osei",
        "One patient identity across the EHR, the portal and the data platform.",
        "Duplicate rate under 0.1 % on the trial load; portal integration tests pass.",
        (("start", "2026-10-01", "Build started with the vendor."),),
    ),
    DemoDeliverable(
        "EHR",
        "EHR in clinical use on every ward",
        "service",
        "EHR live hospital-wide",
        "sh.osei",
        "Every ward documents care in the new EHR; the legacy systems are read-only.",
        "No paper charts on any ward; legacy systems read-only; hypercare closed.",
    ),
    DemoDeliverable(
        "PORTAL",
        "Patient portal beta",
        "service",
        "Beta launch",
        "sh.ferreira",
        "The portal for 500 patients of three clinics: booking, results, messages.",
        "The patient panel completes the booking flow unaided; accessibility audit "
        "passed (WCAG 2.2 AA).",
        (("start", "2026-09-14", ""),),
    ),
    DemoDeliverable(
        "PORTAL",
        "Online booking for all clinics",
        "service",
        "Public launch",
        "sh.ferreira",
        "Every outpatient clinic bookable online, with reminders.",
        "All clinics onboarded; reminders sent 48 h before; 40 % of bookings online "
        "within three months.",
    ),
]

PLAN_COMPONENT = "NET"
PLAN: dict[str, Any] = {
    "receiving_organization": "IT operations, Riverside Regional Hospital",
    "receiving_owner_name": "Head of IT operations",
    "handover_date": dt.date(2026, 12, 18),
    "support_until": dt.date(2027, 3, 31),
    "notes": "The project team supports the ward network and devices for three months "
    "after handover; changes go through IT operations' change board from the handover.",
}
ITEMS = [
    ("Operations runbook reviewed by IT operations", "2026-11-16"),
    ("Monitoring and alerting handed to the network operations centre", "2026-09-01"),
    ("Spare devices stock handed over", "2026-10-05"),
    ("Service desk trained on ward devices", None),
    ("Vendor support contracts transferred to IT operations", None),
    ("Second data-centre link accepted by IT operations", None),
]


def _milestone(component: Component, name: str | None) -> Activity | None:
    if name is None:
        return None
    return Activity.objects.filter(
        component=component, name=name, kind=Activity.Kind.MILESTONE
    ).first()


def _step(
    deliverable: Deliverable, actor: User, stakeholder: User, step: tuple[str, str, str]
) -> Deliverable:
    kind, day, text = step
    at = _at(day, 16 if kind in ("accept", "reject") else 10)
    common: dict[str, Any] = {"deliverable": deliverable, "at": at}
    if kind == "start":
        return services.start_production(actor=actor, comment=text, **common)
    if kind == "deliver":
        return services.mark_delivered(actor=actor, comment=text, **common)
    if kind == "reject":
        return services.reject_deliverable(actor=stakeholder, reason=text, **common)
    if kind == "accept":
        return services.accept_deliverable(actor=stakeholder, comment=text, **common)
    return services.transition_to_operations(actor=actor, comment=text, **common)


def seed_delivery(program: Program, pm: User) -> None:
    """Create the demo deliverables and NET's transition plan in ``program`` (HDT).
    Components or milestones that are not there are skipped."""
    components = {c.code: c for c in program.components.select_related("manager")}
    users = {u.username: u for u in User.objects.filter(memberships__program=program)}
    for item in DELIVERABLES:
        component = components.get(item.component)
        stakeholder = users.get(item.stakeholder)
        if component is None or stakeholder is None:
            continue
        actor = component.manager or pm
        first = item.steps[0][1] if item.steps else "2026-11-02"
        deliverable = services.create_deliverable(
            actor=actor, program=program, component=component, name=item.name,
            kind=item.kind, description=item.description, acceptance_criteria=item.criteria,
            milestone=_milestone(component, item.milestone), accepting_stakeholder=stakeholder,
            at=_at(first, 9) - dt.timedelta(days=14),
        )  # fmt: skip
        for step in item.steps:
            deliverable = _step(deliverable, actor, stakeholder, step)

    component = components.get(PLAN_COMPONENT)
    if component is None:
        return
    actor = component.manager or pm
    services.save_transition_plan(actor=actor, component=component, **PLAN)
    for text, done in ITEMS:
        entry = services.add_transition_item(actor=actor, component=component, text=text)
        if done is not None:
            services.update_transition_item(actor=actor, item=entry, done=True, at=_at(done, 15))
