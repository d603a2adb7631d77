"""Demo data: the lessons of a closed earlier program (the laboratory system replacement)
that surface in the hospital's digital transformation — its risks of late vendor
releases, legacy data, interface defects, ward access, training and performance find
what the lab program learned the hard way."""

from __future__ import annotations

import datetime as dt
from typing import Any

from podium.lessons import services
from podium.lessons.models import Lesson, SessionKind
from podium.programs.models import Program

__all__ = ["LESSONS", "seed_lessons"]

# (title, description, root cause, recommendation, category, domain, phase, impact, tags,
#  session: "closure" | "delivery")
LESSONS: list[tuple[str, str, str, str, str, str, str, str, str, str]] = [
    (
        "Vendor fix releases arrived weeks late and squeezed system test",
        "The laboratory system vendor delivered the release with the analyser and interface "
        "fixes six weeks late; system test and training were compressed and go-live moved.",
        "The vendor ran several hospital go-lives in parallel with one build team; the "
        "contract had no remedy for late releases.",
        "Put release dates with penalties in the contract and hold a weekly release review "
        "with the vendor from the start of build.",
        "suppliers",
        "governance_framework",
        "delivery",
        "high",
        "vendor, release, contract",
        "delivery",
    ),
    (
        "HL7 interface defects found only in integration testing",
        "Messages between the lab system, order communications and the patient "
        "administration system failed during integration testing; three fix-and-retest "
        "cycles delayed user acceptance.",
        "Each interface supplier tested its own side; nobody owned end-to-end message tests.",
        "Build an interface test harness on day one and triage defects jointly with every "
        "supplier each week.",
        "technical",
        "collaboration",
        "delivery",
        "high",
        "interfaces, hl7, integration testing",
        "delivery",
    ),
    (
        "Legacy results data needed three extra cleansing rounds",
        "Trial loads rejected a third of historic results because of free-text entries and "
        "duplicate patient records.",
        "Data quality was assumed, never profiled, before the migration plan was made.",
        "Profile legacy data before planning the migration; put data owners and clinical "
        "coders in the cleansing team.",
        "technical",
        "life_cycle_management",
        "delivery",
        "high",
        "data migration, data quality, duplicates",
        "delivery",
    ),
    (
        "Infection control closed wards to the go-live check teams",
        "During a norovirus outbreak the device and network checks could not enter "
        "intensive care and emergency; ward readiness slipped two weeks.",
        "Access windows were not agreed with the infection prevention team in advance.",
        "Book ward access slots with infection control early and plan night checks where "
        "they are allowed.",
        "schedule",
        "stakeholder_engagement",
        "delivery",
        "medium",
        "infection control, ward access, readiness",
        "delivery",
    ),
    (
        "Laboratory and ward staff could not be released for training",
        "Rota gaps and winter pressures meant a third of staff missed their classroom slot "
        "before go-live.",
        "Training was scheduled centrally without the rota managers.",
        "Plan training waves with the rota managers and the Director of Nursing; offer "
        "e-learning for refreshers and super-users on every shift.",
        "resources",
        "stakeholder_engagement",
        "delivery",
        "high",
        "training, rota, clinicians",
        "delivery",
    ),
    (
        "Response times collapsed at the morning peak",
        "After go-live, result lookups took over ten seconds during the morning ward rounds.",
        "Sizing came from the vendor's reference sites, all smaller than ours; no load test "
        "used production volumes.",
        "Run an early load test with production volumes on the build system, in time to "
        "order hardware.",
        "technical",
        "life_cycle_management",
        "delivery",
        "high",
        "performance, capacity, sizing",
        "delivery",
    ),
    (
        "Key analysts left before go-live",
        "Two of the four system analysts resigned in the last quarter; contractors filled "
        "the gap at twice the rate.",
        "A tight market for clinical system analysts and no retention plan.",
        "Agree a retention bonus at go-live for key analysts and pair every analyst with a "
        "second person who documents the build.",
        "resources",
        "collaboration",
        "delivery",
        "medium",
        "staffing, retention, knowledge transfer",
        "closure",
    ),
    (
        "Cutover weekend overran by fourteen hours",
        "The laboratory ran on paper until Monday afternoon.",
        "The second cutover rehearsal was dropped to recover schedule.",
        "Hold two full dress rehearsals of the cutover with timings and a go/no-go checkpoint.",
        "schedule",
        "life_cycle_management",
        "delivery",
        "high",
        "cutover, go-live",
        "closure",
    ),
    (
        "Service desk was overwhelmed on go-live day",
        "Calls tripled and waiting times reached an hour.",
        "Staffing followed normal volumes; no floor-walkers were planned.",
        "Double service desk staffing in go-live week and put floor-walkers on the wards.",
        "resources",
        "life_cycle_management",
        "delivery",
        "medium",
        "service desk, go-live, support",
        "closure",
    ),
    (
        "Test environment was not ready when testing started",
        "System test lost three weeks waiting for the test environment and its interfaces.",
        "Environment provisioning was nobody's deliverable.",
        "Make test environments a deliverable with an owner and an acceptance date on the "
        "schedule.",
        "technical",
        "life_cycle_management",
        "delivery",
        "medium",
        "test environment, testing",
        "closure",
    ),
    (
        "Tender challenge delayed the supplier's start",
        "A losing bidder challenged the award; standstill and review cost seven weeks.",
        "Evaluation notes were thin on two award criteria.",
        "Keep complete evaluation records and plan a standstill buffer after award.",
        "suppliers",
        "governance_framework",
        "definition",
        "medium",
        "procurement, tender",
        "closure",
    ),
    (
        "Integration engine licence lapsed during build",
        "Interface work stopped for a week while the licence renewal was signed.",
        "Third-party licence renewals were not on the program schedule.",
        "Put third-party licence and contract renewals on the schedule with an owner.",
        "suppliers",
        "governance_framework",
        "delivery",
        "low",
        "licences, contract",
        "closure",
    ),
    (
        "Clinicians saw the new screens only at acceptance testing",
        "Late feedback produced forty change requests in the final month.",
        "Clinical users were not part of the design workshops.",
        "Involve clinical champions from the first design workshop.",
        "stakeholders",
        "stakeholder_engagement",
        "delivery",
        "medium",
        "clinicians, engagement, design",
        "closure",
    ),
    (
        "Nobody owned the turnaround-time benefit after handover",
        "The benefit was not measured for a year after go-live.",
        "No benefits owner in operations was named.",
        "Name the benefits owner in operations when the component is authorized.",
        "governance",
        "benefits_management",
        "closure",
        "medium",
        "benefits, ownership",
        "closure",
    ),
    (
        "Change requests were approved before their impact was known",
        "Small changes added during build cost three months together.",
        "Requests went straight to the developers.",
        "Route every change through change control with schedule and cost impact analysis.",
        "governance",
        "governance_framework",
        "delivery",
        "medium",
        "change control, scope",
        "closure",
    ),
]


