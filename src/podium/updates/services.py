"""Every change to component status updates (see :mod:`podium.updates.models`).

Each function checks the actor's right (:mod:`podium.updates.access`), validates,
writes its audit record in the same transaction and notifies:

- :func:`create_update` — a draft for one component and period, with the figures
  Podium knows now;
- :func:`change_update` — edit a draft (a submitted update is read-only);
- :func:`submit_update` — draft → submitted: the figures are taken again, every colour
  and the narrative are required, the program manager(s) are told ("updates");
- :func:`reopen_update` — submitted → draft, by the program manager, with a note: the
  way to correct a submitted update;
- :func:`send_reminders` — the daily job ``updates.reminders``.

Validation (:func:`check`): a reason is required for an amber or red colour and for any
colour that differs from the one Podium suggests (a grey suggestion has no opinion).
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from podium.accounts.models import User
from podium.core import audit
from podium.core.errors import TransitionRefused, ValidationFailed
from podium.core.jobs import JobContext, job_handler
from podium.core.services import update_versioned, validate_model
from podium.notifications.services import notify
from podium.programs.models import Component, ComponentStatus, Membership, Role, Stage
from podium.programs.permissions import require
from podium.updates import access
from podium.updates.figures import component_figures
from podium.updates.models import DIMENSIONS, ComponentUpdate, Rag, UpdateReminder, UpdateStatus

__all__ = [
    "ACTIVE_STATUSES",
    "EDITABLE",
    "RATED",
    "TEXTS",
    "change_update",
    "check",
    "create_update",
    "period_of",
    "reminders_job",
    "reopen_update",
    "send_reminders",
    "submit_update",
    "week_label",
]

RATED: tuple[str, ...] = ("overall", *DIMENSIONS)
TEXTS = ("accomplishments", "next_steps", "blockers", "help_needed")
EDITABLE = frozenset([f"{d}_rag" for d in RATED] + [f"{d}_reason" for d in RATED] + list(TEXTS))
# Components expected to report every period.
ACTIVE_STATUSES = (
    ComponentStatus.AUTHORIZED, ComponentStatus.IN_DELIVERY, ComponentStatus.TRANSITIONING,
)  # fmt: skip
REMINDER_WEEKDAY = 4  # Friday


def period_of(day: dt.date) -> dt.date:
    """The period (Monday of the ISO week) ``day`` falls in."""
    return day - dt.timedelta(days=day.weekday())


def week_label(period: dt.date) -> str:
    year, week, _ = period.isocalendar()
    return f"{year}-W{week:02d}"


def _label(dimension: str) -> str:
    return "Overall" if dimension == "overall" else dimension.capitalize()


def _rag_label(rag: str) -> str:
    return Rag(rag).label if rag in Rag.values else "no colour"


def check(update: ComponentUpdate, *, final: bool) -> None:
    """Refuse an update that breaks the rules (see the module); ``final``: as submitted
    (every colour, accomplishments and next steps required)."""
    validate_model(
        update,
        exclude=["program", "component", "author", "submitted_by", "created_by", "updated_by",
                 "figures"],
    )  # fmt: skip
    errors: dict[str, list[str]] = {}
    suggested = (update.figures or {}).get("suggested", {})
    for dim in RATED:
        rag, reason = update.rag(dim), update.reason(dim).strip()
        if not rag:
            if final:
                errors[f"{dim}_rag"] = [f"Choose a colour for {_label(dim).lower()}."]
            continue
        if reason:
            continue
        if rag in (Rag.AMBER, Rag.RED):
            errors[f"{dim}_reason"] = [
                f"Say in a few words why {_label(dim).lower()} is {_rag_label(rag).lower()}."
            ]
            continue
        hint = suggested.get(dim, {}).get("rag", "grey")
        if dim != "overall" and hint in Rag.values and hint != rag:
            errors[f"{dim}_reason"] = [
                f"Podium suggests {_rag_label(hint).lower()} for {_label(dim).lower()}: say "
                f"why you rate it {_rag_label(rag).lower()}."
            ]
    if final:
        for name in ("accomplishments", "next_steps"):
            if not getattr(update, name).strip():
                errors[name] = [f"Write the {name.replace('_', ' ')} of the period."]
    if errors:
        raise ValidationFailed(errors)


def _refuse_unknown(fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - EDITABLE)
    if unknown:
        raise ValidationFailed({f: ["This field cannot be set here."] for f in unknown})


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in fields.items():
        text = "" if value is None else str(value)
        out[name] = text.strip().lower() if name.endswith("_rag") else text.strip()
    return out


def _snapshot(update: ComponentUpdate) -> dict[str, Any]:
    """The audited fields: everything but the figures (kept on the update itself)."""
    data = audit.snapshot(update)
    data.pop("figures", None)
    return data


def _check_period(period: dt.date, today: dt.date) -> None:
    if period.weekday() != 0:
        raise ValidationFailed({"period": ["A period starts on a Monday (its ISO week)."]})
    if period > period_of(today):
        raise ValidationFailed({"period": ["An update reports on this week or an earlier one."]})


@transaction.atomic
def create_update(
    *,
    actor: User | None,
    component: Component,
    period: dt.date | None = None,
    today: dt.date | None = None,
    **fields: Any,
) -> ComponentUpdate:
    """A draft update of ``component`` for ``period`` (default: this week), with the
    figures Podium knows on ``today``."""
    if actor is not None:
        require(
            access.can_file(actor, component),
            f"You may not file status updates for {component.code}.",
        )
    today = today or timezone.localdate()
    period = period or period_of(today)
    _check_period(period, today)
    _refuse_unknown(fields)
    if ComponentUpdate.objects.filter(component=component, period=period).exists():
        raise ValidationFailed(
            {"period": [f"{component.code} already has an update for {week_label(period)}."]}
        )
    update = ComponentUpdate(
        program_id=component.program_id, component=component, period=period,
        author=actor, figures=component_figures(component, today), **_clean(fields),
    )  # fmt: skip
    update.created_by = update.updated_by = actor
    check(update, final=False)
    update.save()
    audit.record(
        user=actor, action="create", obj=update, before=None, after=_snapshot(update),
        program_id=update.program_id,
    )  # fmt: skip
    return update


def _refuse_submitted(update: ComponentUpdate) -> None:
    if update.status == UpdateStatus.SUBMITTED:
        raise TransitionRefused(
            f"The {update.component.code} update of {update.week_label} is submitted and "
            "read-only; the program manager may reopen it for a correction."
        )


@transaction.atomic
def change_update(
    *, actor: User | None, update: ComponentUpdate, expected_version: int | None, **changes: Any
) -> ComponentUpdate:
    """Change a draft's colours, reasons or text."""
    if actor is not None:
        require(
            access.can_file(actor, update.component),
            f"You may not change the {update.component.code} update.",
        )
    _refuse_submitted(update)
    _refuse_unknown(changes)
    changes = _clean(changes)
    candidate = copy.copy(update)
    for name, value in changes.items():
        setattr(candidate, name, value)
    check(candidate, final=False)
    before = _snapshot(update)
    updated = update_versioned(update, expected_version, actor, **changes)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=_snapshot(updated),
        program_id=updated.program_id,
    )  # fmt: skip
    return updated


