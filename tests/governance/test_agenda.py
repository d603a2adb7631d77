"""The board agenda: open gate reviews, change requests awaiting decision, escalated risks
and issues, and open conditions — and nothing that is already settled."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from podium.changes import services as changes
from podium.governance import services
from podium.governance.agenda import board_agenda
from podium.risks import services as risks
from tests.conftest import World
from tests.governance.conftest import Gov, approve_budget


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def titles(items: list[Any]) -> list[str]:
    return [item.title for item in items]


def test_agenda_lists_what_waits_for_the_board(world: World, gov: Gov) -> None:
    program = gov.program
    approve_budget(gov, world.pm)
    assert board_agenda(program).count == 0

    review = services.open_review(actor=world.pm, program=program)
    cr = changes.create_change_request(actor=world.pm, program=program, title="Add a ward")
    risk = risks.create_risk(
        actor=world.pm, program=program, component=world.comp, title="Vendor late"
    )
    risks.escalate_risk(
        actor=world.cm, risk=risk, reason="Needs the board's money.", expected_version=None
    )
    calm = risks.create_risk(actor=world.pm, program=program, title="Calm risk")
    issue = risks.create_issue(
        actor=world.pm, program=program, component=world.comp, title="Interface down",
        due_date=dt.date(2020, 1, 6),
    )  # fmt: skip
    risks.escalate_issue(
        actor=world.cm, issue=issue, reason="Blocks two components.", expected_version=None
    )

    agenda = board_agenda(program, today=dt.date(2026, 12, 1))
    assert titles(agenda.gates) == [f"{program.code}: planning → delivery"]
    assert agenda.gates[0].url.endswith(f"/governance/reviews/{review.pk}/")
    # A draft is not on the agenda yet; once submitted it is.
    assert agenda.change_requests == []
    account = gov.baseline.lines.first().cost_account
    changes.add_line(
        actor=world.pm, cr=cr, kind="cost", cost_account=account.pk, amount="500",
        reason="Fit-out of the ward.",
    )  # fmt: skip
    changes.submit(actor=world.pm, cr=cr, expected_version=None)
    agenda = board_agenda(program, today=dt.date(2026, 12, 1))
    assert titles(agenda.change_requests) == [f"{cr.code} Add a ward"]
    escalated = titles(agenda.escalations)
    assert f"Risk {risk.code} Vendor late" in escalated
    assert f"Issue {issue.code} Interface down" in escalated
    assert not any(calm.code in t for t in escalated)
    assert [item.overdue for item in agenda.escalations if "Issue" in item.title] == [True]

    # Deciding the gate with a condition takes the review off and puts the condition on.
    services.decide(
        actor=world.pm, review=review, outcome="go_with_conditions", rationale="Go.",
        conditions=[services.ConditionInput("Hire a test lead", world.pm, dt.date(2026, 11, 1))],
    )  # fmt: skip
    agenda = board_agenda(program, today=dt.date(2026, 12, 1))
    assert agenda.gates == []
    assert titles(agenda.conditions) == ["Hire a test lead"]
    assert agenda.conditions[0].overdue


def test_agenda_page(world: World, gov: Gov) -> None:
    services.open_review(actor=world.pm, program=gov.program)
    page = client_for(world.pm).get(f"/programs/{gov.program.code}/governance/agenda/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Gate decisions due" in text and "planning → delivery" in text
    assert "Escalated risks and issues" in text
    # Outside the program, the page does not exist.
    assert client_for(world.outsider).get("/programs/ALPHA/governance/agenda/").status_code == 404
