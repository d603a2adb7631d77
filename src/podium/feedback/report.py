"""The "you said, we did" report of a program for a month or a quarter.

What is in it
-------------
- **We did**: the items whose loop turned to action in the period — in state implemented,
  verified or closed, with the *first* of ``implemented_at``, ``verified_at``,
  ``closed_at`` inside the period (so each item appears in one report only: the period
  in which it was done; its current state is shown). For each: what was said (the text,
  the category, the component or "Program") and what was done (the titles of the linked
  actions that are not cancelled, with their status and done date).
- **What we could not do**: the items declined in the period, with the reason.
- **Figures**: :func:`podium.feedback.monitoring.figures` over the items submitted in the
  period.

The report names nobody: it is built from the fields listed above only, never from
``submitted_by``, ``stakeholder`` or the item's history, whether the item was anonymous
or not. Only the program's own items are read.

Who sees what
-------------
- Team members, component and program managers and administrators (those who see the
  monitoring) see the report of any period, published or not (a draft).
- Every other member (stakeholders, viewers) sees only published periods; an unpublished
  one answers 404 like a missing one.
- The program manager (and an administrator) publishes a period with
  :func:`publish_report`; publishing it again replaces the summary.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from podium.core import audit
from podium.core.errors import NotFound, ValidationFailed
from podium.core.services import update_versioned
from podium.feedback.models import (
    ActionStatus,
    FeedbackItem,
    FeedbackState,
    PublishedReport,
)
from podium.feedback.monitoring import Figures, can_see_monitoring, figures
from podium.programs.models import Program
from podium.programs.permissions import can_change_program, require

__all__ = [
    "DeclinedEntry",
    "Period",
    "Report",
    "ReportEntry",
    "build_report",
    "can_publish",
    "can_see_drafts",
    "get_report",
    "parse_period",
    "publish_report",
    "published_reports",
]

S = FeedbackState
DONE_STATES = (S.IMPLEMENTED, S.VERIFIED, S.CLOSED)
SUMMARY_MAX = 4000


# -- periods --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A calendar month ("2026-03") or quarter ("2026-Q1"), both ends included."""

    start: dt.date
    end: dt.date
    key: str
    label: str

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = dt.date(year, month, 1)
        after = dt.date(year + month // 12, month % 12 + 1, 1)
        return cls(
            start, after - dt.timedelta(days=1), f"{year}-{month:02d}", start.strftime("%B %Y")
        )

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = cls.month(year, 3 * quarter - 2)
        last = cls.month(year, 3 * quarter)
        return cls(first.start, last.end, f"{year}-Q{quarter}", f"Q{quarter} {year}")

    @classmethod
    def containing(cls, day: dt.date, kind: str = "month") -> Period:
        if kind == "quarter":
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        return cls.month(day.year, day.month)

    @classmethod
    def of_dates(cls, start: dt.date, end: dt.date) -> Period | None:
        """The month or quarter exactly from ``start`` to ``end`` (None otherwise)."""
        for period in (cls.containing(start), cls.containing(start, "quarter")):
            if period.start == start and period.end == end:
                return period
        return None

    def previous(self) -> Period:
        day = self.start - dt.timedelta(days=1)
        return Period.containing(day, "quarter" if "Q" in self.key else "month")


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)


def parse_period(text: str, field_name: str = "period") -> Period:
    """``"2026-03"`` → March 2026, ``"2026-Q1"`` → January to March 2026; anything else
    raises ValidationFailed naming ``field_name``."""
    value = (text or "").strip()
    if m := _MONTH.match(value):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12 and 2000 <= year <= 2100:
            return Period.month(year, month)
    elif m := _QUARTER.match(value):
        year = int(m[1])
        if 2000 <= year <= 2100:
            return Period.quarter(year, int(m[2]))
    raise ValidationFailed(
        {
            field_name: [
                f"{value!r} is not a period: write a month as 2026-03 or a quarter as 2026-Q1."
            ]
        }
    )


# -- who sees what --------------------------------------------------------------------------


def can_see_drafts(user: Any, program: Program) -> bool:
    return can_see_monitoring(user, program)


def can_publish(user: Any, program: Program) -> bool:
    return can_change_program(user, program)


def published_reports(program: Program) -> QuerySet[PublishedReport]:
    """The program's published reports, latest period first."""
    return PublishedReport.objects.filter(program=program).order_by("-period_end", "-id")


def _published(program: Program, period: Period) -> PublishedReport | None:
    return (
        PublishedReport.objects.filter(
            program=program, period_start=period.start, period_end=period.end
        )
        .order_by("-published_at", "-id")
        .first()
    )


# -- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionLine:
    title: str
    status: str
    done_on: dt.date | None


@dataclass(frozen=True)
class ReportEntry:
    """One thing said and what was done about it (no names)."""

    reference: str
    said: str
    category: str
    component: str
    rating: int | None
    state: str
    done_on: dt.date
    actions: list[ActionLine]


@dataclass(frozen=True)
class DeclinedEntry:
    reference: str
    said: str
    category: str
    component: str
    reason: str
    declined_on: dt.date


