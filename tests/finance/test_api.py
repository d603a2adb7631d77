"""The finance API as a client sees it: ETags and 412, the lock refusal, change requests,
version comparison, CSV upload."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from podium.finance.models import ActualCost, BudgetLine
from tests.conftest import World
from tests.finance.conftest import Budget, approve


def test_baseline_carries_an_etag_and_a_stale_if_match_is_refused(
    world: World, budget: Budget, api_as: Any
) -> None:
    client = api_as(world.pm)
    first = client.get(f"/budget-baselines/{budget.baseline.pk}")
    assert first.status_code == 200
    etag = first["ETag"]
    body = first.json()
    assert (body["lines_total"], body["contingency"], body["management_reserve"]) == (
        "3500.00", "200.00", "300.00",
    )  # fmt: skip
    assert body["cost_baseline"] == "3700.00" and body["total_budget"] == "4000.00"

    ok = client.patch(f"/budget-baselines/{budget.baseline.pk}", {"notes": "P50"}, If_Match=etag)
    assert ok.status_code == 200 and ok["ETag"] != etag

    stale = client.patch(
        f"/budget-baselines/{budget.baseline.pk}", {"contingency": "0"}, If_Match=etag
    )
    assert stale.status_code == 412
    assert stale.json()["current_version"] == int(ok["ETag"].strip('"'))
    budget.baseline.refresh_from_db()
    assert str(budget.baseline.contingency) == "200.00"


def test_line_etag_and_stale_approval(world: World, budget: Budget, api_as: Any) -> None:
    client = api_as(world.pm)
    seen = client.get(f"/budget-baselines/{budget.baseline.pk}")["ETag"]
    changed = client.patch(f"/budget-lines/{budget.line_mat.pk}", {"amount": "650"})
    assert changed.status_code == 200 and changed.json()["amount"] == "650.00"
    # approving what one saw before the line changed is refused
    stale = client.post(f"/budget-baselines/{budget.baseline.pk}/approve", {}, If_Match=seen)
    assert stale.status_code == 412
    fresh = client.get(f"/budget-baselines/{budget.baseline.pk}")["ETag"]
    approved = client.post(f"/budget-baselines/{budget.baseline.pk}/approve", {}, If_Match=fresh)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_editing_an_approved_baseline_answers_409_with_the_reason(
    world: World, budget: Budget, api_as: Any
) -> None:
    approve(budget)
    client = api_as(world.pm)
    for method, path, body in [
        ("PATCH", f"/budget-lines/{budget.line_lab.pk}", {"amount": "1"}),
        ("DELETE", f"/budget-lines/{budget.line_lab.pk}", None),
        ("POST", f"/budget-baselines/{budget.baseline.pk}/lines",
         {"cost_account": "C1-LAB", "amount": "5"}),
        ("PATCH", f"/budget-baselines/{budget.baseline.pk}", {"contingency": "0"}),
    ]:  # fmt: skip
        response = client.call(method, path, body)
        assert response.status_code == 409, (method, path)
        assert "v1 is approved and locked" in response.json()["detail"]
        assert "change request" in response.json()["detail"]
    assert BudgetLine.objects.get(pk=budget.line_lab.pk).amount == 1000


def test_change_request_through_the_api_creates_version_2_and_compare_shows_both(
    world: World, budget: Budget, api_as: Any
) -> None:
    approve(budget)
    cm, pm = api_as(world.cm), api_as(world.pm)
    proposed = cm.post(
        "/programs/ALPHA/budget/change-requests",
        {
            "title": "More rewiring",
            "reason": "Survey findings",
            "changes": [{"op": "change", "line": budget.line_lab.pk, "amount": "1400"}],
        },
    )
    assert proposed.status_code == 201, proposed.content
    cr = proposed.json()
    assert (cr["status"], cr["baseline"], cr["requested_by"]) == ("proposed", 1, "cm")

    assert cm.post(f"/budget-change-requests/{cr['id']}/approve", {}).status_code == 403
    decided = pm.post(
        f"/budget-change-requests/{cr['id']}/approve",
        {"note": "ok"},
        If_Match=proposed["ETag"],
    )
    assert decided.status_code == 200
    assert decided.json()["resulting_baseline"] == 2

    versions = pm.get("/programs/ALPHA/budget/baselines").json()
    assert [(v["number"], v["status"], v["lines_total"]) for v in versions] == [
        (2, "approved", "3900.00"),
        (1, "superseded", "3500.00"),
    ]
    cmp = pm.get("/programs/ALPHA/budget/compare?a=1&b=2").json()
    assert (cmp["total_a"], cmp["total_b"], cmp["difference"]) == ("3500.00", "3900.00", "400.00")
    lab = next(a for a in cmp["accounts"] if a["cost_account"] == "C1-LAB")
    assert (lab["total_a"], lab["total_b"], lab["difference"]) == ("1000.00", "1400.00", "400.00")
    assert pm.get("/programs/ALPHA/budget/compare?a=1&b=3").status_code == 404

    again = pm.post(f"/budget-change-requests/{cr['id']}/reject", {"note": "late"})
    assert again.status_code == 409 and "already approved" in again.json()["detail"]


def test_field_errors_are_422_with_messages(world: World, budget: Budget, api_as: Any) -> None:
    client = api_as(world.pm)
    negative = client.post(
        f"/budget-baselines/{budget.baseline.pk}/lines", {"cost_account": "C1-LAB", "amount": "-1"}
    )
    assert negative.status_code == 422 and "amount" in negative.json()["errors"]
    unknown = client.post(
        f"/budget-baselines/{budget.baseline.pk}/lines", {"cost_account": "ZZ", "amount": "1"}
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"]["cost_account"] == ["ALPHA has no cost account 'ZZ'."]
    no_baseline = client.post(
        "/programs/ALPHA/budget/change-requests",
        {"title": "t", "reason": "r", "changes": [{"op": "remove", "line": 1}]},
    )
    assert no_baseline.status_code == 422
    assert "no approved budget baseline" in no_baseline.json()["detail"]


def _upload(client: Any, content: str, name: str = "costs.csv") -> Any:
    return client.client.post(
        "/api/v1/programs/ALPHA/actual-costs/import",
        {"file": SimpleUploadedFile(name, content.encode(), content_type="text/csv")},
        headers=client.headers,
    )


def test_csv_upload_is_all_or_nothing(world: World, budget: Budget, api_as: Any) -> None:
    client = api_as(world.pm)
    bad = _upload(client, "date,cost account,amount\n2026-03-02,C1-LAB,10\n2026-03-02,C1-LAB,x\n")
    assert bad.status_code == 422
    body = bad.json()
    assert body["errors"] == {"line 3, amount": ["Line 3: amount 'x' is not a number."]}
    assert "Nothing was imported" in body["detail"]
    assert not ActualCost.objects.exists()

    good = _upload(
        client, "date,cost account,amount\n2026-03-02,C1-LAB,10\n2026-03-03,C1-MAT,5.5\n"
    )
    assert good.status_code == 201
    assert (good.json()["rows"], good.json()["total"]) == (2, "15.50")
    listed = client.get("/programs/ALPHA/actual-costs?cost_account=C1-MAT").json()
    assert [(e["date"], e["amount"], e["source"]) for e in listed["items"]] == [
        ("2026-03-03", "5.50", "csv")
    ]


def test_time_entry_becomes_a_cost(world: World, budget: Budget, api_as: Any) -> None:
    from decimal import Decimal

    from podium.resources.services import create_resource

    create_resource(
        actor=None, program=budget.program, code="ELEC", name="Electricians",
        standard_rate=Decimal("80"),
    )  # fmt: skip
    response = api_as(world.cm).post(
        "/programs/ALPHA/time-entries",
        {"cost_account": "C1-LAB", "resource": "elec", "date": "2026-03-02", "hours": "6"},
    )
    assert response.status_code == 201, response.content
    assert (response.json()["amount"], response.json()["source"]) == ("480.00", "timesheet")


def test_lists_do_not_grow_queries_with_versions_or_entries(
    world: World, budget: Budget, api_as: Any, django_assert_max_num_queries: Any
) -> None:
    import datetime as dt

    from podium.finance import services

    baseline = approve(budget)
    for amount in ("1100", "1200", "1300"):
        cr = services.propose_change(
            actor=None, baseline=baseline, title="t", reason="r",
            changes=[{"op": "reserve", "field": "contingency", "amount": amount}],
        )  # fmt: skip
        _, baseline = services.approve_change(actor=None, request=cr, expected_version=None)
    for day in range(1, 41):
        services.record_actual(
            actor=None, program=budget.program, cost_account=budget.lab,
            date=dt.date(2026, 1, 1) + dt.timedelta(days=day), amount=day,
        )  # fmt: skip
    client = api_as(world.pm)
    with django_assert_max_num_queries(12):
        versions = client.get("/programs/ALPHA/budget/baselines").json()
    assert [v["number"] for v in versions] == [4, 3, 2, 1]
    assert versions[0]["cost_baseline"] == "4800.00"  # 3500 of lines + 1300 contingency
    with django_assert_max_num_queries(12):
        entries = client.get("/programs/ALPHA/actual-costs").json()
    assert entries["count"] == 40
