"""Every change to cost accounts, budget baselines, change requests and actual costs.

Each function is one transaction: permission check, validation, the write (versioned
where the object is edited) and its audit record. Pages, the API, the demo loader and
imports all call these; nothing else saves the finance models.

The budget baseline's life: a **draft** (version 1) is prepared and edited by the
program manager; :func:`approve_baseline` locks it. Any edit of an approved or
superseded baseline raises :class:`BaselineLocked`. The budget then changes only through
a :class:`~podium.finance.models.BudgetChangeRequest`: :func:`approve_change` copies the
current version, applies the requested changes as version N+1 and marks version N
superseded. Every version is kept (see :func:`podium.finance.selectors.compare`).

A baseline's ``version`` (optimistic concurrency) goes up with every change of its
lines too, so approving "with If-Match" approves exactly the content the approver saw.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from podium.accounts.models import User
from podium.core import audit
from podium.core.errors import TransitionRefused, ValidationFailed
from podium.core.services import update_versioned, validate_model
from podium.finance.csv_import import parse_actuals_csv
from podium.finance.models import (
    ZERO,
    ActualCost,
    BudgetBaseline,
    BudgetChangeRequest,
    BudgetLine,
    Category,
    CostAccount,
    CostImport,
)
from podium.programs.models import Component, Program, Role, Stage
from podium.programs.permissions import (
    can_change_component,
    can_change_program,
    require,
    roles_in,
)
from podium.resources.models import Resource
from podium.schedule.models import Activity

__all__ = [
    "BaselineLocked",
    "add_line",
    "approve_baseline",
    "approve_change",
    "create_baseline",
    "create_cost_account",
    "import_actuals",
    "propose_change",
    "record_actual",
    "record_time",
    "reject_change",
    "remove_line",
    "update_baseline",
    "update_cost_account",
    "update_line",
]

CENT = Decimal("0.01")
BASELINE_EDITABLE = {"management_reserve", "contingency", "notes"}
LINE_EDITABLE = {
    "cost_account", "activity", "category", "description", "amount", "phasing",
    "phase_start", "phase_finish",
}  # fmt: skip
ACCOUNT_EDITABLE = {"name", "activity"}
APPROVAL_STAGES = (Stage.PLANNING, Stage.DELIVERY)
RESERVES = ("management_reserve", "contingency")


class BaselineLocked(TransitionRefused):
    """An approved (or superseded) budget baseline was asked to change (409)."""

    def __init__(self, baseline: BudgetBaseline) -> None:
        state = "approved" if baseline.status == BudgetBaseline.Status.APPROVED else "superseded"
        super().__init__(
            f"Budget baseline v{baseline.number} is {state} and locked: it cannot be edited. "
            "The budget changes only through an approved change request, which creates "
            "the next baseline version."
        )


# -- helpers ----------------------------------------------------------------------------


def _money(value: Any, field: str, *, allow_negative: bool = False) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed({field: [f"{value!r} is not an amount."]}) from exc
    if not amount.is_finite():
        raise ValidationFailed({field: [f"{value!r} is not an amount."]})
    if amount < 0 and not allow_negative:
        raise ValidationFailed({field: ["Must not be negative."]})
    if abs(amount) >= Decimal(10) ** 12:
        raise ValidationFailed({field: ["Too large."]})
    return amount


def _refuse_unknown(changes: dict[str, Any], editable: set[str]) -> None:
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise ValidationFailed({f: ["This field cannot be changed here."] for f in unknown})


def _check_activity(activity: Activity | None, account: CostAccount, field: str) -> None:
    if activity is not None and activity.component_id != account.component_id:
        raise ValidationFailed(
            {field: [f"Activity {activity.code} is not in {account.component.code}."]}
        )


def _is_manager(actor: Any, program: Program) -> bool:
    return bool(roles_in(actor, program) & {"admin", Role.PROGRAM_MANAGER, Role.COMPONENT_MANAGER})


def _lock_draft(baseline: BudgetBaseline, actor: Any) -> None:
    """Bump the draft's version, or refuse if it is no longer a draft.

    ``UPDATE … WHERE status = 'draft'`` takes the row lock, so a concurrent approval
    and an edit of its lines are serialized: the loser sees the approved status and is
    refused (PostgreSQL re-checks the condition after the lock; SQLite writes one at a
    time).
    """
    matched = BudgetBaseline.objects.filter(
        pk=baseline.pk, status=BudgetBaseline.Status.DRAFT
    ).update(
        version=F("version") + 1,
        updated_at=timezone.now(),
        updated_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if matched == 0:
        raise BaselineLocked(BudgetBaseline.objects.get(pk=baseline.pk))


def _require_budget_owner(actor: User | None, program: Program, what: str) -> None:
    if actor is not None:
        require(can_change_program(actor, program), f"Only the program manager can {what}.")


# -- cost accounts ----------------------------------------------------------------------


@transaction.atomic
def create_cost_account(
    *,
    actor: User | None,
    program: Program,
    component: Component,
    code: str,
    name: str,
    activity: Activity | None = None,
) -> CostAccount:
    _require_budget_owner(actor, program, "set up cost accounts")
    if component.program_id != program.pk:
        raise ValidationFailed({"component": [f"{component.code} is not in {program.code}."]})
    code = code.strip().upper()
    if CostAccount.objects.filter(program=program, code=code).exists():
        raise ValidationFailed({"code": [f"{program.code} already has a cost account {code}."]})
    account = CostAccount(
        program=program, component=component, activity=activity, code=code, name=name.strip()
    )
    account.created_by = account.updated_by = actor
    validate_model(account, exclude=["created_by", "updated_by"])
    _check_activity(activity, account, "activity")
    account.save()
    audit.record(
        user=actor, action="create", obj=account, before=None,
        after=audit.snapshot(account), program_id=program.pk,
    )  # fmt: skip
    return account


@transaction.atomic
def update_cost_account(
    *, actor: User, account: CostAccount, expected_version: int | None, **changes: Any
) -> CostAccount:
    _require_budget_owner(actor, account.program, "change cost accounts")
    _refuse_unknown(changes, ACCOUNT_EDITABLE)
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationFailed({"name": ["A cost account needs a name."]})
    if "activity" in changes:
        _check_activity(changes["activity"], account, "activity")
    before = audit.snapshot(account)
    updated = update_versioned(account, expected_version, actor, **changes)
    audit.record(
        user=actor, action="update", obj=updated, before=before,
        after=audit.snapshot(updated), program_id=updated.program_id,
    )  # fmt: skip
    return updated


# -- baselines --------------------------------------------------------------------------


@transaction.atomic
def create_baseline(
    *,
    actor: User | None,
    program: Program,
    management_reserve: Any = ZERO,
    contingency: Any = ZERO,
    notes: str = "",
) -> BudgetBaseline:
    """Start the program's draft budget baseline (version 1)."""
    _require_budget_owner(actor, program, "prepare the budget baseline")
    if program.stage == Stage.CLOSED:
        raise TransitionRefused(f"{program.code} is closed; it takes no budget.")
    existing = BudgetBaseline.objects.filter(program=program).order_by("-number").first()
    if existing is not None and existing.status == BudgetBaseline.Status.DRAFT:
        raise TransitionRefused(
            f"{program.code} already has a draft budget baseline (v{existing.number}); edit it."
        )
    if existing is not None:
        raise BaselineLocked(existing)
    baseline = BudgetBaseline(
        program=program,
        number=1,
        management_reserve=_money(management_reserve, "management_reserve"),
        contingency=_money(contingency, "contingency"),
        notes=notes,
    )
    baseline.created_by = baseline.updated_by = actor
    baseline.save()
    audit.record(
        user=actor, action="create", obj=baseline, before=None,
        after=audit.snapshot(baseline), program_id=program.pk,
    )  # fmt: skip
    return baseline