@dataclass
class Report:
    program: Program
    period: Period
    figures: Figures
    done: list[ReportEntry] = field(default_factory=list)
    declined: list[DeclinedEntry] = field(default_factory=list)
    published: PublishedReport | None = None

    @property
    def is_published(self) -> bool:
        return self.published is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "program": self.program.code,
            "period": {
                "key": self.period.key,
                "label": self.period.label,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
            },
            "published": self.is_published,
            "published_at": self.published.published_at.isoformat() if self.published else None,
            "summary": self.published.summary if self.published else "",
            "figures": self.figures.as_dict(),
            "we_did": [
                {
                    "reference": e.reference,
                    "said": e.said,
                    "category": e.category,
                    "component": e.component,
                    "rating": e.rating,
                    "state": e.state,
                    "done_on": e.done_on.isoformat(),
                    "actions": [
                        {
                            "title": a.title,
                            "status": a.status,
                            "done_on": a.done_on.isoformat() if a.done_on else None,
                        }
                        for a in e.actions
                    ],
                }
                for e in self.done
            ],
            "could_not_do": [
                {
                    "reference": d.reference,
                    "said": d.said,
                    "category": d.category,
                    "component": d.component,
                    "reason": d.reason,
                    "declined_on": d.declined_on.isoformat(),
                }
                for d in self.declined
            ],
        }


def _local(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _done_moment(item: FeedbackItem) -> dt.datetime | None:
    moments = [m for m in (item.implemented_at, item.verified_at, item.closed_at) if m]
    return min(moments) if moments else None


def build_report(program: Program, period: Period, today: dt.date | None = None) -> Report:
    """The report of ``program`` for ``period`` (published or not: callers check who may
    see it, :func:`get_report` does). A fixed number of queries."""
    tz = timezone.get_current_timezone()
    first = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    after = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    span = Q()
    for name in ("implemented_at", "verified_at", "closed_at"):
        span |= Q(**{f"{name}__gte": first, f"{name}__lt": after})
    # Only the fields a report may show are loaded: no submitter, no stakeholder.
    shown = (
        "id",
        "text",
        "category",
        "component__code",
        "rating",
        "state",
        "implemented_at",
        "verified_at",
        "closed_at",
        "declined_at",
        "declined_reason",
    )
    done_items = (
        FeedbackItem.objects.filter(program=program, state__in=DONE_STATES)
        .filter(span)
        .select_related("component")
        .prefetch_related("actions")
        .only(*shown)
    )
    done: list[ReportEntry] = []
    for item in done_items:
        moment = _done_moment(item)
        if moment is None or not first <= moment < after:
            continue  # done earlier, only verified or closed in this period
        actions = [
            ActionLine(a.title, a.get_status_display(), _local(a.done_at) if a.done_at else None)
            for a in sorted(item.actions.all(), key=lambda a: (a.done_at is None, a.done_at, a.pk))
            if a.status != ActionStatus.CANCELLED
        ]
        done.append(
            ReportEntry(
                reference=item.reference,
                said=item.text,
                category=item.get_category_display(),
                component=item.component.code if item.component else "Program",
                rating=item.rating,
                state=item.get_state_display(),
                done_on=_local(moment),
                actions=actions,
            )
        )
    done.sort(key=lambda e: (e.done_on, e.reference))
    declined_items = (
        FeedbackItem.objects.filter(
            program=program, state=S.DECLINED, declined_at__gte=first, declined_at__lt=after
        )
        .select_related("component")
        .only(*shown)
        .order_by("declined_at", "id")
    )
    declined = [
        DeclinedEntry(
            reference=item.reference,
            said=item.text,
            category=item.get_category_display(),
            component=item.component.code if item.component else "Program",
            reason=item.declined_reason,
            declined_on=_local(item.declined_at),
        )
        for item in declined_items
        if item.declined_at is not None
    ]
    return Report(
        program=program,
        period=period,
        figures=figures(program, start=period.start, end=period.end, today=today),
        done=done,
        declined=declined,
        published=_published(program, period),
    )


def get_report(user: Any, program: Program, period: Period) -> Report:
    """The report as ``user`` may see it: a draft only for those who see drafts; for
    everyone else an unpublished period raises NotFound. ``program`` must come from
    :func:`podium.programs.permissions.get_program` (a program the user can see)."""
    if not can_see_drafts(user, program) and _published(program, period) is None:
        raise NotFound(f"No published report for {period.label}.")
    return build_report(program, period)


# -- publishing -----------------------------------------------------------------------------


@transaction.atomic
def publish_report(
    *, actor: Any, program: Program, period: Period, summary: str = ""
) -> PublishedReport:
    """Make ``period``'s report visible to the program's stakeholders with a summary;
    publishing a period again replaces its summary and date."""
    require(
        can_publish(actor, program),
        f"You may not publish feedback reports of {program.code}: only its program manager can.",
    )
    summary = (summary or "").strip()
    if len(summary) > SUMMARY_MAX:
        raise ValidationFailed(
            {"summary": [f"Keep the summary under {SUMMARY_MAX} characters ({len(summary)})."]}
        )
    if period.start > timezone.localdate():
        raise ValidationFailed({"period": [f"{period.label} has not started yet."]})
    existing = _published(program, period)
    now = timezone.now()
    if existing is not None:
        before = audit.snapshot(existing)
        report = update_versioned(
            existing, None, actor, summary=summary, published_at=now, published_by=actor
        )
        audit.record(
            user=actor,
            action="update",
            obj=report,
            before=before,
            after=audit.snapshot(report),
            program_id=program.pk,
            note=f"republished {period.label}",
        )
        return report
    report = PublishedReport.objects.create(
        program=program,
        period_start=period.start,
        period_end=period.end,
        summary=summary,
        published_by=actor,
        published_at=now,
        created_by=actor,
        updated_by=actor,
    )
    audit.record(
        user=actor,
        action="create",
        obj=report,
        before=None,
        after=audit.snapshot(report),
        program_id=program.pk,
        note=f"published {period.label}",
    )
    return report