def seed_lessons(closed_program: Program, active_program: Program, users: dict[str, Any]) -> None:
    """Fill ``closed_program`` (closed, e.g. "EPR-2023 — Lab system replacement") with a
    held delivery session, a held closure session and ~15 lessons, some accepted and one
    applied in ``active_program``; plan a session in ``active_program``. ``users`` are
    the demo's users by username (pm.alvarez facilitates). Through the services as the
    system (no actor)."""
    facilitator = users.get("pm.alvarez")
    members = set(closed_program.memberships.values_list("user_id", flat=True))

    def present(*names: str) -> list[Any]:
        return [users[n] for n in names if n in users and users[n].pk in members]

    component = closed_program.components.order_by("code").first()
    delivery = services.plan_session(
        actor=None, program=closed_program, kind=SessionKind.DELIVERABLE, component=component,
        title="After the lab system went live", facilitator=facilitator
        if facilitator is not None and facilitator.pk in members else None,
        participants=present("cm.okafor", "tm.lindqvist", "tm.haddad"),
        external_participants="Lab manager (pathology)\nVendor project lead",
    )  # fmt: skip
    delivery = services.hold_session(
        actor=None, session=delivery, held_on=dt.date(2023, 11, 20),
        notes="Went well: the cleansing team and the super-users.\n"
        "Did not: vendor releases, interface testing, ward access, performance.\n"
        "Why: no remedies in the contract; nobody owned end-to-end tests.\n"
        "Differently: harness on day one, release penalties, early load test.",
    )  # fmt: skip
    closure = services.plan_session(
        actor=None, program=closed_program, kind=SessionKind.PROGRAM_CLOSURE,
        title="Program closure retrospective", facilitator=delivery.facilitator,
        participants=present("cm.okafor", "sh.osei"),
        external_participants="Head of pathology",
    )  # fmt: skip
    closure = services.hold_session(
        actor=None, session=closure, held_on=dt.date(2024, 2, 15),
        notes="Closure review of the whole program with the sponsor and operations.",
    )  # fmt: skip
    sessions = {"delivery": delivery, "closure": closure}
    created = []
    for title, desc, cause, rec, category, domain, phase, impact, tags, when in LESSONS:
        created.append(
            services.create_lesson(
                actor=None,
                program=closed_program,
                title=title,
                description=desc,
                root_cause=cause,
                recommendation=rec,
                category=category,
                performance_domain=domain,
                phase=phase,
                impact=impact,
                tags=tags,
                session=sessions[when],
                component=component if when == "delivery" else None,
            )
        )
    for lesson in created[:8]:
        services.accept_lesson(actor=None, lesson=lesson)
    services.apply_lesson(
        actor=None, lesson=Lesson.objects.get(pk=created[2].pk), program=active_program,
        note="The EHR data team profiled PAS before planning the migration.",
    )  # fmt: skip
    services.plan_session(
        actor=None, program=active_program, kind=SessionKind.PERIODIC,
        title="Quarterly lessons review", facilitator=facilitator,
    )  # fmt: skip
