"""A program's milestones and gates as an iCalendar feed behind a secret URL.

A calendar application cannot sign in, so the feed's URL carries a secret token
(:class:`~podium.reports.models.CalendarFeed`): :func:`feed_for_token` finds the feed by
comparing tokens in constant time and refuses (None → 404) a wrong or replaced token, an
inactive user, or a user who no longer belongs to the program. The calendar holds what
that user may see:

- every milestone of the schedule, on its forecast (else early) finish date;
- for readers of governance: the gates ahead (the program's and each component's next
  gate, on the component's authorised planned start or finish when one is recorded, else
  on the day its review was opened), and the gates decided, on the day of the decision.

All events are all-day events with stable UIDs, so a calendar updates them in place.
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from podium.programs.models import ComponentStatus, Program
from podium.programs.permissions import visible_programs
from podium.reports.models import CalendarFeed
from podium.schedule.wall import to_wall

__all__ = ["feed_calendar", "feed_for_token"]

_DOMAIN = "podium"


def feed_for_token(code: str, token: str) -> CalendarFeed | None:
    """The feed of program ``code`` whose token is ``token``, when its user still belongs
    to the program; None otherwise."""
    if not token or len(token) > 64:
        return None
    feeds = CalendarFeed.objects.filter(program__code=code).select_related("program", "user")
    found = None
    for feed in feeds:  # compare every token of the program the same way
        if hmac.compare_digest(feed.token.encode(), token.encode()):
            found = feed
    if found is None or not found.user.is_active:
        return None
    if not visible_programs(found.user).filter(pk=found.program_id).exists():
        return None
    return found


def _event(uid: str, day: dt.date, summary: str, description: str = "", url: str = "") -> Event:
    event = Event()
    event.add("uid", f"{uid}@{_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def _absolute(path: str) -> str:
    base = getattr(settings, "PODIUM_BASE_URL", "")
    return f"{base.rstrip('/')}{path}" if base else ""


def _milestones(program: Program) -> list[Event]:
    from podium.schedule.models import Activity

    events = []
    acts = (
        Activity.objects.filter(program=program, kind=Activity.Kind.MILESTONE)
        .select_related("component")
        .order_by("finish", "code")
    )
    for a in acts:
        when = to_wall(a.finish or a.early_finish)
        if when is None:
            continue
        done = " (done)" if a.actual_finish is not None else ""
        events.append(
            _event(
                f"milestone-{a.pk}",
                when.date(),
                f"{program.code} milestone: {a.name}{done}",
                f"Component {a.component.code}. Forecast finish {when:%Y-%m-%d %H:%M}.",
            )
        )
    return events


def _gates(program: Program) -> list[Event]:
    from podium.governance.models import GateReview, ReviewStatus
    from podium.governance.selectors import authorization_of, gates_overview

    events = []
    for row in gates_overview(program):
        if row.gate is None:
            continue
        source, target = row.gate
        day = None
        if row.component is not None:
            auth = authorization_of(row.component)
            if auth is not None:
                starting = target == ComponentStatus.IN_DELIVERY
                day = auth.planned_start if starting else auth.planned_finish
        if day is None and row.review is not None:
            day = timezone.localtime(row.review.created_at).date()
        if day is None:
            continue
        state = "review open" if row.review is not None else "ahead"
        events.append(
            _event(
                f"gate-{program.pk}-{row.component.pk if row.component else 0}-{target}",
                day,
                f"{program.code} gate {state}: {row.label} {source} → {target}",
            )
        )
    decided = (
        GateReview.objects.filter(program=program, status=ReviewStatus.DECIDED)
        .select_related("decision", "component", "program")
        .order_by("created_at")
    )
    for review in decided:
        if review.decision is None:
            continue
        events.append(
            _event(
                f"gate-review-{review.pk}",
                timezone.localtime(review.decision.decided_at).date(),
                f"{program.code} gate decided: {review.subject_label} {review.from_state} → "
                f"{review.to_state} ({review.decision.get_outcome_display()})",
                review.decision.rationale,
            )
        )
    return events


def feed_calendar(feed: CalendarFeed) -> bytes:
    """The iCalendar text of ``feed``: the events its user may see."""
    from podium.governance.access import can_see as can_see_governance

    program, user = feed.program, feed.user
    cal = Calendar()
    cal.add("prodid", "-//Podium//Program calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{program.code} milestones and gates")
    events: list[Any] = _milestones(program)
    if can_see_governance(user, program):
        events += _gates(program)
    for event in events:
        cal.add_component(event)
    return bytes(cal.to_ical())
