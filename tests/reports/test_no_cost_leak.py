"""Readers without the cost permission find no cost figure in any form of the report."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core import mail

from podium.finance import services as finance
from podium.reports.jobs import send_weekly_reports
from podium.reports.services import build_status_report, subscribe
from tests.conftest import World
from tests.finance.conftest import approve, build_budget
from tests.reports.conftest import pdf_text

NO_COSTS = ["stakeholder", "team_member", "viewer"]


@pytest.fixture
def money(world: World) -> list[str]:
    """ALPHA with an approved budget (BAC 991,154.32) and actual cost; returns the cost
    figures the program manager's report shows."""
    budget = build_budget(world.alpha, world.comp, world.pm)
    finance.add_line(
        actor=None, baseline=budget.baseline, cost_account=budget.lab, amount="987654.32"
    )
    approve(budget)
    finance.record_actual(
        actor=world.pm, program=world.alpha, cost_account=budget.lab,
        date=dt.date(2026, 3, 3), amount="13579.24",
    )  # fmt: skip
    for user in (world.pm, world.team, world.stakeholder, world.viewer):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    report = build_status_report(world.alpha, world.pm, dt.date(2026, 11, 25))
    shown = {f.label: f.value for f in report.figures}
    assert shown["BAC"].startswith("991,154 ")  # the walk below can fail
    return [shown["BAC"].split()[0], shown["EAC"].split()[0], f"CPI {shown['CPI']}"]


@pytest.mark.parametrize("role", NO_COSTS)
def test_no_cost_figure_anywhere(world: World, money: list[str], api_as: Any, client: Any,
                                 role: str) -> None:  # fmt: skip
    user = world.by_role(role)
    client.force_login(user)
    texts = {
        "page": client.get("/programs/ALPHA/status-report/").content.decode(),
        "pdf": pdf_text(client.get("/programs/ALPHA/status-report.pdf").content),
        "api": json.dumps(api_as(user).get("/programs/ALPHA/status-report").json()),
    }
    subscribe(actor=user, program=world.alpha)
    send_weekly_reports(None, today="2026-11-25")
    (message,) = mail.outbox
    texts["mail"] = message.body
    texts["mail pdf"] = pdf_text(message.attachments[0][1])
    for where, text in texts.items():
        assert "SPI(t)" in text, where  # the report is there, with its schedule index
        for figure in money:
            assert figure not in text, f"{where} shows {figure}"


def test_the_program_manager_sees_them(world: World, money: list[str], client: Any) -> None:
    client.force_login(world.pm)
    text = pdf_text(client.get("/programs/ALPHA/status-report.pdf").content)
    for figure in money:
        assert figure in text