@transaction.atomic
def update_baseline(
    *, actor: User, baseline: BudgetBaseline, expected_version: int | None, **changes: Any
) -> BudgetBaseline:
    """Change a draft's reserves or notes; an approved baseline refuses."""
    _require_budget_owner(actor, baseline.program, "edit the budget baseline")
    _refuse_unknown(changes, BASELINE_EDITABLE)
    current = BudgetBaseline.objects.get(pk=baseline.pk)
    if current.locked:
        raise BaselineLocked(current)
    for field in RESERVES:
        if field in changes:
            changes[field] = _money(changes[field], field)
    before = audit.snapshot(baseline)
    updated = update_versioned(baseline, expected_version, actor, **changes)
    if updated.locked:  # approved between our read and our write
        raise BaselineLocked(updated)
    audit.record(
        user=actor, action="update", obj=updated, before=before,
        after=audit.snapshot(updated), program_id=updated.program_id,
    )  # fmt: skip
    return updated


def _line_fields(fields: dict[str, Any], account: CostAccount) -> dict[str, Any]:
    out = dict(fields)
    if "amount" in out:
        out["amount"] = _money(out["amount"], "amount")
    if "category" in out and out["category"] not in Category.values:
        raise ValidationFailed({"category": [f"Unknown category {out['category']!r}."]})
    if "activity" in out:
        _check_activity(out["activity"], account, "activity")
    return out