def _program_managers(update: ComponentUpdate) -> list[User]:
    program = update.program
    ids = set(
        Membership.objects.filter(program=program, role=Role.PROGRAM_MANAGER).values_list(
            "user_id", flat=True
        )
    )
    if program.manager_id is not None:
        ids.add(program.manager_id)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


def detail_url(update: ComponentUpdate) -> str:
    return reverse("updates:detail", kwargs={"code": update.program.code, "pk": update.pk})


@transaction.atomic
def submit_update(
    *,
    actor: User | None,
    update: ComponentUpdate,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> ComponentUpdate:
    """draft → submitted, with the figures Podium knows on ``today``; tells the program
    manager(s)."""
    if actor is not None:
        require(
            access.can_file(actor, update.component),
            f"You may not submit the {update.component.code} update.",
        )
    _refuse_submitted(update)
    figures = component_figures(update.component, today)
    candidate = copy.copy(update)
    candidate.figures = figures
    check(candidate, final=True)
    before = _snapshot(update)
    updated = update_versioned(
        update, expected_version, actor, status=UpdateStatus.SUBMITTED, figures=figures,
        submitted_at=timezone.now(),
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        revision=update.revision + 1,
    )  # fmt: skip
    audit.record(
        user=actor, action="transition", obj=updated, before=before, after=_snapshot(updated),
        program_id=updated.program_id,
        note="submitted" if updated.revision == 1 else f"submitted (revision {updated.revision})",
    )  # fmt: skip
    overall = _rag_label(updated.overall_rag)
    body = updated.overall_reason or ""
    if updated.help_needed:
        body = f"{body}\nHelp needed: {updated.help_needed}".strip()
    for pm in _program_managers(updated):
        if actor is not None and pm.pk == actor.pk:
            continue
        notify(
            user=pm,
            title=f"{updated.component.code} status update {updated.week_label}: {overall}",
            body=body, url=detail_url(updated), program=updated.program, category="updates",
        )  # fmt: skip
    return updated


@transaction.atomic
def reopen_update(
    *,
    actor: User | None,
    update: ComponentUpdate,
    note: str,
    expected_version: int | None = None,
) -> ComponentUpdate:
    """submitted → draft for a correction (the program manager), with the reason why;
    tells the author."""
    if actor is not None:
        require(
            access.can_reopen(actor, update),
            f"Only the program manager may reopen the {update.component.code} update.",
        )
    if update.status != UpdateStatus.SUBMITTED:
        raise TransitionRefused(f"The {update.component.code} update is already a draft.")
    note = (note or "").strip()
    if not note:
        raise ValidationFailed({"note": ["Say what needs correcting."]})
    before = _snapshot(update)
    updated = update_versioned(update, expected_version, actor, status=UpdateStatus.DRAFT)
    audit.record(
        user=actor, action="transition", obj=updated, before=before, after=_snapshot(updated),
        program_id=updated.program_id, note=f"reopened: {note}",
    )  # fmt: skip
    author = updated.submitted_by or updated.author
    if author is not None and (actor is None or author.pk != actor.pk):
        notify(
            user=author,
            title=f"{updated.component.code} update {updated.week_label} reopened for a correction",
            body=note, url=detail_url(updated), program=updated.program, category="updates",
        )  # fmt: skip
    return updated


# -- reminders -----------------------------------------------------------------------------


def send_reminders(today: dt.date | None = None) -> int:
    """From Friday of a period on, tell the manager of each active component without a
    submitted update for that period — once per component and period. Returns how many
    were sent."""
    today = today or timezone.localdate()
    period = period_of(today)
    if today.weekday() < REMINDER_WEEKDAY:
        return 0
    components = (
        Component.objects.filter(
            status__in=ACTIVE_STATUSES, manager__isnull=False, manager__is_active=True
        )
        .exclude(program__stage=Stage.CLOSED)
        .select_related("program", "manager")
        .order_by("program__code", "code")
    )
    done = set(
        ComponentUpdate.objects.filter(period=period, status=UpdateStatus.SUBMITTED).values_list(
            "component_id", flat=True
        )
    )
    reminded = set(
        UpdateReminder.objects.filter(period=period).values_list("component_id", flat=True)
    )
    sent = 0
    for component in components:
        if component.pk in done or component.pk in reminded:
            continue
        manager = component.manager
        assert manager is not None
        try:
            with transaction.atomic():
                UpdateReminder.objects.create(component=component, period=period, user=manager)
                url = reverse("updates:new", kwargs={"code": component.program.code})
                notify(
                    user=manager,
                    title=f"Status update of {component.code} for {week_label(period)} is due",
                    body=f"No update of {component} has been submitted for the week of "
                    f"{period:%Y-%m-%d}.",
                    url=f"{url}?component={component.pk}", program=component.program,
                    category="overdue",
                )  # fmt: skip
        except IntegrityError:  # another run sent it meanwhile
            continue
        sent += 1
    return sent


@job_handler("updates.reminders")
def reminders_job(ctx: JobContext | None = None) -> dict[str, int]:
    """Background job: remind the managers whose update of this period is missing."""
    return {"sent": send_reminders()}
