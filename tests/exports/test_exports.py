"""XLSX exports of the registers, read back with openpyxl, as each role sees them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from podium.accounts.services import create_token
from podium.benefits.models import Benefit
from podium.feedback.models import FeedbackItem
from podium.governance.models import Decision
from podium.programs.models import Program
from podium.risks.models import Issue, Risk
from podium.schedule.models import Activity
from tests.exports.conftest import client_for, read_xlsx, sheet_rows, user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# register -> (a header it starts with, how many rows the demo gives the program manager)
EXPECTED_FIRST_COLUMNS = {
    "activities": ["Component", "Code", "WBS", "Name", "Kind"],
    "resources": ["Code", "Name", "Kind", "Pool", "Capacity"],
    "assignments": ["Component", "Activity", "Activity name", "Resource"],
    "risks": ["Code", "Title", "Kind", "Component", "Level", "Status"],
    "issues": ["Code", "Title", "Component", "Level", "Priority"],
    "deliverables": ["Component", "Code", "Name", "Kind", "Status"],
    "benefits": ["Code", "Name", "Category", "Status", "Owner", "KPI"],
    "stakeholders": ["Name", "Kind", "Organization", "Role", "Group"],
    "feedback": ["Id", "Submitted", "Submitted by", "Group"],
    "decisions": ["Number", "Decided", "Kind", "Subject", "Outcome"],
    "lessons": ["Id", "Component", "Session", "Title"],
    "change-requests": ["Number", "Title", "State", "Requested by"],
}
COST_COLUMNS = {
    "resources": "Standard rate",
    "risks": "Cost most likely",
    "benefits": "Expected value",
    "change-requests": "Cost change",
}


def download(username: str, key: str, code: str = "HDT") -> Any:
    return client_for(username).get(f"/programs/{code}/exports/{key}.xlsx")


def counts(hdt: Program) -> dict[str, int]:
    from podium.changes.models import ChangeRequest
    from podium.delivery.models import Deliverable
    from podium.resources.models import Assignment
    from podium.stakeholders.models import Stakeholder

    return {
        "activities": Activity.objects.filter(program=hdt).count(),
        "assignments": Assignment.objects.filter(activity__program=hdt).count(),
        "risks": Risk.objects.filter(program=hdt).count(),
        "issues": Issue.objects.filter(program=hdt).count(),
        "deliverables": Deliverable.objects.filter(program=hdt).count(),
        "benefits": Benefit.objects.filter(program=hdt).count(),
        "stakeholders": Stakeholder.objects.filter(program=hdt).count(),
        "feedback": FeedbackItem.objects.filter(program=hdt).count(),
        "decisions": Decision.objects.filter(program=hdt).count(),
        "change-requests": ChangeRequest.objects.filter(program=hdt).count(),
    }


@pytest.mark.parametrize("key", sorted(set(EXPECTED_FIRST_COLUMNS) - {"lessons"}))
def test_program_manager_exports_every_register_with_its_rows(hdt: Program, key: str) -> None:
    response = download("pm.alvarez", key)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert f'filename="HDT-{key}.xlsx"' in response["Content-Disposition"]
    header, rows = sheet_rows(response.content)
    assert header[: len(EXPECTED_FIRST_COLUMNS[key])] == EXPECTED_FIRST_COLUMNS[key]
    if key in COST_COLUMNS:
        assert COST_COLUMNS[key] in header
    expected = counts(hdt).get(key)
    if expected is not None:
        assert len(rows) == expected > 0
    else:  # resources: the pool plus organisation resources in use
        assert rows


def test_rows_carry_the_registers_values(hdt: Program) -> None:
    risk = Risk.objects.filter(program=hdt).order_by("code").first()
    assert risk is not None
    header, rows = sheet_rows(download("pm.alvarez", "risks").content)
    first = dict(zip(header, rows[0], strict=True))
    assert first["Code"] == risk.code and first["Title"] == risk.title
    assert first["Probability"] == pytest.approx(risk.probability)

    milestone = Activity.objects.filter(program=hdt, kind="milestone").exclude(finish=None).first()
    assert milestone is not None
    header, rows = sheet_rows(download("pm.alvarez", "activities").content)
    found = [dict(zip(header, r, strict=True)) for r in rows if r[1] == milestone.code]
    assert found and found[0]["Name"] == milestone.name
    # Schedule times are the calendars' wall-clock times as ISO text
    assert found[0]["Finish"] == milestone.finish.strftime("%Y-%m-%dT%H:%M")


def test_workbook_is_readable_bold_frozen_with_dates_as_dates(hdt: Program) -> None:
    book = read_xlsx(download("pm.alvarez", "benefits").content)
    sheet = book.worksheets[0]
    assert sheet.title == "Benefits"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["B"].width >= len("Name")
    header = [c.value for c in sheet[1]]
    column = header.index("Baseline date") + 1
    cell = sheet.cell(row=2, column=column)
    assert isinstance(cell.value, dt.datetime)  # openpyxl reads date cells as datetimes
    assert cell.number_format == "yyyy-mm-dd"


def test_all_registers_in_one_workbook_a_sheet_each(hdt: Program) -> None:
    response = download("pm.alvarez", "all")
    assert response.status_code == 200
    assert 'filename="HDT-registers.xlsx"' in response["Content-Disposition"]
    titles = read_xlsx(response.content).sheetnames
    assert titles[:3] == ["Activities", "Resources", "Assignments"]
    assert {"Stakeholders", "Decisions", "Change requests", "Feedback", "Lessons"} <= set(titles)
    assert len(titles) == 12


def test_lessons_export_comes_from_the_lessons_register(demo: None, db: Any) -> None:
    epr = Program.objects.get(code="EPR-2023")
    assert epr.lessons.exists()
    response = download("pm.alvarez", "lessons", code="EPR-2023")
    header, rows = sheet_rows(response.content)
    assert header[:4] == EXPECTED_FIRST_COLUMNS["lessons"]
    titles = {r[header.index("Title")] for r in rows}
    assert titles == set(epr.lessons.values_list("title", flat=True))


# -- what each role may export ------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(COST_COLUMNS))
def test_team_member_gets_no_cost_columns(hdt: Program, key: str) -> None:
    response = download("tm.lindqvist", key)
    assert response.status_code == 200
    header, rows = sheet_rows(response.content)
    assert COST_COLUMNS[key] not in header
    assert not {"Overtime rate", "Cost per use", "Cost low", "Cost high"} & set(header)
    assert all(len(r) == len(header) for r in rows)


def test_stakeholder_gets_only_their_own_feedback_and_no_costs(hdt: Program) -> None:
    me = user("sh.ferreira")
    mine = FeedbackItem.objects.filter(program=hdt, submitted_by=me)
    others = FeedbackItem.objects.filter(program=hdt).exclude(submitted_by=me)
    assert mine.exists() and others.exists()
    header, rows = sheet_rows(download("sh.ferreira", "feedback").content)
    assert sorted(r[0] for r in rows) == sorted(mine.values_list("pk", flat=True))
    assert {r[header.index("Submitted by")] for r in rows} == {str(me)}
    for key in ("risks", "benefits", "resources"):
        header, _ = sheet_rows(download("sh.ferreira", key).content)
        assert COST_COLUMNS[key] not in header


@pytest.mark.parametrize("key", ["stakeholders", "decisions", "change-requests"])
def test_stakeholder_may_not_export_the_team_registers(hdt: Program, key: str) -> None:
    assert download("sh.ferreira", key).status_code == 404
    titles = read_xlsx(download("sh.ferreira", "all").content).sheetnames
    assert "Stakeholders" not in titles and "Feedback" in titles


def test_team_member_sees_every_feedback_item_but_not_anonymous_names(hdt: Program) -> None:
    header, rows = sheet_rows(download("tm.lindqvist", "feedback").content)
    assert len(rows) == FeedbackItem.objects.filter(program=hdt).count()
    anonymous = FeedbackItem.objects.filter(program=hdt, anonymous=True)
    assert anonymous.exists()
    by_id = {r[0]: r for r in rows}
    for item in anonymous:
        assert by_id[item.pk][header.index("Submitted by")] == "anonymous"


@pytest.mark.parametrize("key", ["risks", "all", "stakeholders"])
def test_outsider_and_unknown_register_answer_404(hdt: Program, key: str) -> None:
    assert download("pm.greene", key).status_code == 404
    assert client_for("pm.greene").get("/programs/HDT/exports/").status_code == 404
    assert download("pm.alvarez", "nonsense").status_code == 404


def test_exports_page_lists_what_this_user_may_download(hdt: Program) -> None:
    page = client_for("pm.alvarez").get("/programs/HDT/exports/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Exports</h1>" in html
    for key in EXPECTED_FIRST_COLUMNS:
        assert f"/programs/HDT/exports/{key}.xlsx" in html
    assert "/programs/HDT/exports/all.xlsx" in html
    mine = client_for("sh.ferreira").get("/programs/HDT/exports/").content.decode()
    assert "/programs/HDT/exports/feedback.xlsx" in mine
    assert "/programs/HDT/exports/stakeholders.xlsx" not in mine
    assert "/programs/HDT/exports/decisions.xlsx" not in mine
    assert 'href="/programs/HDT/exports/"' in mine  # the program tab


def test_api_lists_and_downloads_the_same_files(hdt: Program) -> None:
    from django.test import Client

    _, token = create_token(actor=None, user=user("sh.ferreira"), name="exports")
    headers = {"Authorization": f"Bearer {token}"}
    client = Client()
    listed = client.get("/api/v1/programs/HDT/register-exports", headers=headers)
    assert listed.status_code == 200
    keys = [e["key"] for e in listed.json()]
    assert listed.json()[0]["url"] == "/api/v1/programs/HDT/exports/activities.xlsx"
    assert "feedback" in keys and "stakeholders" not in keys
    response = client.get("/api/v1/programs/HDT/exports/feedback.xlsx", headers=headers)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    _, rows = sheet_rows(response.content)
    assert (
        len(rows)
        == FeedbackItem.objects.filter(program=hdt, submitted_by__username="sh.ferreira").count()
    )
    refused = client.get("/api/v1/programs/HDT/exports/stakeholders.xlsx", headers=headers)
    assert refused.status_code == 404
    assert client.get("/api/v1/programs/HDT/exports/risks.xlsx").status_code == 401