def _check_account(account: CostAccount, program_id: int) -> None:
    if account.program_id != program_id:
        raise ValidationFailed({"cost_account": ["The cost account belongs to another program."]})


@transaction.atomic
def add_line(
    *,
    actor: User | None,
    baseline: BudgetBaseline,
    cost_account: CostAccount,
    amount: Any,
    **fields: Any,
) -> BudgetLine:
    _require_budget_owner(actor, baseline.program, "edit the budget baseline")
    _refuse_unknown(fields, LINE_EDITABLE - {"cost_account", "amount"})
    _check_account(cost_account, baseline.program_id)
    data = _line_fields({**fields, "amount": amount}, cost_account)
    _lock_draft(baseline, actor)
    line = BudgetLine(baseline=baseline, cost_account=cost_account, **data)
    line.created_by = line.updated_by = actor
    validate_model(line, exclude=["created_by", "updated_by", "baseline", "key"])
    _check_phasing(line.phase_start, line.phase_finish)
    line.save()
    audit.record(
        user=actor, action="create", obj=line, before=None,
        after=audit.snapshot(line), program_id=baseline.program_id,
    )  # fmt: skip
    return line


def _check_phasing(start: dt.date | None, finish: dt.date | None) -> None:
    if start and finish and finish < start:
        raise ValidationFailed({"phase_finish": ["The phasing ends before it starts."]})


@transaction.atomic
def update_line(
    *, actor: User, line: BudgetLine, expected_version: int | None, **changes: Any
) -> BudgetLine:
    baseline = line.baseline
    _require_budget_owner(actor, baseline.program, "edit the budget baseline")
    _refuse_unknown(changes, LINE_EDITABLE)
    account = changes.get("cost_account", line.cost_account)
    _check_account(account, baseline.program_id)
    if "cost_account" in changes and "activity" not in changes:
        changes["activity"] = line.activity
    changes = _line_fields(changes, account)
    _check_phasing(
        changes.get("phase_start", line.phase_start), changes.get("phase_finish", line.phase_finish)
    )
    _lock_draft(baseline, actor)
    before = audit.snapshot(line)
    updated = update_versioned(line, expected_version, actor, **changes)
    audit.record(
        user=actor, action="update", obj=updated, before=before,
        after=audit.snapshot(updated), program_id=baseline.program_id,
    )  # fmt: skip
    return updated


@transaction.atomic
def remove_line(*, actor: User, line: BudgetLine) -> None:
    baseline = line.baseline
    _require_budget_owner(actor, baseline.program, "edit the budget baseline")
    _lock_draft(baseline, actor)
    audit.record(
        user=actor, action="delete", obj=line, before=audit.snapshot(line),
        after=None, program_id=baseline.program_id,
    )  # fmt: skip
    line.delete()


