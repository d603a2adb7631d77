"""Schedules for the demo program: several hundred activities across its components.

Generated deterministically (a fixed seed) from realistic work breakdowns, imported
through the same service as a user's file, linked across components, baselined and
progressed to a data date.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Literal

from podium.accounts.models import User
from podium.engine import Activity, Calendar, CalendarException, Link, Network, YearlyException
from podium.interchange.base import ProjectFile
from podium.programs.models import Component, Program
from podium.schedule import services
from podium.schedule.models import Activity as StoredActivity
from podium.schedule.wall import to_wall

__all__ = ["load_demo_org_pool", "load_demo_schedules"]

DAY = 480  # working minutes in a day

# component code -> start date, phases: (phase name, [(activity name, days), ...])
PLANS: dict[str, tuple[dt.date, list[tuple[str, list[tuple[str, int]]]]]] = {
    "NET": (
        dt.date(2025, 11, 3),
        [
            (
                "Survey",
                [
                    ("Site survey, main building", 10),
                    ("Site survey, wards", 15),
                    ("Capacity plan", 8),
                    ("Survey sign-off", 0),
                ],
            ),
            (
                "Core network",
                [
                    ("Order core switches", 20),
                    ("Install data-centre link 2", 15),
                    ("Configure core", 10),
                    ("Failover test", 5),
                ],
            ),
            (
                "Ward Wi-Fi",
                [
                    ("Cabling, {ward}", 6),
                    ("Access points, {ward}", 3),
                    ("Roaming tests", 5),
                    ("Ward Wi-Fi live", 0),
                ],
            ),
            (
                "Devices",
                [
                    ("Bedside terminal pilot", 10),
                    ("Bedside terminals, {ward}", 4),
                    ("Workstations on wheels", 20),
                    ("Device acceptance", 0),
                ],
            ),
            ("Handover", [("Operations runbook", 10), ("Handover to IT operations", 5)]),
        ],
    ),
    "EHR": (
        dt.date(2026, 3, 2),
        [
            (
                "Mobilize",
                [
                    ("Vendor contract signed", 0),
                    ("Project team onboarding", 10),
                    ("Detailed plan", 10),
                ],
            ),
            (
                "Design",
                [
                    ("Clinical workflow workshops", 25),
                    ("Order sets design", 20),
                    ("Order set validation, {ward}", 2),
                    ("Medication module design", 20),
                    ("Interfaces specification", 15),
                    ("Clinical data model signed off", 0),
                ],
            ),
            (
                "Build",
                [
                    ("Build order sets", 30),
                    ("Build medication module", 35),
                    ("Build nursing documentation", 30),
                    ("Interfaces: lab", 20),
                    ("Interfaces: radiology", 20),
                    ("Interfaces: pharmacy", 20),
                    ("Patient index API ready", 0),
                ],
            ),
            (
                "Data migration",
                [
                    ("Extract legacy records", 20),
                    ("Cleanse records, {system}", 8),
                    ("Legacy archive, {system}", 5),
                    ("Trial load 1", 10),
                    ("Trial load 2", 10),
                ],
            ),
            (
                "Test",
                [
                    ("System test", 25),
                    ("Integration test", 20),
                    ("Interface test, {system}", 4),
                    ("User acceptance test", 20),
                    ("Performance test", 10),
                ],
            ),
            (
                "Train",
                [
                    ("Train the trainers", 10),
                    ("Super-user nomination, {ward}", 1),
                    ("End-user training, wave 1", 30),
                    ("Ward training, {ward}", 5),
                    ("End-user training, wave 2", 30),
                ],
            ),
            (
                "Go-live",
                [
                    ("Cut-over rehearsal", 5),
                    ("Go-live wave 1", 5),
                    ("Ward readiness check, {ward}", 1),
                    ("Hypercare wave 1", 20),
                    ("Go-live wave 2", 5),
                    ("Hypercare wave 2", 20),
                    ("EHR live hospital-wide", 0),
                ],
            ),
        ],
    ),
    "PORTAL": (
        dt.date(2026, 6, 1),
        [
            (
                "Discovery",
                [
                    ("Patient panels", 10),
                    ("Service blueprint", 10),
                    ("Accessibility requirements", 5),
                ],
            ),
            (
                "Design",
                [("Booking flow design", 15), ("Results view design", 10), ("Design system", 15)],
            ),
            (
                "Build",
                [
                    ("Identity and login", 20),
                    ("Online booking", 30),
                    ("Clinic onboarding, {clinic}", 3),
                    ("Appointment reminders", 15),
                    ("Results view integration", 20),
                    ("Messaging with clinics", 20),
                ],
            ),
            (
                "Launch",
                [
                    ("Security review", 10),
                    ("Accessibility audit", 10),
                    ("Beta launch", 0),
                    ("Beta with 500 patients", 20),
                    ("Public launch", 0),
                ],
            ),
        ],
    ),
    "DATA": (
        dt.date(2026, 9, 1),
        [
            (
                "Foundations",
                [
                    ("Platform architecture", 15),
                    ("Data governance board set up", 10),
                    ("Cloud landing zone", 20),
                ],
            ),
            (
                "Ingestion",
                [
                    ("Ingest design", 15),
                    ("EHR feed", 25),
                    ("Lab feed", 15),
                    ("Data quality rules", 20),
                ],
            ),
            (
                "Products",
                [
                    ("Quality dashboard v1", 25),
                    ("Ward KPIs, {ward}", 3),
                    ("Research data mart", 30),
                    ("Self-service analytics pilot", 20),
                    ("Platform in service", 0),
                ],
            ),
        ],
    ),
    "DESK": (
        dt.date(2027, 1, 4),
        [
            (
                "Set-up",
                [
                    ("Service catalogue", 10),
                    ("Tooling selection", 15),
                    ("Staffing plan", 10),
                    ("Desk open", 0),
                ],
            ),
        ],
    ),
}

# (from component, activity name) -> (to component, activity name), FS links across components
CROSS_LINKS = [
    (("NET", "Ward Wi-Fi live"), ("EHR", "Go-live wave 1")),
    (("NET", "Device acceptance"), ("EHR", "End-user training, wave 1")),
    (("EHR", "Clinical data model signed off"), ("DATA", "Ingest design")),
    (("EHR", "Patient index API ready"), ("PORTAL", "Results view integration")),
    (("EHR", "EHR live hospital-wide"), ("DATA", "EHR feed")),
]

DATA_DATE = dt.datetime(2026, 11, 23, 8, 0)

EXPAND = {
    "{ward}": [
        "Emergency",
        "Intensive care",
        "Cardiology",
        "Oncology",
        "Maternity",
        "Paediatrics",
        "Orthopaedics",
        "Neurology",
        "Surgery A",
        "Surgery B",
        "Geriatrics",
        "Renal",
        "Respiratory",
        "Day surgery",
        "Psychiatry",
        "Rehabilitation",
    ],
    "{system}": ["PAS", "Lab system", "Pharmacy system", "Radiology RIS", "Theatre system"],
    "{clinic}": [
        "Dermatology",
        "ENT",
        "Ophthalmology",
        "Diabetes",
        "Fracture clinic",
        "Antenatal",
        "Cardiac outpatients",
        "Pain clinic",
        "Urology",
        "Audiology",
    ],
}


def hospital_calendar() -> Calendar:
    standard = Calendar.standard()
    return Calendar(
        standard.week,
        exceptions=[
            CalendarException(dt.date(2026, 4, 3), dt.date(2026, 4, 6)),  # Easter
            CalendarException(dt.date(2027, 3, 26), dt.date(2027, 3, 29)),
            CalendarException(dt.date(2026, 12, 28), dt.date(2026, 12, 31)),  # year-end freeze
        ],
        yearly=[
            YearlyException(1, 1),
            YearlyException(5, 1),
            YearlyException(12, 25),
            YearlyException(12, 26),
        ],
        name="Riverside hospital",
    )


def _link_from(links: list[Link], pred: str | None, succ: str, lag: int) -> None:
    if pred is not None:
        links.append(Link(pred, succ, lag_minutes=lag))


def _project(component: Component, calendar: Calendar, rng: random.Random) -> ProjectFile:
    start, phases = PLANS[component.code]
    activities: list[Activity] = []
    links: list[Link] = []
    previous_phase_end: str | None = None
    for p, (phase, tasks) in enumerate(phases, start=1):
        summary_id = f"{p}"
        activities.append(Activity(summary_id, phase, kind="summary"))
        anchor = previous_phase_end
        for t, (name, days) in enumerate(tasks, start=1):
            task_id = f"{p}.{t}"
            kind: Literal["task", "milestone"] = "milestone" if days == 0 else "task"
            key = next((k for k in EXPAND if k in name), None)
            if key is None:
                activities.append(Activity(task_id, name, days * DAY, kind=kind, parent=summary_id))
                _link_from(links, anchor, task_id, DAY * rng.choice([0, 0, 0, 1, 2]) if days else 0)
                anchor = task_id
                continue
            # One activity per ward (system, clinic), staggered in small teams, then joined.
            activities.append(Activity(task_id, name.replace(key, "all"), kind="summary",
                                       parent=summary_id))  # fmt: skip
            ends = []
            for k, item in enumerate(EXPAND[key], start=1):
                sub = f"{task_id}.{k}"
                activities.append(
                    Activity(sub, name.replace(key, item), days * DAY, parent=task_id)
                )
                _link_from(links, anchor, sub, (k - 1) // 3 * days * DAY)
                ends.append(sub)
            join = f"{task_id}.done"
            activities.append(
                Activity(join, name.replace(key, "all") + " done", kind="milestone", parent=task_id)
            )
            links.extend(Link(e, join) for e in ends)
            anchor = join
        last = anchor
        previous_phase_end = last
    network = Network(
        activities, links, project_start=dt.datetime.combine(start, dt.time(8)),
        default_calendar=calendar,
    )  # fmt: skip
    return ProjectFile(name=component.name, format="json", network=network,
                       calendars={calendar.name: calendar})  # fmt: skip


# A shared pool with real contention: (code, name, kind, capacity, rate/h,
# [(component, activity-name prefix, units)])
POOL = [
    (
        "INFO",
        "Clinical informatics team",
        "role",
        4,
        95,
        [
            ("EHR", "Clinical workflow workshops", 2),
            ("EHR", "Order sets design", 2),
            ("EHR", "Medication module design", 2),
            ("EHR", "Build order sets", 2),
            ("EHR", "Build medication module", 2),
            ("EHR", "Build nursing documentation", 2),
            ("DATA", "Ingest design", 2),
            ("DATA", "Data quality rules", 2),
            ("PORTAL", "Results view design", 1),
            ("PORTAL", "Results view integration", 2),
        ],
    ),
    (
        "DEV",
        "Integration developers",
        "role",
        3,
        110,
        [
            ("EHR", "Interfaces", 1),
            ("EHR", "Interface test", 1),
            ("PORTAL", "Identity", 1),
            ("PORTAL", "Online booking", 2),
            ("PORTAL", "Messaging", 1),
            ("DATA", "EHR feed", 2),
            ("DATA", "Lab feed", 1),
        ],
    ),
    (
        "NETENG",
        "Network engineers",
        "role",
        3,
        90,
        [
            ("NET", "Cabling", 1),
            ("NET", "Access points", 1),
            ("NET", "Configure core", 2),
            ("NET", "Bedside terminals", 1),
        ],
    ),
    (
        "TRAIN",
        "Clinical trainers",
        "role",
        2,
        70,
        [
            ("EHR", "Train the trainers", 2),
            ("EHR", "Ward training", 1),
            ("EHR", "End-user training", 2),
        ],
    ),
    (
        "TESTLAB",
        "Test environment",
        "equipment",
        1,
        40,
        [
            ("EHR", "System test", 1),
            ("EHR", "Integration test", 1),
            ("EHR", "Performance test", 1),
            ("PORTAL", "Security review", 1),
        ],
    ),
]


def load_demo_pool(program: Program, pm: User) -> None:
    from decimal import Decimal

    from podium.resources.services import assign, create_resource

    acts = list(
        StoredActivity.objects.filter(program=program, kind="task").select_related("component")
    )
    for code, name, kind, capacity, rate, uses in POOL:
        resource = create_resource(
            actor=pm, program=program, code=code, name=name, kind=kind, capacity=capacity,
            standard_rate=Decimal(rate),
        )  # fmt: skip
        for component, prefix, units in uses:
            for activity in acts:
                if activity.component.code == component and activity.name.startswith(prefix):
                    assign(actor=pm, activity=activity, resource=resource, units=units)


def load_demo_schedules(program: Program, pm: User) -> None:
    """Give every component of the demo program a schedule, link them, baseline the
    program and record progress at the data date."""
    rng = random.Random(2026)  # noqa: S311  (demo data, not security)
    calendar = hospital_calendar()
    for component in program.components.order_by("code"):
        if component.code in PLANS:
            services.import_project(
                actor=pm, program=program, project=_project(component, calendar, rng),
                component=component,
            )  # fmt: skip
    by_name = {
        (a.component.code, a.name): a
        for a in StoredActivity.objects.filter(program=program).select_related("component")
    }
    for (pc, pn), (sc, sn) in CROSS_LINKS:
        services.add_link(actor=pm, pred=by_name[(pc, pn)], succ=by_name[(sc, sn)])
    services.save_baseline(actor=pm, program=program, name="Delivery baseline (gate G2)")

    updates = []
    for activity in StoredActivity.objects.filter(program=program, kind__in=["task", "milestone"]):
        start, finish = to_wall(activity.start), to_wall(activity.finish)
        assert start is not None and finish is not None
        if finish <= DATA_DATE:
            slip = dt.timedelta(days=rng.choice([0, 0, 0, 1, 2, 3]))
            updates.append(services.Progress(activity, start, finish + slip, 100.0, 0))
        elif start < DATA_DATE:
            done = (DATA_DATE - start) / (finish - start)
            pct = round(min(95.0, 100 * done * rng.uniform(0.7, 1.0)), 0)
            remaining = round(activity.duration_minutes * (1 - pct / 100) / DAY) * DAY
            updates.append(services.Progress(activity, start, None, pct, max(remaining, DAY)))
    services.record_progress(actor=pm, program=program, data_date=DATA_DATE, updates=updates)
    load_demo_pool(program, pm)


# Organisation resources shared by both demo programs: (code, name, kind, capacity,
# rate, skills, HDT uses as (component, activity name prefix, units)).
ORG_POOL = [
    ("ELEC", "Hospital electricians", "role", 2, 70, ["Electrical", "Low voltage"],
     [("NET", "Cabling", 1), ("EHR", "Cut-over rehearsal", 1), ("EHR", "Go-live wave", 1)]),
    ("DBA", "Database administrators", "role", 2, 110, ["SQL", "Data migration"],
     [("DATA", "EHR feed", 1), ("EHR", "Extract legacy", 1), ("EHR", "Trial load", 1)]),
]  # fmt: skip

# FAC-ENERGY's HVAC plan: (id, name, days, electricians' units), a chain.
HVAC_PLAN = [
    ("1", "Survey plant rooms", 5, 0),
    ("2", "Rewire plant room controls", 15, 2),
    ("3", "Install building management system", 20, 1),
    ("4", "Commission and tune", 10, 1),
]


def load_demo_org_pool(
    hdt: Program, energy: Program, admin: User, hdt_pm: User, energy_pm: User
) -> None:
    """Organisation resources used by both programs: the electricians rewire the energy
    program's plant rooms in the weeks of the hospital's EHR cut-over, so HDT's
    resource page shows an over-allocation and an anonymous "other programs" load."""
    from decimal import Decimal

    from podium.resources.services import assign, create_resource

    hdt_tasks = list(
        StoredActivity.objects.filter(program=hdt, kind="task").select_related("component")
    )
    org = {}
    for code, name, kind, capacity, rate, skills, uses in ORG_POOL:
        org[code] = create_resource(
            actor=admin, program=None, code=code, name=name, kind=kind, capacity=capacity,
            standard_rate=Decimal(rate), skills=skills,
        )  # fmt: skip
        for component, prefix, units in uses:
            for activity in hdt_tasks:
                if activity.component.code == component and activity.name.startswith(prefix):
                    assign(actor=hdt_pm, activity=activity, resource=org[code], units=units)
    # the plant rooms are rewired while the crew also supports the EHR cut-over
    ahead = [
        to_wall(a.start) for a in hdt_tasks
        if a.name.startswith("Cut-over") and a.start is not None
    ]  # fmt: skip
    begin = min((s for s in ahead if s is not None), default=DATA_DATE) - dt.timedelta(days=7)
    hvac = energy.components.get(code="HVAC")
    acts = [Activity(i, name, days * DAY) for i, name, days, _ in HVAC_PLAN]
    links = [Link(a.id, b.id) for a, b in itertools.pairwise(acts)]
    network = Network(acts, links, project_start=begin, default_calendar=hospital_calendar())
    services.import_project(
        actor=energy_pm, program=energy, component=hvac,
        project=ProjectFile(name="HVAC controls upgrade", format="json", network=network,
                            source="demo"),
    )  # fmt: skip
    stored = {a.code: a for a in StoredActivity.objects.filter(component=hvac)}
    for i, _name, _days, units in HVAC_PLAN:
        if units:
            assign(actor=energy_pm, activity=stored[i], resource=org["ELEC"], units=units)
