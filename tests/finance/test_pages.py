"""Budget, change request and actual cost pages as the program manager uses them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from podium.finance import services
from podium.finance.models import ActualCost, BudgetBaseline, BudgetChangeRequest
from tests.conftest import World
from tests.finance.conftest import Budget, approve


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_empty_budget_page_invites_the_manager_to_start(world: World) -> None:
    page = client_for(world.pm).get("/programs/ALPHA/budget/").content.decode()
    assert "has no budget baseline yet" in page and "Start the draft baseline" in page
    assert "No cost accounts yet" in page
    cm_page = client_for(world.cm).get("/programs/ALPHA/budget/").content.decode()
    assert "has no budget baseline yet" in cm_page and "Start the draft baseline" not in cm_page


def test_budget_page_groups_lines_and_shows_reserves_apart(
    world: World, budget: Budget, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.pm)
    with django_assert_max_num_queries(30):
        page = client.get("/programs/ALPHA/budget/").content.decode()
    assert "Budget baseline v1" in page and "Draft" in page
    assert "Contingency reserve</dt><dd>200.00 EUR" in page
    assert "Management reserve</dt><dd>300.00 EUR" in page
    assert "Cost baseline</dt><dd><strong>3,700.00 EUR" in page
    assert page.index("C1 First component") < page.index("C1-LAB") < page.index("C2-LAB")
    assert "Approve baseline v1" in page and "Add a line" in page


def test_approved_baseline_page_offers_no_edits_and_refuses_a_forged_one(
    world: World, budget: Budget
) -> None:
    approve(budget)
    client = client_for(world.pm)
    page = client.get("/programs/ALPHA/budget/").content.decode()
    assert "Approved" in page and "Locked: it changes only through an approved change" in page
    assert "Add a line" not in page and "Propose a change" in page
    response = client.post(
        f"/programs/ALPHA/budget/lines/{budget.line_lab.pk}/", {"amount": "5"}, follow=True
    )
    assert "v1 is approved and locked" in response.content.decode()
    budget.line_lab.refresh_from_db()
    assert budget.line_lab.amount == 1000


def test_change_request_from_the_page_to_version_2_and_compare(
    world: World, budget: Budget
) -> None:
    approve(budget)
    cm, pm = client_for(world.cm), client_for(world.pm)
    form = cm.get("/programs/ALPHA/budget/changes/new/")
    assert form.status_code == 200
    response = cm.post(
        "/programs/ALPHA/budget/changes/new/",
        {
            "title": "Extra cabling",
            "reason": "Walls are thicker than drawn.",
            f"amount-{budget.line_lab.pk}": "1.250,00",
            f"amount-{budget.line_mat.pk}": "500.00",
            f"amount-{budget.line_other.pk}": "2000.00",
            "new-account-1": "C1-MAT",
            "new-category-1": "material",
            "new-amount-1": "75",
            "contingency": "200.00",
            "management_reserve": "300.00",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Change request #1 proposed" in page
    cr = BudgetChangeRequest.objects.get()
    assert [c["op"] for c in cr.changes] == ["change", "add"]
    assert "1,250.00" in page and "1,000.00" in page

    assert "Approve: create v2" not in page  # a component manager does not decide
    decided = pm.post(
        f"/programs/ALPHA/budget/changes/{cr.pk}/decide/",
        {"decision": "approve", "note": "Fine", "version": cr.version},
        follow=True,
    ).content.decode()
    assert "approved: budget baseline v2" in decided

    budget_page = pm.get("/programs/ALPHA/budget/").content.decode()
    assert "Budget baseline v2" in budget_page and "Superseded" in budget_page
    old = pm.get("/programs/ALPHA/budget/?v=1").content.decode()
    assert "Budget baseline v1" in old and "1,000.00" in old
    cmp = pm.get("/programs/ALPHA/budget/compare/?a=1&b=2").content.decode()
    assert "Budget v1 → v2" in cmp
    assert "3,500.00" in cmp and "3,825.00" in cmp and "added" in cmp and "changed" in cmp


def test_change_request_form_shows_errors_and_stores_nothing(world: World, budget: Budget) -> None:
    approve(budget)
    response = client_for(world.pm).post(
        "/programs/ALPHA/budget/changes/new/",
        {"title": "Oops", "reason": "Typo", f"amount-{budget.line_lab.pk}": "lots"},
    )
    assert response.status_code == 200
    assert "is not an amount" in response.content.decode()
    assert not BudgetChangeRequest.objects.exists()


def test_reject_from_the_page_needs_a_note(world: World, budget: Budget) -> None:
    baseline = approve(budget)
    cr = services.propose_change(
        actor=world.pm, baseline=baseline, title="t", reason="r",
        changes=[{"op": "remove", "line": budget.line_other.pk}],
    )  # fmt: skip
    pm = client_for(world.pm)
    page = pm.post(
        f"/programs/ALPHA/budget/changes/{cr.pk}/decide/", {"decision": "reject"}, follow=True
    ).content.decode()
    assert "Say why the change request is rejected" in page
    page = pm.post(
        f"/programs/ALPHA/budget/changes/{cr.pk}/decide/",
        {"decision": "reject", "note": "Not now"},
        follow=True,
    ).content.decode()
    assert "rejected" in page and "Not now" in page
    assert BudgetBaseline.objects.count() == 1


def test_actuals_page_filters_paginates_and_imports(
    world: World, budget: Budget, django_assert_max_num_queries: Any
) -> None:
    for day in range(1, 61):
        services.record_actual(
            actor=None, program=budget.program,
            cost_account=budget.lab if day % 2 else budget.other_lab,
            date=dt.date(2026, 1, 1) + dt.timedelta(days=day), amount=day,
        )  # fmt: skip
    pm = client_for(world.pm)
    with django_assert_max_num_queries(25):
        first = pm.get("/programs/ALPHA/costs/").content.decode()
    assert "Page 1 of 2 (60)" in first
    filtered = pm.get(
        f"/programs/ALPHA/costs/?account={budget.other_lab.pk}&date_from=2026-02-01"
    ).content.decode()
    assert "C1-LAB" not in filtered.split("<tbody>")[1].split("</tbody>")[0]
    assert "Page" not in filtered  # 15 rows fit one page

    bad = SimpleUploadedFile("bad.csv", b"date,cost account,amount\n2026-03-01,C1-LAB,\n")
    page = pm.post("/programs/ALPHA/costs/import/", {"file": bad}, follow=True).content.decode()
    assert "Nothing was imported" in page and "Line 2: amount is empty" in page
    good = SimpleUploadedFile("good.csv", b"date,cost account,amount\n2026-03-01,C1-LAB,9\n")
    page = pm.post("/programs/ALPHA/costs/import/", {"file": good}, follow=True).content.decode()
    assert "1 actual cost lines imported from good.csv" in page
    assert ActualCost.objects.filter(source="csv").count() == 1

    empty = pm.get("/programs/ALPHA/costs/?date_from=2030-01-01").content.decode()
    assert "No actual costs match these filters" in empty


def test_record_an_actual_cost_on_the_page(world: World, budget: Budget) -> None:
    cm = client_for(world.cm)
    page = cm.post(
        "/programs/ALPHA/costs/",
        {"cost_account": budget.other_lab.pk, "date": "2026-03-02", "amount": "10"},
    ).content.decode()
    assert "can book costs to C2-LAB" in page
    response = cm.post(
        "/programs/ALPHA/costs/",
        {"cost_account": budget.lab.pk, "date": "2026-03-02", "amount": "10", "description": "x"},
        follow=True,
    )
    assert "Actual cost recorded" in response.content.decode()
