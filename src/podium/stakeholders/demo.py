"""The demo program's stakeholder register: people and groups of Riverside Regional
Hospital in every engagement level and every quadrant of the power/interest grid, with
an engagement plan for those who must be moved. The two portal stakeholders (sh.osei,
sh.ferreira) are linked to their accounts when they are members of the program.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from podium.accounts.models import User
from podium.programs.models import Program
from podium.stakeholders import services
from podium.stakeholders.models import Stakeholder

__all__ = ["seed_stakeholders"]


class DemoStakeholder(NamedTuple):
    name: str
    kind: str
    organization: str
    role: str
    group: str
    power: int
    interest: int
    current: str
    desired: str
    channel: str
    username: str = ""
    # (what, how, frequency, owner username, next due)
    plan: tuple[tuple[str, str, str, str, str], ...] = ()


STAKEHOLDERS = [
    DemoStakeholder(
        "Dr. Kenji Nakamura",
        "person",
        "Riverside Regional Hospital",
        "Chief Medical Officer",
        "Executive",
        5,
        5,
        "supportive",
        "leading",
        "One-to-one meeting",
        plan=(
            ("Sponsor briefing on EHR waves", "Meeting", "fortnightly", "pm.alvarez", "2026-07-06"),
        ),
    ),
    DemoStakeholder(
        "Abena Osei",
        "person",
        "Riverside Regional Hospital",
        "Director of Nursing",
        "Clinicians",
        4,
        5,
        "neutral",
        "supportive",
        "Ward managers' meeting",
        username="sh.osei",
        plan=(
            ("Ward readiness review", "Workshop", "monthly", "cm.okafor", "2026-07-14"),
            ("Nursing newsletter column", "Newsletter", "monthly", "tm.haddad", "2026-07-01"),
        ),
    ),
    DemoStakeholder(
        "Consultant surgeons",
        "group",
        "Riverside Regional Hospital",
        "",
        "Clinicians",
        4,
        4,
        "resistant",
        "supportive",
        "Clinical governance meeting",
        plan=(
            (
                "Demonstrate order sets built with surgeons",
                "Demonstration",
                "monthly",
                "cm.okafor",
                "2026-07-20",
            ),
        ),
    ),
    DemoStakeholder(
        "Rui Ferreira",
        "person",
        "Patient council",
        "Chair",
        "Patients",
        2,
        5,
        "supportive",
        "supportive",
        "E-mail",
        username="sh.ferreira",
        plan=(("Portal usability sessions", "Workshop", "quarterly", "cm.brandt", "2026-09-15"),),
    ),
    DemoStakeholder(
        "Outpatients",
        "group",
        "",
        "",
        "Patients",
        1,
        4,
        "unaware",
        "neutral",
        "Posters and portal banner",
        plan=(("Online booking is coming", "Posters", "ad_hoc", "cm.brandt", ""),),
    ),
    DemoStakeholder(
        "Hospital board",
        "group",
        "Riverside Regional Hospital",
        "",
        "Executive",
        5,
        2,
        "neutral",
        "supportive",
        "Board paper",
        plan=(("Program status report", "Board paper", "quarterly", "pm.alvarez", "2026-09-30"),),
    ),
    DemoStakeholder(
        "Regional health authority",
        "group",
        "Regional health authority",
        "Funding body",
        "Regulators",
        4,
        1,
        "unaware",
        "neutral",
        "Formal letter",
    ),
    DemoStakeholder(
        "IT operations",
        "group",
        "Riverside Regional Hospital",
        "Receives NET and EHR",
        "Operations",
        3,
        4,
        "leading",
        "leading",
        "Service review",
        plan=(("Handover readiness", "Service review", "weekly", "cm.dubois", "2026-07-03"),),
    ),
    DemoStakeholder(
        "Legacy system vendor",
        "group",
        "MedRec Ltd",
        "Supplier being replaced",
        "Suppliers",
        2,
        2,
        "resistant",
        "neutral",
        "Contract manager",
    ),
    DemoStakeholder(
        "Local press",
        "group",
        "Riverside Gazette",
        "",
        "Community",
        1,
        1,
        "neutral",
        "neutral",
        "Press release",
    ),
]


def _user(username: str, program: Program) -> User | None:
    if not username:
        return None
    return User.objects.filter(
        username=username, is_active=True, memberships__program=program
    ).first()


def seed_stakeholders(program: Program, actor: Any) -> list[Stakeholder]:
    """Fill ``program``'s register (through the services, as ``actor``)."""
    created = []
    for d in STAKEHOLDERS:
        s = services.create_stakeholder(
            actor=actor, program=program, name=d.name, kind=d.kind, organization=d.organization,
            role=d.role, group=d.group, power=d.power, interest=d.interest,
            current_engagement=d.current, desired_engagement=d.desired, channel=d.channel,
            user=_user(d.username, program),
        )  # fmt: skip
        for what, how, frequency, owner, due in d.plan:
            services.add_plan_item(
                actor=actor, stakeholder=s, what=what, how=how, frequency=frequency,
                owner=_user(owner, program),
                next_due=dt.date.fromisoformat(due) if due else None,
            )  # fmt: skip
        created.append(s)
    return created