@transaction.atomic
def approve_baseline(
    *, actor: User | None, baseline: BudgetBaseline, expected_version: int | None, note: str = ""
) -> BudgetBaseline:
    """Approve the draft (the definition → delivery gate decision): it is locked from now
    on and becomes the program's current budget baseline."""
    program = baseline.program
    _require_budget_owner(actor, program, "approve the budget baseline")
    current = BudgetBaseline.objects.get(pk=baseline.pk)
    if current.locked:
        raise BaselineLocked(current)
    if program.stage not in APPROVAL_STAGES:
        raise TransitionRefused(
            f"{program.code} is in {program.stage}: a budget baseline is approved in planning "
            "(at the gate to delivery) or during delivery."
        )
    if not current.lines.exists():
        raise TransitionRefused(f"Budget baseline v{current.number} has no lines to approve.")
    updated = update_versioned(
        baseline,
        expected_version,
        actor,
        status=BudgetBaseline.Status.APPROVED,
        approved_by=actor,
        approved_at=timezone.now(),
    )
    audit.record(
        user=actor, action="transition", obj=updated, before={"status": "draft"},
        after={"status": "approved"}, program_id=program.pk,
        note=note.strip() or f"budget baseline v{updated.number} approved",
    )  # fmt: skip
    return updated


# -- change requests --------------------------------------------------------------------


