"""One object of every kind with a thread in ALPHA, built through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from podium.benefits.models import Benefit
from podium.benefits.services import create_benefit
from podium.changes.models import ChangeRequest
from podium.changes.services import create_change_request
from podium.delivery.models import Deliverable
from podium.delivery.services import create_deliverable
from podium.feedback.models import FeedbackItem
from podium.feedback.services import submit_feedback
from podium.governance.models import Decision
from podium.governance.services import record_decision
from podium.risks.models import Risk
from podium.risks.services import create_risk
from podium.schedule.models import Activity
from podium.schedule.services import import_project
from tests.conftest import World
from tests.schedule.conftest import small_project


@dataclass
class Things:
    activity: Activity
    deliverable: Deliverable
    risk: Risk
    cr: ChangeRequest
    feedback: FeedbackItem  # submitted by the stakeholder
    benefit: Benefit
    decision: Decision
    beta_risk: Risk  # in BETA

    def all(self) -> dict[str, Any]:
        return {
            "activity": self.activity, "deliverable": self.deliverable, "risk": self.risk,
            "changerequest": self.cr, "feedback": self.feedback, "benefit": self.benefit,
            "decision": self.decision,
        }  # fmt: skip


def thread_path(kind: str, obj: Any) -> str:
    return f"/programs/{obj.program.code}/discussions/{kind}/{obj.pk}/"


@pytest.fixture
def things(world: World) -> Things:
    import_project(actor=None, program=world.alpha, project=small_project(), component=world.comp)
    activity = Activity.objects.get(component=world.comp, code="A")
    deliverable = create_deliverable(
        actor=world.pm, program=world.alpha, component=world.comp, name="Ward handbook"
    )
    risk = create_risk(
        actor=world.pm, program=world.alpha, component=world.comp, title="Vendor delivers late"
    )
    cr = create_change_request(
        actor=world.cm, program=world.alpha, title="Extend the pharmacy interface",
        components=[world.comp.pk],
    )  # fmt: skip
    feedback = submit_feedback(
        actor=world.stakeholder, program=world.alpha, text="Nobody told the night shift.",
        component=world.comp,
    )  # fmt: skip
    benefit = create_benefit(
        actor=world.pm, program=world.alpha, name="Fewer errors", kpi="errors per month",
        baseline_value=40, baseline_date=dt.date(2026, 1, 1), components=[world.comp],
    )  # fmt: skip
    decision = record_decision(
        actor=world.pm, program=world.alpha, kind="other", outcome="approved",
        rationale="Go ahead with the pilot ward.", subject=world.comp,
    )  # fmt: skip
    beta_risk = create_risk(actor=world.pm_b, program=world.beta, title="Beta's own risk")
    return Things(activity, deliverable, risk, cr, feedback, benefit, decision, beta_risk)
