"""Demo risks, issues and uncertainty inputs for the HDT program.

:func:`seed_risks` runs after the demo schedules exist (it links risks to activities by
component code and activity name, see ``podium.demo_schedule.PLANS``) and goes through
the services, so the registers' history reads like a real one. Activities that are not
there (a schedule not loaded) are simply left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from podium.accounts.models import User
from podium.programs.models import Component, Program
from podium.risks import services
from podium.schedule.models import Activity

__all__ = ["seed_risks"]


class DemoRisk(NamedTuple):
    component: str | None  # None: program level
    title: str
    owner: str
    probability: float
    scores: tuple[int, int]  # schedule, cost
    strategy: str
    cause: str
    event: str
    effect: str
    response: str = ""
    kind: str = "threat"
    duration: tuple[str, float, float | None, float] | None = None  # working hours
    activities: tuple[str, ...] = ()
    cost: tuple[str, float, float | None, float] | None = None  # EUR


RISKS = [
    DemoRisk(
        "EHR",
        "EHR vendor delivers fix releases late",
        "cm.okafor",
        0.4,
        (5, 3),
        "mitigate",
        cause="The vendor runs three hospital go-lives in parallel with one build team.",
        event="The release with the pharmacy interface and the build fixes slips by weeks.",
        effect="System test starts late; testing and training are squeezed; wave 1 moves.",
        response="Weekly release review with the vendor; penalty clause on release dates.",
        duration=("triangular", 40, 80, 200),
        activities=("Interfaces: pharmacy", "System test"),
        cost=("triangular", 80_000, 150_000, 400_000),
    ),
    DemoRisk(
        "EHR",
        "Legacy data quality worse than expected",
        "tm.haddad",
        0.6,
        (4, 3),
        "mitigate",
        cause="Twenty years of free-text entries and duplicate patient records in PAS.",
        event="Trial loads reject a large share of records.",
        effect="Extra cleansing rounds; migration rehearsals repeat.",
        response="Profile the PAS data now; clinical coders join the cleansing team.",
        duration=("pert", 16, 40, 120),
        activities=("Cleanse records, PAS", "Trial load 1", "Trial load 2"),
        cost=("pert", 20_000, 45_000, 120_000),
    ),
    DemoRisk(
        "EHR",
        "Interface defects found late",
        "tm.lindqvist",
        0.5,
        (4, 2),
        "mitigate",
        cause="Lab, radiology and pharmacy interfaces come from three different suppliers.",
        event="Interface and integration tests find defects in the HL7 messages.",
        effect="Fix-and-retest cycles delay user acceptance test.",
        response="Interface test harness from day one; joint defect triage with suppliers.",
        duration=("triangular", 16, 32, 96),
        activities=(
            "Interface test, PAS",
            "Interface test, Lab system",
            "Interface test, Pharmacy system",
            "Integration test",
        ),
    ),
    DemoRisk(
        "EHR",
        "Ward access for go-live checks restricted",
        "cm.okafor",
        0.5,
        (3, 2),
        "mitigate",
        cause="Infection-control rules close wards to visiting teams during outbreaks.",
        event="Network and device checks cannot enter intensive care, emergency or oncology.",
        effect="Ward readiness slips and with it go-live wave 1.",
        response="Book ward slots with infection control; night checks where allowed.",
        duration=("uniform", 8, None, 40),
        activities=(
            "Ward readiness check, Intensive care",
            "Ward readiness check, Emergency",
            "Ward readiness check, Oncology",
        ),
        cost=("uniform", 5_000, None, 30_000),
    ),
    DemoRisk(
        "EHR",
        "Clinicians unavailable for training",
        "pm.alvarez",
        0.55,
        (4, 2),
        "escalate",
        cause="Winter pressures and rota gaps on the wards.",
        event="Wards cannot release staff for end-user training sessions.",
        effect="Training waves stretch; go-live wave 2 waits for trained staff.",
        response="Director of Nursing to protect training time; e-learning for refreshers.",
        duration=("triangular", 24, 60, 160),
        activities=("End-user training, wave 1", "End-user training, wave 2"),
        cost=("triangular", 30_000, 60_000, 150_000),
    ),
    DemoRisk(
        "PORTAL",
        "Identity provider contract renewal delayed",
        "cm.brandt",
        0.3,
        (3, 2),
        "transfer",
        cause="The national patient login service changes its terms next year.",
        event="The new contract is not signed before the security review.",
        effect="Security review and beta launch wait.",
        response="The supplier guarantees the old terms until launch.",
        duration=("triangular", 40, 80, 240),
        activities=("Security review",),
    ),
    DemoRisk(
        None,
        "Key EHR analysts leave the hospital",
        "pm.alvarez",
        0.25,
        (3, 3),
        "accept",
        cause="Market demand for EHR analysts is high.",
        event="Two or more of the five EHR analysts resign before go-live.",
        effect="Knowledge loss; contractors at higher rates.",
        response="Retention bonus at go-live.",
        cost=("triangular", 40_000, 90_000, 200_000),
    ),
    DemoRisk(
        "PORTAL",
        "Accessibility audit requires rework",
        "cm.brandt",
        0.3,
        (2, 2),
        "mitigate",
        cause="New accessibility law applies to patient-facing services.",
        event="The external audit fails the booking flow.",
        effect="Rework before the beta launch.",
        response="An accessibility specialist reviews every design sprint.",
        duration=("pert", 16, 40, 80),
        activities=("Accessibility audit",),
    ),
    DemoRisk(
        "DATA",
        "Lab feed format changes",
        "cm.singh",
        0.2,
        (2, 1),
        "accept",
        cause="The lab system upgrade is planned for next year.",
        event="The lab feed's message format changes.",
        effect="Ingest rules need rework.",
        duration=("triangular", 8, 24, 60),
        activities=("Lab feed",),
    ),
    DemoRisk(
        "EHR",
        "Performance test reveals capacity shortfall",
        "tm.lindqvist",
        0.2,
        (4, 4),
        "mitigate",
        cause="Sizing is based on the vendor's reference sites, all smaller than ours.",
        event="Response times fail the performance test.",
        effect="Hardware order and tuning before go-live.",
        response="Early load test on the build system.",
        duration=("lognormal", 8, 40, 120),
        activities=("Performance test",),
        cost=("lognormal", 20_000, 60_000, 180_000),
    ),
    DemoRisk(
        "EHR",
        "Vendor's regression suite covers our build",
        "cm.okafor",
        0.35,
        (3, 2),
        "exploit",
        kind="opportunity",
        cause="The vendor offers its automated regression suite to customers.",
        event="Most of our system test cases run from the vendor's suite.",
        effect="A shorter system test.",
        response="The test lead maps our cases to the suite before system test starts.",
        duration=("triangular", 16, 40, 80),
        activities=("System test",),
        cost=("triangular", 10_000, 25_000, 50_000),
    ),
    DemoRisk(
        "EHR",
        "Super-users train their own wards",
        "pm.alvarez",
        0.4,
        (2, 2),
        "enhance",
        kind="opportunity",
        cause="Super-users from wave 1 are keen and know their wards.",
        event="Super-users run most wave 2 sessions on the wards.",
        effect="Wave 2 needs fewer central sessions.",
        response="Train-the-trainer top-up for them.",
        duration=("uniform", 8, None, 24),
        activities=("End-user training, wave 2",),
    ),
]

ESTIMATES = [
    # (component, activity name or prefix*, kind, optimistic/ml/pessimistic as x planned)
    ("EHR", "Extract legacy records", "lognormal", (0.9, 1.0, 1.8)),
    ("EHR", "Cleanse records, *", "pert", (0.9, 1.0, 1.6)),
    ("EHR", "Trial load 1", "pert", (0.8, 1.0, 1.7)),
    ("EHR", "Trial load 2", "pert", (0.8, 1.0, 1.5)),
    ("EHR", "Interfaces: *", "triangular", (0.9, 1.0, 1.5)),
    ("EHR", "Interface test, *", "triangular", (0.9, 1.0, 1.5)),
    ("EHR", "System test", "pert", (0.9, 1.0, 1.4)),
    ("EHR", "Integration test", "pert", (0.9, 1.0, 1.5)),
    ("EHR", "User acceptance test", "pert", (0.9, 1.0, 1.4)),
    ("EHR", "Performance test", "uniform", (0.8, 1.0, 1.3)),
    ("EHR", "End-user training, wave 1", "triangular", (0.95, 1.0, 1.3)),
    ("EHR", "End-user training, wave 2", "triangular", (0.95, 1.0, 1.3)),
]

CORRELATIONS = [
    (("EHR", "Interface test, PAS"), ("EHR", "Interface test, Lab system"), 0.6),
    (("EHR", "End-user training, wave 1"), ("EHR", "End-user training, wave 2"), 0.7),
]


def _activities(program: Program, component: Component | None, names: list[str]) -> list[Activity]:
    if component is None or not names:
        return []
    return list(Activity.objects.filter(program=program, component=component, name__in=names))


def _matching(program: Program, component: Component, pattern: str) -> list[Activity]:
    qs = Activity.objects.filter(
        program=program, component=component, actual_finish__isnull=True
    ).exclude(kind__in=[Activity.Kind.SUMMARY, Activity.Kind.MILESTONE])
    if pattern.endswith("*"):
        return list(qs.filter(name__startswith=pattern[:-1]))
    return list(qs.filter(name=pattern))


def seed_risks(program: Program, pm: User) -> None:
    """About a dozen risks with actions, duration and cost impacts on real activities,
    one escalation, a risk that occurred (now an issue), two other issues, three-point
    estimates for data migration, interface tests, testing and training, and
    two duration correlations."""
    users = {u.username: u for u in User.objects.filter(memberships__program=program)}
    components = {c.code: c for c in program.components.all()}
    created = {}
    for risk in RISKS:
        component = components.get(risk.component) if risk.component else None
        fields: dict[str, Any] = {}
        if risk.duration is not None:
            d_kind, low, mode, high = risk.duration
            fields.update(
                duration_kind=d_kind, duration_low=low,
                duration_mode=mode if mode is not None else low, duration_high=high,
            )  # fmt: skip
        cost_impact = None
        if risk.cost is not None:
            c_kind, low, mode, high = risk.cost
            cost_impact = {"kind": c_kind, "low": low, "high": high,
                           "mode": mode if mode is not None else low}  # fmt: skip
        created[risk.title] = services.create_risk(
            actor=pm, program=program, component=component, title=risk.title, kind=risk.kind,
            owner=users.get(risk.owner), probability=risk.probability,
            schedule_score=risk.scores[0], cost_score=risk.scores[1], strategy=risk.strategy,
            cause=risk.cause, event=risk.event, effect=risk.effect, response=risk.response,
            activities=_activities(program, component, list(risk.activities)),
            cost_impact=cost_impact, **fields,
        )  # fmt: skip

    vendor = created["EHR vendor delivers fix releases late"]
    okafor = users.get("cm.okafor", pm)
    for description, due, owner in (
        ("Weekly release review with the vendor's delivery lead", dt.date(2026, 12, 4), okafor),
        ("Agree a penalty clause on release dates", dt.date(2026, 12, 18), pm),
    ):
        services.create_action(
            actor=pm, risk=vendor, description=description, due_date=due, owner=owner
        )
    data = created["Legacy data quality worse than expected"]
    services.create_action(
        actor=pm, risk=data, description="Profile PAS duplicates and free-text fields",
        owner=users.get("tm.haddad"), due_date=dt.date(2026, 12, 11), status="in_progress",
    )  # fmt: skip
    training = created["Clinicians unavailable for training"]
    services.escalate_risk(
        actor=okafor, risk=training, expected_version=None,
        reason="Releasing ward staff needs the Director of Nursing: beyond the EHR project.",
    )  # fmt: skip
    services.create_action(
        actor=pm, risk=training, description="Agree protected training time with nursing",
        owner=pm, due_date=dt.date(2027, 1, 15),
    )  # fmt: skip

    net = components.get("NET")
    asbestos = services.create_risk(
        actor=pm, program=program, component=net, title="Asbestos in ward ceilings",
        owner=users.get("cm.dubois"), probability=0.2, schedule_score=4, cost_score=4,
        strategy="mitigate", cause="Wards built in the 1970s.",
        event="The wards survey finds asbestos above the ceilings.",
        effect="Cabling waits for licensed removal.",
        activities=_activities(program, net, ["Site survey, wards"]),
    )  # fmt: skip
    services.occur_risk(
        actor=users.get("cm.dubois", pm), risk=asbestos, expected_version=None,
        note="Found in Geriatrics and Renal; removal contractor booked.",
        due_date=dt.date(2027, 1, 29),
    )  # fmt: skip
    services.create_risk(
        actor=pm, program=program, component=components.get("EHR"),
        title="Tender challenged by a losing bidder", probability=0.1, schedule_score=5,
        cost_score=3, strategy="accept", status="closed",
        response="Standstill period ended without a challenge.",
    )  # fmt: skip
    services.create_issue(
        actor=users.get("tm.lindqvist", pm), program=program, component=components.get("EHR"),
        title="Test environment not provisioned", priority="high",
        owner=users.get("tm.lindqvist"), due_date=dt.date(2026, 12, 7),
        description="IT operations has not built the second test environment the plan needs.",
    )  # fmt: skip
    services.create_issue(
        actor=pm, program=program, title="Integration engine licence renewal overdue",
        priority="medium", owner=pm, due_date=dt.date(2026, 12, 20),
        description="The renewal needs a purchase order before year end.",
    )  # fmt: skip

    for comp_code, pattern, kind, (o, m, p) in ESTIMATES:
        component = components.get(comp_code)
        if component is None:
            continue
        for activity in _matching(program, component, pattern):
            d = activity.duration_minutes
            if not d:
                continue
            services.set_estimate(
                actor=pm, activity=activity, kind=kind, optimistic=round(d * o),
                most_likely=round(d * m), pessimistic=round(d * p),
            )  # fmt: skip

    for (comp_a, name_a), (comp_b, name_b), rho in CORRELATIONS:
        a = _matching(program, components[comp_a], name_a) if comp_a in components else []
        b = _matching(program, components[comp_b], name_b) if comp_b in components else []
        if a and b:
            services.create_correlation(actor=pm, program=program, a=a[0], b=b[0], rho=rho)