def _normalize_changes(
    actor: User | None, baseline: BudgetBaseline, changes: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Validate requested changes against ``baseline``; return them in canonical form."""
    if not changes:
        raise ValidationFailed({"changes": ["Request at least one change."]})
    program = baseline.program
    lines = {
        line.pk: line
        for line in BudgetLine.objects.filter(baseline=baseline).select_related(
            "cost_account__component", "cost_account__program"
        )
    }
    accounts = {
        a.code: a
        for a in CostAccount.objects.filter(program=program).select_related("component", "program")
    }
    errors: dict[str, list[str]] = {}
    out: list[dict[str, Any]] = []
    touched: set[int] = set()

    def may_change(account: CostAccount) -> bool:
        return actor is None or can_change_component(actor, account.component)

    for index, change in enumerate(changes, start=1):
        where = f"changes.{index}"
        op = change.get("op") if isinstance(change, dict) else None
        try:
            if op in ("change", "remove"):
                line_id = change.get("line")
                line = lines.get(line_id) if isinstance(line_id, int) else None
                if line is None:
                    raise ValueError(f"baseline v{baseline.number} has no line {line_id!r}")
                if line.pk in touched:
                    raise ValueError(f"line {line.pk} is changed twice")
                touched.add(line.pk)
                if not may_change(line.cost_account):
                    raise ValueError(f"you may not change budget of {line.cost_account.code}")
                item: dict[str, Any] = {"op": op, "line": line.pk}
                if op == "change":
                    item["amount"] = str(_money(change.get("amount"), where))
                out.append(item)
            elif op == "add":
                account = accounts.get(str(change.get("cost_account", "")).strip().upper())
                if account is None:
                    raise ValueError(f"no cost account {change.get('cost_account')!r}")
                if not may_change(account):
                    raise ValueError(f"you may not change budget of {account.code}")
                category = change.get("category") or Category.LABOUR
                if category not in Category.values:
                    raise ValueError(f"unknown category {category!r}")
                activity_id = change.get("activity")
                if activity_id is not None:
                    ok = Activity.objects.filter(
                        pk=activity_id, component_id=account.component_id
                    ).exists()
                    if not ok:
                        raise ValueError(f"no activity {activity_id!r} in {account.component.code}")
                out.append(
                    {
                        "op": "add",
                        "cost_account": account.code,
                        "activity": activity_id,
                        "category": category,
                        "amount": str(_money(change.get("amount"), where)),
                        "description": str(change.get("description") or "")[:200],
                    }
                )
            elif op == "reserve":
                field = change.get("field")
                if field not in RESERVES:
                    raise ValueError("field must be management_reserve or contingency")
                if actor is not None and not can_change_program(actor, program):
                    raise ValueError("only the program manager may change the reserves")
                out.append(
                    {
                        "op": "reserve",
                        "field": field,
                        "amount": str(_money(change.get("amount"), where)),
                    }
                )
            else:
                raise ValueError("op must be change, add, remove or reserve")
        except ValueError as exc:
            errors.setdefault(where, []).append(str(exc))
        except ValidationFailed as exc:
            errors.setdefault(where, []).extend(m for ms in exc.errors.values() for m in ms)
    if errors:
        raise ValidationFailed(errors)
    return out


@transaction.atomic
def propose_change(
    *,
    actor: User | None,
    baseline: BudgetBaseline,
    title: str,
    reason: str,
    changes: list[dict[str, Any]],
) -> BudgetChangeRequest:
    """Propose changes to the current approved baseline (program or component manager)."""
    program = baseline.program
    if actor is not None:
        require(
            _is_manager(actor, program),
            "Only the program manager or a component manager can propose budget changes.",
        )
    baseline = BudgetBaseline.objects.select_related("program").get(pk=baseline.pk)
    if baseline.status != BudgetBaseline.Status.APPROVED:
        raise TransitionRefused(
            f"Budget baseline v{baseline.number} is {baseline.status}; changes are requested "
            "against the current approved baseline."
        )
    if not title.strip():
        raise ValidationFailed({"title": ["Give the change request a title."]})
    if not reason.strip():
        raise ValidationFailed({"reason": ["Say why the budget should change."]})
    normalized = _normalize_changes(actor, baseline, changes)
    last = BudgetChangeRequest.objects.filter(program=program).aggregate(n=Max("number"))["n"]
    request = BudgetChangeRequest(
        program=program,
        number=(last or 0) + 1,
        baseline=baseline,
        title=title.strip()[:200],
        reason=reason.strip(),
        changes=normalized,
    )
    request.created_by = request.updated_by = actor
    request.save()
    audit.record(
        user=actor, action="create", obj=request, before=None,
        after=audit.snapshot(request), program_id=program.pk,
    )  # fmt: skip
    return request


def _decide_checks(actor: User | None, request: BudgetChangeRequest) -> None:
    _require_budget_owner(actor, request.program, "decide on budget change requests")
    current = BudgetChangeRequest.objects.get(pk=request.pk)
    if current.status != BudgetChangeRequest.Status.PROPOSED:
        raise TransitionRefused(
            f"Change request #{current.number} is already {current.status}; it cannot be "
            "decided again."
        )


@transaction.atomic
def approve_change(
    *,
    actor: User | None,
    request: BudgetChangeRequest,
    expected_version: int | None,
    note: str = "",
) -> tuple[BudgetChangeRequest, BudgetBaseline]:
    """Approve the request: the next baseline version is the current one with the
    requested changes; the current one is marked superseded. Returns both."""
    _decide_checks(actor, request)
    old = BudgetBaseline.objects.select_related("program").get(pk=request.baseline_id)
    if old.status != BudgetBaseline.Status.APPROVED:
        current = BudgetBaseline.objects.filter(
            program_id=request.program_id, status=BudgetBaseline.Status.APPROVED
        ).first()
        now = f"v{current.number}" if current else "none"
        raise TransitionRefused(
            f"Change request #{request.number} changes baseline v{old.number}, which is "
            f"{old.status} (the current baseline is {now}); propose it again against the "
            "current baseline."
        )
    changes = _normalize_changes(None, old, request.changes)
    now_ts = timezone.now()
    decided = update_versioned(
        request,
        expected_version,
        actor,
        status=BudgetChangeRequest.Status.APPROVED,
        decided_by=actor,
        decided_at=now_ts,
        decision_note=note.strip(),
    )
    update_versioned(old, None, actor, status=BudgetBaseline.Status.SUPERSEDED)
    reserves = {f: getattr(old, f) for f in RESERVES}
    for change in changes:
        if change["op"] == "reserve":
            reserves[change["field"]] = Decimal(change["amount"])
    new = BudgetBaseline(
        program=old.program,
        number=old.number + 1,
        status=BudgetBaseline.Status.APPROVED,
        approved_by=actor,
        approved_at=now_ts,
        notes=old.notes,
        created_by=actor,
        updated_by=actor,
        **reserves,
    )
    new.save()
    by_line = {c["line"]: c for c in changes if c["op"] in ("change", "remove")}
    copies = []
    for line in BudgetLine.objects.filter(baseline=old).order_by("id"):
        requested = by_line.get(line.pk)
        if requested is not None and requested["op"] == "remove":
            continue
        copies.append(
            BudgetLine(
                baseline=new,
                key=line.key,
                cost_account_id=line.cost_account_id,
                activity_id=line.activity_id,
                category=line.category,
                description=line.description,
                amount=Decimal(requested["amount"]) if requested else line.amount,
                phasing=line.phasing,
                phase_start=line.phase_start,
                phase_finish=line.phase_finish,
                created_by=actor,
                updated_by=actor,
            )
        )
    accounts = {a.code: a.pk for a in CostAccount.objects.filter(program_id=old.program_id)}
    for change in changes:
        if change["op"] == "add":
            copies.append(
                BudgetLine(
                    baseline=new,
                    cost_account_id=accounts[change["cost_account"]],
                    activity_id=change["activity"],
                    category=change["category"],
                    description=change["description"],
                    amount=Decimal(change["amount"]),
                    created_by=actor,
                    updated_by=actor,
                )
            )
    BudgetLine.objects.bulk_create(copies)
    BudgetChangeRequest.objects.filter(pk=request.pk).update(resulting_baseline=new)
    decided.resulting_baseline = new
    program_id = old.program_id
    audit.record(
        user=actor, action="transition", obj=decided, before={"status": "proposed"},
        after={"status": "approved"}, program_id=program_id,
        note=note.strip() or f"approved: budget baseline v{new.number}",
    )  # fmt: skip
    audit.record(
        user=actor, action="transition", obj=old, before={"status": "approved"},
        after={"status": "superseded"}, program_id=program_id,
        note=f"superseded by v{new.number} (change request #{request.number})",
    )  # fmt: skip
    audit.record(
        user=actor, action="create", obj=new, before=None, after=audit.snapshot(new),
        program_id=program_id, note=f"created by change request #{request.number}",
    )  # fmt: skip
    return decided, new


@transaction.atomic
def reject_change(
    *, actor: User | None, request: BudgetChangeRequest, expected_version: int | None, note: str
) -> BudgetChangeRequest:
    _decide_checks(actor, request)
    if not note.strip():
        raise ValidationFailed({"note": ["Say why the change request is rejected."]})
    decided = update_versioned(
        request,
        expected_version,
        actor,
        status=BudgetChangeRequest.Status.REJECTED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note=note.strip(),
    )
    audit.record(
        user=actor, action="transition", obj=decided, before={"status": "proposed"},
        after={"status": "rejected"}, program_id=decided.program_id, note=note.strip(),
    )  # fmt: skip
    return decided


# -- actual costs -----------------------------------------------------------------------


def _require_booking(actor: User | None, account: CostAccount) -> None:
    if actor is not None:
        require(
            can_change_component(actor, account.component),
            f"Only the program manager or the manager of {account.component.code} can book "
            f"costs to {account.code}.",
        )


@transaction.atomic
def record_actual(
    *,
    actor: User | None,
    program: Program,
    cost_account: CostAccount,
    date: dt.date,
    amount: Any,
    activity: Activity | None = None,
    description: str = "",
) -> ActualCost:
    """Book one actual cost (program manager, or the manager of the account's component)."""
    _check_account(cost_account, program.pk)
    _require_booking(actor, cost_account)
    value = _money(amount, "amount", allow_negative=True)
    if value == 0:
        raise ValidationFailed({"amount": ["An actual cost of 0 books nothing."]})
    _check_activity(activity, cost_account, "activity")
    entry = ActualCost(
        program=program, cost_account=cost_account, activity=activity, date=date,
        amount=value, description=description.strip(), source=ActualCost.Source.MANUAL,
        created_by=actor, updated_by=actor,
    )  # fmt: skip
    validate_model(entry, exclude=["created_by", "updated_by", "import_batch", "resource"])
    entry.save()
    audit.record(
        user=actor, action="create", obj=entry, before=None,
        after=audit.snapshot(entry), program_id=program.pk,
    )  # fmt: skip
    return entry


@transaction.atomic
def record_time(
    *,
    actor: User | None,
    program: Program,
    cost_account: CostAccount,
    resource: Resource,
    date: dt.date,
    hours: Any,
    activity: Activity | None = None,
    description: str = "",
) -> ActualCost:
    """Turn a time entry into an actual cost: hours × the resource's standard rate."""
    _check_account(cost_account, program.pk)
    _require_booking(actor, cost_account)
    if resource.program_id is not None and resource.program_id != program.pk:
        # (a resource without a program is the organisation's, shared by every program)
        raise ValidationFailed({"resource": ["The resource belongs to another program."]})
    worked = _money(hours, "hours")
    if worked <= 0 or worked > 24:
        raise ValidationFailed({"hours": ["Hours must be more than 0 and at most 24 a day."]})
    if resource.standard_rate <= 0:
        raise ValidationFailed(
            {"resource": [f"{resource.code} has no standard rate; set one to cost its time."]}
        )
    _check_activity(activity, cost_account, "activity")
    entry = ActualCost.objects.create(
        program=program, cost_account=cost_account, activity=activity, date=date,
        amount=(worked * resource.standard_rate).quantize(CENT, rounding=ROUND_HALF_UP),
        description=description.strip()[:300] or f"{worked} h {resource.code}",
        source=ActualCost.Source.TIMESHEET, resource=resource, hours=worked,
        created_by=actor, updated_by=actor,
    )  # fmt: skip
    audit.record(
        user=actor, action="create", obj=entry, before=None,
        after=audit.snapshot(entry), program_id=program.pk,
    )  # fmt: skip
    return entry


@transaction.atomic
def import_actuals(
    *, actor: User | None, program: Program, content: bytes | str, filename: str
) -> CostImport:
    """Import actual costs from CSV (see :mod:`podium.finance.csv_import`): every line or
    none. Errors name the line and the column; one bad line stores nothing."""
    if actor is not None:
        require(
            _is_manager(actor, program),
            "Only the program manager or a component manager can import actual costs.",
        )
    rows, errors = parse_actuals_csv(content)
    accounts = {
        a.code: a for a in CostAccount.objects.filter(program=program).select_related("component")
    }
    wanted = {(r.cost_account, r.activity) for r in rows if r.activity}
    components = {accounts[c].component_id for c, _ in wanted if c in accounts}
    activities = {
        (a.component_id, a.code): a
        for a in Activity.objects.filter(
            program=program,
            component_id__in=components,
            code__in={code for _, code in wanted},
        )
    }
    entries: list[ActualCost] = []
    for row in rows:
        account = accounts.get(row.cost_account)
        if account is None:
            key = f"line {row.line}, cost account"
            errors.setdefault(key, []).append(
                f"Line {row.line}: {program.code} has no cost account {row.cost_account!r}."
            )
            continue
        if actor is not None and not can_change_component(actor, account.component):
            key = f"line {row.line}, cost account"
            errors.setdefault(key, []).append(
                f"Line {row.line}: you may not book costs to {account.code} "
                f"({account.component.code})."
            )
            continue
        activity = None
        if row.activity:
            activity = activities.get((account.component_id, row.activity))
            if activity is None:
                key = f"line {row.line}, activity"
                errors.setdefault(key, []).append(
                    f"Line {row.line}: {account.component.code} has no activity {row.activity!r}."
                )
                continue
        try:
            amount = _money(row.amount, "amount", allow_negative=True)
        except ValidationFailed:
            errors.setdefault(f"line {row.line}, amount", []).append(
                f"Line {row.line}: amount is too large."
            )
            continue
        entries.append(
            ActualCost(
                program=program,
                cost_account=account,
                activity=activity,
                date=row.date,
                amount=amount,
                description=row.description,
                source=ActualCost.Source.CSV,
                created_by=actor,
                updated_by=actor,
            )
        )
    if errors:
        count = sum(len(v) for v in errors.values())
        raise ValidationFailed(
            errors,
            f"Nothing was imported: {filename} has {count} error{'s' if count != 1 else ''}. "
            f"First: {next(iter(errors.values()))[0]}",
        )
    batch = CostImport.objects.create(
        program=program, filename=filename[:200], rows=len(entries),
        created_by=actor, updated_by=actor,
    )  # fmt: skip
    for entry in entries:
        entry.import_batch = batch
    ActualCost.objects.bulk_create(entries, batch_size=1000)
    total = ActualCost.objects.filter(import_batch=batch).aggregate(t=Sum("amount"))["t"] or ZERO
    audit.record(
        user=actor, action="import", obj=batch, before=None,
        after={"file": batch.filename, "rows": batch.rows, "total": str(total.quantize(CENT))},
        program_id=program.pk,
        note=f"{batch.rows} actual cost lines imported from {batch.filename}",
    )  # fmt: skip
    return batch
