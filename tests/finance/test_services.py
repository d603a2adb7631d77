"""Budget baseline lifecycle, change requests, reserves, actual costs and CSV import."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from podium.core.errors import PermissionDenied, TransitionRefused, ValidationFailed
from podium.core.models import AuditRecord
from podium.finance import selectors, services
from podium.finance.csv_import import parse_amount, parse_date
from podium.finance.models import ActualCost, BudgetBaseline, BudgetChangeRequest, BudgetLine
from podium.finance.services import BaselineLocked
from podium.resources.services import create_resource
from tests.conftest import World
from tests.finance.conftest import Budget, approve

D = Decimal


# -- the baseline locks on approval ------------------------------------------------------


def test_a_draft_is_edited_freely_and_approval_locks_it(world: World, budget: Budget) -> None:
    services.update_line(actor=world.pm, line=budget.line_lab, expected_version=None, amount="1100")
    approved = services.approve_baseline(
        actor=world.pm, baseline=budget.baseline, expected_version=None, note="Gate G2"
    )
    assert approved.status == "approved" and approved.approved_by == world.pm
    line = BudgetLine.objects.get(pk=budget.line_lab.pk)
    records = AuditRecord.objects.count()

    refused = [
        lambda: services.update_line(actor=world.pm, line=line, expected_version=None, amount="9"),
        lambda: services.remove_line(actor=world.pm, line=line),
        lambda: services.add_line(
            actor=world.pm, baseline=approved, cost_account=budget.lab, amount="1"
        ),
        lambda: services.update_baseline(
            actor=world.pm, baseline=approved, expected_version=None, contingency="0"
        ),
        lambda: services.approve_baseline(actor=world.pm, baseline=approved, expected_version=None),
        lambda: services.create_baseline(actor=world.pm, program=budget.program),
    ]
    for attempt in refused:
        with pytest.raises(BaselineLocked) as exc:
            attempt()
        assert exc.value.status == 409
        assert "v1 is approved and locked" in exc.value.message
        assert "only through an approved change request" in exc.value.message

    assert BudgetLine.objects.get(pk=line.pk).amount == D("1100.00")
    assert BudgetLine.objects.filter(baseline=approved).count() == 3
    assert AuditRecord.objects.count() == records, "a refused edit left a trace"


def test_approval_needs_lines_the_program_manager_and_the_right_stage(
    world: World, budget: Budget
) -> None:
    with pytest.raises(PermissionDenied):
        services.approve_baseline(actor=world.cm, baseline=budget.baseline, expected_version=None)
    for line in list(budget.baseline.lines.all()):
        services.remove_line(actor=world.pm, line=line)
    with pytest.raises(TransitionRefused, match="no lines"):
        services.approve_baseline(actor=world.pm, baseline=budget.baseline, expected_version=None)


def test_approval_in_formulation_is_refused(world: World) -> None:
    baseline = services.create_baseline(actor=world.pm, program=world.alpha)
    account = services.create_cost_account(
        actor=world.pm, program=world.alpha, component=world.comp, code="X", name="X"
    )
    services.add_line(actor=world.pm, baseline=baseline, cost_account=account, amount="10")
    with pytest.raises(TransitionRefused, match="formulation"):
        services.approve_baseline(actor=world.pm, baseline=baseline, expected_version=None)


def test_approving_with_a_stale_version_is_refused(world: World, budget: Budget) -> None:
    seen = budget.baseline.version
    services.update_line(actor=world.pm, line=budget.line_mat, expected_version=None, amount="1")
    # the line change moved the baseline's version: the approver did not see this content
    from podium.core.errors import VersionConflict

    with pytest.raises(VersionConflict):
        services.approve_baseline(actor=world.pm, baseline=budget.baseline, expected_version=seen)
    assert BudgetBaseline.objects.get(pk=budget.baseline.pk).status == "draft"


# -- reserves apart -----------------------------------------------------------------------


def test_reserves_are_kept_apart_from_the_lines(budget: Budget) -> None:
    view = selectors.budget_view(budget.baseline)
    assert view.lines_total == D("3500.00")
    assert budget.baseline.contingency == D("200.00")
    assert view.cost_baseline == D("3700.00")  # lines + contingency
    assert budget.baseline.management_reserve == D("300.00")
    assert view.total_budget == D("4000.00")  # + management reserve
    groups = {g.component.code: [a.account.code for a in g.accounts] for g in view.groups}
    assert groups == {"C1": ["C1-LAB", "C1-MAT"], "C2": ["C2-LAB"]}
    assert selectors.evm_inputs(budget.program, budget.baseline).budget_at_completion == D("3500")


# -- change requests ----------------------------------------------------------------------


def _propose(world: World, budget: Budget, baseline: BudgetBaseline, **kw: Any) -> Any:
    return services.propose_change(
        actor=kw.pop("actor", world.pm),
        baseline=baseline,
        title=kw.pop("title", "Rewiring costs more"),
        reason=kw.pop("reason", "The survey found asbestos."),
        changes=kw.pop(
            "changes",
            [
                {"op": "change", "line": budget.line_lab.pk, "amount": "1500"},
                {"op": "remove", "line": budget.line_other.pk},
                {
                    "op": "add",
                    "cost_account": "C1-MAT",
                    "category": "equipment",
                    "amount": "250",
                    "description": "Scaffolding",
                },
                {"op": "reserve", "field": "contingency", "amount": "50"},
            ],
        ),
    )


def test_an_approved_change_request_creates_version_2_and_both_are_kept(
    world: World, budget: Budget
) -> None:
    v1 = approve(budget)
    request = _propose(world, budget, v1)
    assert request.status == "proposed" and request.number == 1

    decided, v2 = services.approve_change(
        actor=world.pm, request=request, expected_version=None, note="Agreed at the board"
    )

    assert decided.status == "approved" and decided.decided_by == world.pm
    assert decided.resulting_baseline == v2
    assert (v2.number, v2.status) == (2, "approved")
    v1.refresh_from_db()
    assert v1.status == "superseded"
    assert selectors.current_baseline(budget.program) == v2
    # v1 is untouched
    assert sorted(v1.lines.values_list("amount", flat=True)) == [D("500"), D("1000"), D("2000")]
    assert v1.contingency == D("200")
    # v2 = v1 + the changes; reserves changed only where requested
    view = selectors.budget_view(v2)
    assert view.lines_total == D("2250.00")
    assert (v2.contingency, v2.management_reserve) == (D("50.00"), D("300.00"))

    cmp = selectors.compare(v1, v2)
    rows = {d.account.code: (d.total_a, d.total_b, d.difference) for d in cmp.accounts}
    assert rows == {
        "C1-LAB": (D("1000"), D("1500"), D("500")),
        "C1-MAT": (D("500"), D("750"), D("250")),
        "C2-LAB": (D("2000"), D("0"), D("-2000")),
    }
    statuses = sorted(line.status for d in cmp.accounts for line in d.lines)
    assert statuses == ["added", "changed", "removed", "same"]
    assert ("Contingency", D("200"), D("50"), D("-150")) in cmp.reserves
    # version 2 is locked like version 1
    with pytest.raises(BaselineLocked, match="v2 is approved"):
        services.update_line(
            actor=world.pm, line=v2.lines.first(), expected_version=None, amount="1"
        )
    with pytest.raises(BaselineLocked, match="v1 is superseded"):
        services.update_line(
            actor=world.pm, line=v1.lines.first(), expected_version=None, amount="1"
        )


def test_rejection_needs_a_reason_and_creates_no_version(world: World, budget: Budget) -> None:
    v1 = approve(budget)
    request = _propose(world, budget, v1)
    with pytest.raises(ValidationFailed, match="why"):
        services.reject_change(actor=world.pm, request=request, expected_version=None, note=" ")
    rejected = services.reject_change(
        actor=world.pm, request=request, expected_version=None, note="Use the contingency"
    )
    assert rejected.status == "rejected"
    assert BudgetBaseline.objects.filter(program=budget.program).count() == 1
    with pytest.raises(TransitionRefused, match="already rejected"):
        services.approve_change(actor=world.pm, request=rejected, expected_version=None)
    note = AuditRecord.objects.filter(object_type="finance.budgetchangerequest").first()
    assert note is not None and note.note == "Use the contingency"


def test_a_request_against_a_superseded_version_is_refused(world: World, budget: Budget) -> None:
    v1 = approve(budget)
    first = _propose(world, budget, v1)
    second = _propose(
        world, budget, v1, changes=[{"op": "change", "line": budget.line_mat.pk, "amount": "9"}]
    )
    services.approve_change(actor=world.pm, request=first, expected_version=None)
    with pytest.raises(TransitionRefused, match="current baseline is v2"):
        services.approve_change(actor=world.pm, request=second, expected_version=None)
    assert BudgetChangeRequest.objects.get(pk=second.pk).status == "proposed"


def test_component_manager_proposes_for_own_component_only_and_never_decides(
    world: World, budget: Budget
) -> None:
    v1 = approve(budget)
    own = _propose(
        world, budget, v1, actor=world.cm,
        changes=[{"op": "change", "line": budget.line_lab.pk, "amount": "1200"}],
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        _propose(
            world, budget, v1, actor=world.cm,
            changes=[{"op": "change", "line": budget.line_other.pk, "amount": "1"}],
        )  # fmt: skip
    assert "C2-LAB" in exc.value.message
    with pytest.raises(PermissionDenied):
        services.approve_change(actor=world.cm, request=own, expected_version=None)
    with pytest.raises(PermissionDenied):
        _propose(world, budget, v1, actor=world.stakeholder)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"op": "change", "line": 999999, "amount": "1"}, "no line 999999"),
        ({"op": "add", "cost_account": "NOPE", "amount": "1"}, "no cost account"),
        ({"op": "change", "line": "LINE", "amount": "-5"}, "Must not be negative"),
        ({"op": "reserve", "field": "profit", "amount": "1"}, "management_reserve or contingency"),
        ({"op": "grow"}, "op must be"),
    ],
)
def test_invalid_changes_are_refused_with_a_message(
    world: World, budget: Budget, change: dict[str, Any], message: str
) -> None:
    v1 = approve(budget)
    if change.get("line") == "LINE":
        change = {**change, "line": budget.line_lab.pk}
    with pytest.raises(ValidationFailed) as exc:
        _propose(world, budget, v1, changes=[change])
    assert message in exc.value.message
    assert not BudgetChangeRequest.objects.exists()


def test_changes_are_requested_against_the_approved_baseline_only(
    world: World, budget: Budget
) -> None:
    with pytest.raises(TransitionRefused, match="draft"):
        _propose(world, budget, budget.baseline)


# -- actual costs -------------------------------------------------------------------------


def test_actual_costs_and_time_entries(world: World, budget: Budget) -> None:
    entry = services.record_actual(
        actor=world.cm, program=budget.program, cost_account=budget.lab,
        date=dt.date(2026, 3, 3), amount="120.50", activity=budget.activity,
    )  # fmt: skip
    assert entry.amount == D("120.50") and entry.source == "manual"
    with pytest.raises(PermissionDenied, match="C2"):
        services.record_actual(
            actor=world.cm, program=budget.program, cost_account=budget.other_lab,
            date=dt.date(2026, 3, 3), amount="1",
        )  # fmt: skip
    with pytest.raises(ValidationFailed, match="0 books nothing"):
        services.record_actual(
            actor=world.pm, program=budget.program, cost_account=budget.lab,
            date=dt.date(2026, 3, 3), amount="0",
        )  # fmt: skip
    crew = create_resource(
        actor=None, program=budget.program, code="ELEC", name="Electricians",
        standard_rate=D("62.40"),
    )  # fmt: skip
    timed = services.record_time(
        actor=world.cm, program=budget.program, cost_account=budget.lab, resource=crew,
        date=dt.date(2026, 3, 4), hours="7.5", activity=budget.activity,
    )  # fmt: skip
    assert timed.amount == D("468.00") and timed.source == "timesheet"

    inputs = selectors.evm_inputs(budget.program, budget.baseline)
    assert inputs.by_activity[budget.activity.pk].amount == D("1000")
    assert inputs.by_account["C2-LAB"].unallocated == D("2000")
    assert inputs.actuals_by_activity == {
        (budget.activity.pk, dt.date(2026, 3, 3)): D("120.50"),
        (budget.activity.pk, dt.date(2026, 3, 4)): D("468.00"),
    }
    assert inputs.actuals_by_account[("C1-LAB", dt.date(2026, 3, 4))] == D("468.00")


GOOD_CSV = (
    "Date;Cost account;Activity;Amount;Description\n"
    "2026-03-02;C1-LAB;A;1.250,50;Electrician invoice 114\n"
    "03.03.2026;c1-mat;;(80,00);Credit note\n"
    "2026-03-04;C2-LAB;;300;Survey\n"
)


def test_csv_import_stores_every_line(world: World, budget: Budget) -> None:
    batch = services.import_actuals(
        actor=world.pm, program=budget.program, content=GOOD_CSV.encode(), filename="march.csv"
    )
    assert batch.rows == 3
    entries = list(ActualCost.objects.filter(import_batch=batch).order_by("date"))
    assert [(e.date, e.cost_account.code, e.amount) for e in entries] == [
        (dt.date(2026, 3, 2), "C1-LAB", D("1250.50")),
        (dt.date(2026, 3, 3), "C1-MAT", D("-80.00")),
        (dt.date(2026, 3, 4), "C2-LAB", D("300.00")),
    ]
    assert entries[0].activity == budget.activity and entries[0].source == "csv"
    record = AuditRecord.objects.filter(object_type="finance.costimport").get()
    assert record.note == "3 actual cost lines imported from march.csv"


def test_one_bad_line_stores_nothing_and_errors_name_line_and_column(
    world: World, budget: Budget
) -> None:
    content = (
        "date,cost account,activity,amount,description\n"
        "2026-03-02,C1-LAB,A,100.00,fine\n"
        "2026-02-30,C1-LAB,,100.00,no such day\n"
        "2026-03-03,C1-LAB,,12.3456,four decimals\n"
        "2026-03-03,NOPE,,10,unknown account\n"
        "2026-03-03,C1-LAB,ZZ,10,unknown activity\n"
    )
    with pytest.raises(ValidationFailed) as exc:
        services.import_actuals(
            actor=world.pm, program=budget.program, content=content, filename="bad.csv"
        )
    errors = exc.value.errors
    assert set(errors) == {
        "line 3, date", "line 4, amount", "line 5, cost account", "line 6, activity",
    }  # fmt: skip
    assert "Line 3" in errors["line 3, date"][0] and "2026-02-30" in errors["line 3, date"][0]
    assert "more than 2 decimal places" in errors["line 4, amount"][0]
    assert "no cost account 'NOPE'" in errors["line 5, cost account"][0]
    assert "no activity 'ZZ'" in errors["line 6, activity"][0]
    assert exc.value.message.startswith("Nothing was imported: bad.csv has 4 errors.")
    assert not ActualCost.objects.exists()
    assert (
        not AuditRecord.objects.filter(object_type__startswith="finance.cost")
        .exclude(object_type="finance.costaccount")
        .exists()
    )


def test_csv_import_refuses_a_header_without_the_needed_columns(
    world: World, budget: Budget
) -> None:
    with pytest.raises(ValidationFailed, match="no amount column"):
        services.import_actuals(
            actor=world.pm, program=budget.program, content="date,account\n", filename="x.csv"
        )


def test_component_manager_imports_only_to_own_accounts(world: World, budget: Budget) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.import_actuals(
            actor=world.cm, program=budget.program, content=GOOD_CSV, filename="march.csv"
        )
    assert set(exc.value.errors) == {"line 4, cost account"}
    assert not ActualCost.objects.exists()
    with pytest.raises(PermissionDenied):
        services.import_actuals(
            actor=world.team, program=budget.program, content=GOOD_CSV, filename="march.csv"
        )


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1234.5", "1234.5"), ("1,234.50", "1234.50"), ("1.234,50", "1234.50"),
        ("1 234,50", "1234.50"), ("12,5", "12.5"), ("-80", "-80"), ("(80.00)", "-80.00"),
        ("1,234,567", "1234567"), ("+7", "7"),
    ],
)  # fmt: skip
def test_amounts_people_write_are_read(raw: str, value: str) -> None:
    assert parse_amount(raw) == D(value)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1,234", "ambiguous"), ("1.234", "ambiguous"), ("12.345,678", "decimal places"),
        ("abc", "not a number"), ("", "empty"), ("1,23,4", "not a number"),
    ],
)  # fmt: skip
def test_unclear_amounts_are_refused(raw: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_amount(raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("2026-03-31", dt.date(2026, 3, 31)), ("31.03.2026", dt.date(2026, 3, 31))],
)
def test_dates_are_read(raw: str, value: dt.date) -> None:
    assert parse_date(raw) == value


@pytest.mark.parametrize("raw", ["03/31/2026", "2026-13-01", "yesterday", ""])
def test_unclear_dates_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_date(raw)
