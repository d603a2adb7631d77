"""The demo: Riverside Regional Hospital's digital-transformation program.

Loaded by ``podium demo`` into an empty database, through the same service functions a
user's actions go through, so its history reads like a real one. Later capabilities
extend it (schedules, resources, budget, benefits, feedback, gates, lessons).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from podium.accounts.models import User
from podium.accounts.services import create_user
from podium.benefits.demo import seed_benefits
from podium.changes.demo import install as seed_changes
from podium.core import audit
from podium.delivery.demo import seed_delivery
from podium.demo_schedule import load_demo_org_pool, load_demo_schedules
from podium.discussions.demo import seed_discussions
from podium.feedback.demo import seed_feedback
from podium.finance.demo import seed_earned_value, seed_finance
from podium.forecast.demo import seed_forecast
from podium.governance import demo as governance_demo
from podium.lessons.demo import seed_lessons
from podium.meetings.demo import seed_meetings
from podium.programs import services
from podium.programs.models import (
    Component,
    ComponentKind,
    ComponentStatus,
    Program,
    Role,
    Stage,
)
from podium.risks.demo import seed_risks
from podium.schedule.models import Baseline
from podium.stakeholders.demo import seed_stakeholders
from podium.updates.demo import seed_updates
from podium.work.demo import seed_work

__all__ = ["DEMO_PASSWORD", "load_demo"]

DEMO_PASSWORD = "podium-demo-2026"

PEOPLE = [
    # username, display name, is_staff
    ("admin", "Pat Moreau (PMO)", True),
    ("pm.alvarez", "Elena Alvarez", False),
    ("cm.okafor", "Chidi Okafor", False),
    ("cm.brandt", "Jonas Brandt", False),
    ("cm.singh", "Priya Singh", False),
    ("cm.dubois", "Claire Dubois", False),
    ("tm.lindqvist", "Erik Lindqvist", False),
    ("tm.haddad", "Nadia Haddad", False),
    ("tm.kowalski", "Marta Kowalski", False),
    ("sh.nakamura", "Dr. Kenji Nakamura (Chief Medical Officer)", False),
    ("sh.osei", "Abena Osei (Director of Nursing)", False),
    ("sh.ferreira", "Rui Ferreira (Patient council)", False),
    ("viewer.audit", "Internal audit", False),
    ("pm.greene", "Thomas Greene", False),
]

COMPONENTS = [
    # code, name, kind, manager, status, start, end, business case
    (
        "EHR",
        "Electronic health record replacement",
        ComponentKind.PROJECT,
        "cm.okafor",
        ComponentStatus.IN_DELIVERY,
        dt.date(2026, 3, 2),
        dt.date(2027, 9, 30),
        "Replace three legacy clinical systems with one EHR: fewer transcription errors, "
        "one record per patient across wards, retirement of 1.2 M/year in licences.",
    ),
    (
        "PORTAL",
        "Patient portal and online booking",
        ComponentKind.PROJECT,
        "cm.brandt",
        ComponentStatus.IN_DELIVERY,
        dt.date(2026, 6, 1),
        dt.date(2027, 5, 28),
        "Let patients book, reschedule and see results online; target 40% of outpatient "
        "bookings online and 15% fewer missed appointments.",
    ),
    (
        "DATA",
        "Clinical data platform",
        ComponentKind.SUBPROGRAM,
        "cm.singh",
        ComponentStatus.AUTHORIZED,
        dt.date(2026, 9, 1),
        dt.date(2028, 3, 31),
        "A governed data platform for quality reporting and research, fed by the EHR.",
    ),
    (
        "NET",
        "Network and device refresh",
        ComponentKind.PROJECT,
        "cm.dubois",
        ComponentStatus.TRANSITIONING,
        dt.date(2025, 11, 3),
        dt.date(2026, 12, 18),
        "Ward Wi-Fi, bedside devices and a second data centre link: prerequisites for EHR.",
    ),
    (
        "DESK",
        "Digital service desk",
        ComponentKind.OPERATIONS,
        None,
        ComponentStatus.PROPOSED,
        dt.date(2027, 1, 4),
        dt.date(2028, 12, 29),
        "",
    ),
]

MEMBERS = [
    ("cm.okafor", Role.COMPONENT_MANAGER),
    ("cm.brandt", Role.COMPONENT_MANAGER),
    ("cm.singh", Role.COMPONENT_MANAGER),
    ("cm.dubois", Role.COMPONENT_MANAGER),
    ("tm.lindqvist", Role.TEAM_MEMBER),
    ("tm.haddad", Role.TEAM_MEMBER),
    ("tm.kowalski", Role.TEAM_MEMBER),
    ("sh.osei", Role.STAKEHOLDER),
    ("sh.ferreira", Role.STAKEHOLDER),
    ("viewer.audit", Role.VIEWER),
]

GOALS = [
    ("Safer care", "Fewer medication and transcription errors through one electronic record."),
    ("Easier access", "Patients book and follow their care online."),
    ("Lower running cost", "Retire legacy systems and their licences by 2028."),
]

_REASONS: dict[str, str] = {
    ComponentStatus.AUTHORIZED: "Business case approved by the program board.",
    ComponentStatus.IN_DELIVERY: "Kick-off held; component plan baselined.",
    ComponentStatus.TRANSITIONING: "Outputs accepted; handover to IT operations started.",
}


def _closed_program(admin: User, users: dict[str, User]) -> Program:
    """EPR-2023, the hospital's earlier (closed) program: the HDT team ran it, and its
    lessons surface in HDT. It predates Podium: it is recorded as closed, with its gates
    passed in the tool the PMO used then (an audit record says so)."""
    pm = users["pm.alvarez"]
    epr = services.create_program(
        actor=admin,
        code="EPR-2023",
        name="Laboratory information system replacement",
        vision="One laboratory system for every ward, with results in the record in minutes.",
        manager=pm,
        sponsor=users["sh.nakamura"],
        currency="EUR",
        start_date=dt.date(2022, 1, 10),
        end_date=dt.date(2023, 12, 15),
    )
    for username, role in (
        ("cm.okafor", Role.COMPONENT_MANAGER),
        ("tm.lindqvist", Role.TEAM_MEMBER),
        ("tm.haddad", Role.TEAM_MEMBER),
        ("sh.osei", Role.STAKEHOLDER),
    ):
        services.add_member(actor=pm, program=epr, user=users[username], role=role)
    lis = services.create_component(
        actor=pm,
        program=epr,
        code="LIS",
        name="Laboratory information system",
        manager=users["cm.okafor"],
        start_date=dt.date(2022, 3, 1),
        end_date=dt.date(2023, 10, 31),
        business_case="Replace the unsupported lab system; results reach the wards electronically.",
    )
    Component.objects.filter(pk=lis.pk).update(status=ComponentStatus.CLOSED)
    Program.objects.filter(pk=epr.pk).update(stage=Stage.CLOSED)
    audit.record(
        user=admin,
        action="import",
        obj=Program.objects.get(pk=epr.pk),
        before={"stage": "formulation"},
        after={"stage": "closed"},
        program_id=epr.pk,
        note="Closed program brought over from the PMO's previous tool (closed 2023-12-15; "
        "its gates were passed there).",
    )
    return Program.objects.get(pk=epr.pk)


@transaction.atomic
def load_demo() -> bool:
    """Load the demo into an empty database. Returns False (and does nothing) when
    programs already exist."""
    if Program.objects.exists():
        return False
    users: dict[str, User] = {}
    for username, name, staff in PEOPLE:
        users[username] = create_user(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            email=f"{username}@riverside.example",
            display_name=name,
            is_staff=staff,
        )
    admin, pm = users["admin"], users["pm.alvarez"]

    hdt = services.create_program(
        actor=admin,
        code="HDT",
        name="Riverside Regional Hospital — Digital Transformation",
        vision="Every patient's care is recorded once, available wherever they are treated, "
        "and open to them online.",
        charter="Sponsor: Chief Medical Officer. Budget envelope 38 M EUR over 2026-2028. "
        "Scope: EHR, patient portal, clinical data platform, infrastructure, service desk. "
        "Out of scope: radiology PACS (separate program).",
        sponsor=users["sh.nakamura"],
        manager=pm,
        currency="EUR",
        start_date=dt.date(2025, 10, 1),
        end_date=dt.date(2028, 12, 29),
    )
    for title, description in GOALS:
        services.add_goal(actor=pm, program=hdt, title=title, description=description)
    for username, role in MEMBERS:
        services.add_member(actor=pm, program=hdt, user=users[username], role=role)
    governance_demo.install(
        hdt, pm, chair=users["sh.nakamura"], members=[users["sh.osei"], users["viewer.audit"]]
    )
    hdt = governance_demo.pass_program_gate(
        hdt, pm, "Business case and charter approved by the hospital board on 2025-12-10."
    )
    components = {}
    for code, name, kind, manager, _, start, end, case in COMPONENTS:
        components[code] = services.create_component(
            actor=pm,
            program=hdt,
            code=code,
            name=name,
            kind=kind,
            manager=users[manager] if manager else None,
            start_date=start,
            end_date=end,
            business_case=case,
        )
    services.update_component(
        actor=users["cm.okafor"],
        component=Component.objects.get(program=hdt, code="EHR"),
        expected_version=None,
        description="Vendor selected (tender 2026-014). Build and data migration in waves.",
    )

    load_demo_schedules(Program.objects.get(pk=hdt.pk), pm)
    # The delivery baseline was saved at gate G2 (early February), not on the day the
    # demo is loaded: milestone trends run from it to today.
    Baseline.objects.filter(program=hdt).update(
        created_at=dt.datetime(2026, 2, 2, 9, 0, tzinfo=dt.UTC)
    )
    seed_finance(Program.objects.get(pk=hdt.pk), pm)
    seed_earned_value(Program.objects.get(pk=hdt.pk), pm)
    seed_risks(Program.objects.get(pk=hdt.pk), pm)
    seed_delivery(Program.objects.get(pk=hdt.pk), pm)
    seed_benefits(Program.objects.get(pk=hdt.pk), pm)
    seed_stakeholders(Program.objects.get(pk=hdt.pk), pm)
    # Gate G2: into delivery once the budget, benefit owners and risk responses are in.
    governance_demo.seed_pending(hdt, pm, components["DESK"])
    hdt = governance_demo.pass_program_gate(
        hdt,
        pm,
        "Program management plan and budget baseline approved at gate G2.",
        conditions=[
            ("Re-baseline the EHR migration waves after the wave-1 test", dt.date(2026, 12, 18))
        ],
    )
    for code, _name, _kind, _manager, status, *_ in COMPONENTS:
        if status != ComponentStatus.PROPOSED:
            governance_demo.walk_component(components[code], pm, status, _REASONS)
    seed_feedback(Program.objects.get(pk=hdt.pk), pm)
    seed_forecast(Program.objects.get(pk=hdt.pk), pm)

    # A second program the HDT team does not belong to: shows that programs are private.
    energy = services.create_program(
        actor=admin,
        code="FAC-ENERGY",
        name="Facilities energy efficiency",
        vision="Cut the hospital's energy use by a quarter.",
        manager=users["pm.greene"],
        currency="EUR",
        start_date=dt.date(2026, 1, 5),
        end_date=dt.date(2027, 12, 17),
    )
    services.create_component(
        actor=users["pm.greene"],
        program=energy,
        code="HVAC",
        name="HVAC controls upgrade",
        business_case="Payback in 4 years from energy savings.",
    )
    load_demo_org_pool(Program.objects.get(pk=hdt.pk), energy, admin, pm, users["pm.greene"])
    epr = _closed_program(admin, users)
    seed_lessons(epr, Program.objects.get(pk=hdt.pk), users)
    # Last week's timesheets (approved progress moves the plan: before the change request).
    seed_work(Program.objects.get(pk=hdt.pk), pm, users)
    # Last: its impact is computed on the finished plan (the org pool changes assignments).
    seed_changes(Program.objects.get(pk=hdt.pk), pm)
    # A week of collaboration: component updates, discussions, then the board and
    # coordination meetings (the board's agenda is pre-filled from the open change request).
    seed_updates(Program.objects.get(pk=hdt.pk), pm, users)
    seed_discussions(Program.objects.get(pk=hdt.pk), pm, users)
    seed_meetings(Program.objects.get(pk=hdt.pk), pm, users)
    return True
